import type { ProbotOctokit } from "probot";
import { timed, type SecretHit, type TextPart } from "../security/leak-secrets.js";
import { currentScope, repoKey, visibilityOf, type EventScope, type IssueTexts, type RepoRef, type Visibility } from "./event-scope.js";
import { allowedWrite, publishedAdvisory } from "./leak-allowlist.js";
import { LeakBlocked, type BlockDetail } from "./leak-blocked.js";
import { committedFiles, isMutation, mutationTargets, targetsVisibility } from "./leak-graphql.js";
import { isTransient } from "./http-status.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * The leak firewall: every request the app makes passes Octokit's request hook, where a write
 * (anything but GET/HEAD) to a repository that is not private is checked — URL, headers and body —
 * against the secrets of every response the current event touched (see event-scope.ts). A hit
 * never leaves: the request fails with LeakBlocked. Deciders call `assertNoLeak` on their effects
 * before their first write, so a blocked event writes nothing; the hook catches what they missed.
 */

const INSTALLED = Symbol.for("embargo.leak-firewall");
const SKIPPED_HEADERS = new Set(["authorization"]);
const JSON_TYPE = "application/json; charset=utf-8";

interface EndpointOptions {
  method: string;
  url: string;
  baseUrl: string;
  headers: Record<string, string | number | undefined>;
  [key: string]: unknown;
}

interface Parsed {
  method: string;
  url: string;
  headers: Record<string, string | number | undefined>;
  body?: unknown;
}

/** The strings of a body or of decided effects, each with where it sits. */
export function textParts(value: unknown, describe: (path: string) => string, path = "", out: TextPart[] = []): TextPart[] {
  if (typeof value === "string") out.push({ place: describe(path), text: value });
  else if (Array.isArray(value)) value.forEach((v, i) => textParts(v, describe, `${path}[${i}]`, out));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push({ place: describe(path ? `${path}.${k}` : k), text: k });
      textParts(v, describe, path ? `${path}.${k}` : k, out);
    }
  }
  return out;
}

/** The API path without the API base (`/api/v3` on GHES), percent-encoding kept. */
function apiPath(url: string, baseUrl: string): string {
  const path = new URL(url).pathname;
  const base = new URL(baseUrl).pathname.replace(/\/$/, "");
  return base && path.startsWith(`${base}/`) ? path.slice(base.length) : path;
}

function repoOf(path: string): RepoRef | undefined {
  const m = /^\/repos\/([^/]+)\/([^/]+)/.exec(path);
  if (!m) return undefined;
  try {
    return { owner: decodeURIComponent(m[1]!), repo: decodeURIComponent(m[2]!) };
  } catch {
    return undefined;
  }
}

/** GitHub's word on a repo's visibility now (`unknown` when it cannot be read). */
export async function readVisibility(octokit: Octokit, repo: RepoRef): Promise<Visibility> {
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}", { owner: repo.owner, repo: repo.repo });
    return visibilityOf(data);
  } catch (error) {
    // An outage is not an answer: the event fails (and is redelivered) rather than stop as a leak.
    if (isTransient(error)) throw error;
    return "unknown";
  }
}

/** GitHub's word on the repo, read at most once per event (the event's own repo: from its payload). */
export function repoVisibility(octokit: Octokit, scope: EventScope, repo: RepoRef): Promise<Visibility> {
  return scope.visibility(repoKey(repo), () => readVisibility(octokit, repo));
}

/** The block's own words must not carry the secret either (a route or field name could). */
function block(scope: EventScope, detail: BlockDetail): LeakBlocked {
  const clean = (text: string, instead: string) => (scope.secrets.find([{ place: "", text }]) ? instead : text);
  const error = new LeakBlocked({
    ...detail,
    request: clean(detail.request, "a request whose route itself names the secret"),
    target: clean(detail.target, "a repository whose name itself names the secret"),
    place: clean(detail.place, "a field whose name itself names the secret"),
  });
  scope.blocks.push(error);
  return error;
}

/** A file written through the contents or git-blob API travels base64-encoded: read what it says. */
function base64File(path: string, body: unknown): string | undefined {
  const { content, encoding } = (body ?? {}) as { content?: unknown; encoding?: unknown };
  if (typeof content !== "string") return undefined;
  const isFile = /\/contents\//.test(path) || (/\/git\/blobs$/.test(path) && encoding === "base64");
  return isFile ? Buffer.from(content, "base64").toString("utf8") : undefined;
}

interface Finding {
  hit: SecretHit;
  request: string;
  path: string;
  repo?: RepoRef;
  /** Set for a GraphQL mutation: the node ids it acts on. */
  nodes?: string[];
}

/** The CPU part of the check: what a write names, if it may not. No network here. */
function scanWrite(scope: EventScope, options: EndpointOptions, parsed: Parsed, path: string, defaults: Parsed["headers"]): Finding | undefined {
  if (path.endsWith("/graphql")) {
    const body = (parsed.body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
    if (!isMutation(body.query) || scope.secrets.empty) return undefined;
    const parts = textParts(body, (p) => `the GraphQL field \`${p}\``);
    for (const file of committedFiles(String(body.query), body.variables)) parts.push({ place: "a committed file's content (base64-decoded)", text: file });
    const hit = scope.secrets.find(parts);
    return hit && { hit, request: "a GraphQL mutation", path, nodes: mutationTargets(String(body.query), body.variables) };
  }
  if (allowedWrite(parsed.method, path)) return undefined;
  const repo = repoOf(path);
  if (repo && scope.knownVisibility(repoKey(repo)) === "private") return undefined;
  if (scope.secrets.empty) return undefined;
  const parts: TextPart[] = [{ place: "the URL", text: parsed.url }];
  for (const [name, value] of Object.entries(parsed.headers)) {
    if (value === undefined || SKIPPED_HEADERS.has(name.toLowerCase())) continue;
    // Octokit's own constants (accept, user-agent, JSON content type) carry nothing of an event.
    if (String(value) === String(defaults[name] ?? "") || (name === "content-type" && value === JSON_TYPE)) continue;
    parts.push({ place: `the header \`${name}\``, text: String(value) });
  }
  textParts(parsed.body, (p) => (p ? `the body field \`${p}\`` : "the body"), "", parts);
  const file = base64File(path, parsed.body);
  if (file !== undefined) parts.push({ place: "the file content (base64-decoded)", text: file });
  const hit = scope.secrets.find(parts, repo && repoKey(repo));
  return hit && { hit, request: `${parsed.method} ${options.url}`, path, repo };
}

/** A write that names a secret leaves only when GitHub says its target is private. */
async function guardWrite(octokit: Octokit, scope: EventScope, finding: Finding): Promise<void> {
  const { hit, request, repo, nodes } = finding;
  if (nodes) {
    const visibility = await targetsVisibility(octokit, scope, nodes);
    if (visibility === "private") return;
    throw block(scope, { request, target: nodes.length ? "the repository it acts on" : "a target the firewall cannot tell", visibility, ...hit });
  }
  const visibility = repo ? await repoVisibility(octokit, scope, repo) : "unknown";
  if (visibility === "private") return;
  throw block(scope, { request, target: repo ? repoKey(repo) : finding.path, visibility, ...hit });
}

const ISSUE_READ = "/repos/{owner}/{repo}/issues/{issue_number}";
const ADVISORY_READ = "/repos/{owner}/{repo}/security-advisories/{ghsa_id}";
/** The reads `observe` learns from; any other read passes the hook untouched. */
const OBSERVED_READS = new Set([ISSUE_READ, ADVISORY_READ]);

/** What a response teaches the scope: the security issue's own texts, an advisory now published. */
function observe(scope: EventScope, method: string, options: EndpointOptions, parsed: Parsed | undefined, path: string | undefined, data: unknown): void {
  if (method === "GET" && options.url === ISSUE_READ) {
    const issue = { owner: String(options.owner), repo: String(options.repo), issue_number: Number(options.issue_number) };
    if (data && typeof data === "object") scope.issueRead(issue, data as IssueTexts);
    return;
  }
  const ghsa = parsed && path ? publishedAdvisory(parsed.method, path, parsed.body) : undefined;
  if (ghsa) scope.releaseAdvisory(ghsa);
  // GitHub's word that it is out: a publish whose record write failed, resumed by a redelivery.
  const read = data as { ghsa_id?: unknown; state?: unknown } | undefined;
  if (method === "GET" && options.url === ADVISORY_READ && read?.state === "published" && typeof read.ghsa_id === "string") scope.releaseAdvisory(read.ghsa_id);
}

/** A REST write addressed to a repo the event knows is private: no need to even parse it. */
function toKnownPrivateRepo(scope: EventScope, options: EndpointOptions): boolean {
  const { owner, repo, url } = options;
  return typeof owner === "string" && typeof repo === "string" && url.startsWith("/repos/{owner}/{repo}/") && scope.knownVisibility(repoKey({ owner, repo })) === "private";
}

/** Wraps one Octokit instance (idempotent). Outside an event scope requests pass untouched. */
export function installFirewall(octokit: Octokit): void {
  const marked = octokit as unknown as Record<symbol, boolean>;
  if (marked[INSTALLED]) return;
  marked[INSTALLED] = true;
  octokit.hook.wrap("request", (request, raw) => {
    const scope = currentScope();
    const options = raw as unknown as EndpointOptions;
    if (!scope) return request(raw);
    const method = options.method.toUpperCase();
    // What neither checks nor teaches the scope goes straight on: no async layer of its own.
    if (method === "HEAD" || (method === "GET" && !OBSERVED_READS.has(options.url)) || (method !== "GET" && toKnownPrivateRepo(scope, options))) return request(raw);
    return checked(scope, method, options, () => request(raw));
  });
  const checked = async <R>(scope: EventScope, method: string, options: EndpointOptions, send: () => R | Promise<R>): Promise<R> => {
    let parsed: Parsed | undefined;
    let path: string | undefined;
    if (method !== "GET") {
      const finding = timed(() => {
        parsed = octokit.request.endpoint.parse(options as never) as Parsed;
        path = apiPath(parsed.url, options.baseUrl);
        return scanWrite(scope, options, parsed, path, octokit.request.endpoint.DEFAULTS.headers);
      });
      if (finding) await guardWrite(octokit, scope, finding);
    }
    const response = await send();
    if (method === "GET" || parsed?.method === "PATCH") timed(() => observe(scope, method, options, parsed, path, (response as { data?: unknown }).data));
    return response;
  };
}

/**
 * The first line: a handler checks the effects it decided for `target` before its first write, so
 * a blocked event writes nothing at all. Throws LeakBlocked, like the hook.
 */
export async function assertNoLeak(octokit: Octokit, target: RepoRef, effects: unknown): Promise<void> {
  const scope = currentScope();
  if (!scope) return;
  const hit = timed(() =>
    scope.knownVisibility(repoKey(target)) === "private" || scope.secrets.empty
      ? undefined
      : scope.secrets.find(textParts(effects, (p) => `\`${p}\` of the decided effects`), repoKey(target)),
  );
  if (!hit) return;
  const visibility = await repoVisibility(octokit, scope, target);
  if (visibility === "private") return;
  throw block(scope, { request: "the writes this event decided", target: repoKey(target), visibility, ...hit });
}
