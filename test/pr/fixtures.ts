/** Shared fixtures for fix-PR tests: a security issue with a response, PRs, and GitHub's answers. */
import { validateConfig } from "../../src/config/load-config.js";
import { LinkSealer } from "../../src/pr/pr-link.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { renderResponse } from "../../src/response/render-response.js";
import { BOT, SECURITY_REPO_ID, commentList, INSTALLATION_ID, mockCommentById, mockConfig, mockToken, mockVisibility, NOW, RENDER_CONTEXT, type StoredComment } from "../helpers/app.js";
import { loadWebhookExample, type GitHubMock } from "../helpers/github-api.js";

export const SECURITY_YAML = 'team: acme/sec\ncomponents:\n  api:\n    repo: acme/product\n    owners: [owner1]\nsupported_branches: [main, "4.19"]\n';
export const PRODUCT_YAML = "security_repo: acme/security\npublic_pr:\n  review_team: acme/core\n";
export const ISSUE = "/repos/acme/security/issues/7";
export const TITLE = "SQL injection in the login form";
export const CVE = "CVE-2026-1234";
export const SECRETS = [CVE, "acme/security", "security#7", TITLE, "SQL injection", "security/issues/7"];
export const HEAD = "1111111111111111111111111111111111111111";
export const APP_ID = 1;
export const sealer = new LinkSealer("test-link-secret");
/** acme/product's id: the webhook examples' repository, which every PR fixture here is made from. */
export const PRODUCT_REPO_ID = 186853002;
/** The link as the app seals it now: the PR's repository by id, and the response's repository (acme/security) by id. */
export const SEALED = sealer.seal({ key: "acme/product#42", repoId: PRODUCT_REPO_ID }, [{ key: "acme/security#7", repoId: SECURITY_REPO_ID }]);
export const RUNS = (repo: string, sha: string) => `/repos/${repo}/commits/${sha}/check-runs`;

export function securityConfig(yaml: Record<string, unknown> = { team: "acme/sec", components: { api: { repo: "acme/product", owners: ["owner1"] } }, supported_branches: ["main", "4.19"] }) {
  const result = validateConfig(yaml);
  if (!result.ok) throw new Error(result.problems.join());
  return result.config;
}

/** The response comment's id on security issue `number`. */
export const commentIdOf = (number: number) => (number === 7 ? 555 : 550 + number);

/** The security issue's comments: the app's response comment with a record, kept current by PATCHes. */
export async function storeResponse(record: Partial<ResponseRecord> = {}, number = 7): Promise<StoredComment[]> {
  const base = { ...newRecord(new Date("2026-11-20T09:30:00Z"), NOW), state: "confirmed" as const, components: ["api"], severity: "high" as const, cve: CVE, ...record };
  const body = await renderResponse(base, securityConfig(), { title: TITLE, reporter: "reporter" }, undefined, { ...RENDER_CONTEXT, issue: { ...RENDER_CONTEXT.issue, issue_number: number } });
  return [{ id: commentIdOf(number), body, user: { login: BOT, type: "Bot" } }];
}

export function serveComments(gh: GitHubMock, stored: StoredComment[], times = 1, number = 7) {
  const issue = `/repos/acme/security/issues/${number}`;
  gh.api.get(`${issue}/comments`).query(true).times(times).reply(200, () => commentList(stored));
  gh.api
    .patch(`/repos/acme/security/issues/comments/${commentIdOf(number)}`)
    .optionally()
    .times(times)
    .reply(200, (_u, b: any) => {
      stored[0]!.body = b.body;
      return { id: commentIdOf(number) };
    });
}

/**
 * The response comment read by the id the app remembered on an earlier event (one GET, no
 * listing), kept current by PATCHes like `serveComments`.
 */
export function serveResponseById(gh: GitHubMock, stored: StoredComment[], number = 7) {
  mockCommentById(gh, () => stored, commentIdOf(number), { number });
  gh.api
    .patch(`/repos/acme/security/issues/comments/${commentIdOf(number)}`)
    .optionally()
    .reply(200, (_u, b: any) => {
      stored[0]!.body = b.body;
      return { id: commentIdOf(number) };
    });
}

/**
 * What an event on linked PR acme/product#42 reads before it decides: the product's config, the
 * gate run carrying the sealed link, the security config, the security issue as it is now (with
 * its report), the response (listed, or by the id remembered: `byId`), the reviews (one approval,
 * one membership check) and, with `commits`, the commits (the wording check a public PR gets).
 */
export function mockLinkedPrReads(gh: GitHubMock, stored: StoredComment[], productYaml: string, opts: { report?: string; byId?: boolean; commits?: boolean } = {}) {
  mockConfig(gh, "acme", "product", productYaml);
  serveRuns(gh, "acme/product", HEAD, [{ id: 77, external_id: SEALED, status: "completed", conclusion: "action_required", title: "Waiting for review" }]);
  mockConfig(gh, "acme", "security", SECURITY_YAML);
  gh.api.get(ISSUE).reply(200, {
    number: 7,
    title: TITLE,
    body: opts.report ?? "Details of the report.",
    state: "open",
    user: { login: "reporter" },
    html_url: "https://github.com/acme/security/issues/7",
    url: "https://api.github.com/repos/acme/security/issues/7",
    labels: [{ name: "security" }, { name: "security: fixing" }, { name: "severity: high" }],
  });
  if (opts.byId) mockCommentById(gh, () => stored, 555);
  else gh.api.get(`${ISSUE}/comments`).query(true).reply(200, () => commentList(stored));
  gh.api.get("/repos/acme/product/pulls/42/reviews").query(true).reply(200, [{ id: 1, user: { login: "sec1" }, state: "APPROVED", commit_id: HEAD, body: "" }]);
  serveTeam(gh, ["sec1"]);
  if (opts.commits) gh.api.get("/repos/acme/product/pulls/42/commits").query(true).reply(200, [{ sha: HEAD, commit: { message: "Refactor the parser" } }]);
}

/** The one reply on the security issue (a leak block's): read back as posted, with the comments list that finds it next time. */
export function expectReply(gh: GitHubMock, stored: StoredComment[]): { body?: string } {
  const reply: { body?: string } = {};
  gh.api.get(`${ISSUE}/comments`).query(true).reply(200, () => commentList(stored));
  gh.api.post(`${ISSUE}/comments`, (b) => ((reply.body = b.body), true)).reply(201, (_u, b: any) => {
    stored.push({ id: 556, body: b.body, user: { login: BOT, type: "Bot" } });
    return { id: 556 };
  });
  return reply;
}

export interface PullShape {
  repo?: string;
  private?: boolean;
  number?: number;
  title?: string;
  body?: string;
  base?: string;
  head?: string;
  ref?: string;
  state?: string;
  merged?: boolean;
  labels?: string[];
  author?: string;
  commits?: number;
}

export function pull(shape: PullShape = {}) {
  const p = loadWebhookExample("pull_request", "opened").pull_request;
  const [owner, repo] = (shape.repo ?? "acme/product").split("/");
  p.number = shape.number ?? 42;
  p.title = shape.title ?? "Tighten input handling";
  p.body = shape.body ?? "Refactors the parser.";
  p.state = shape.state ?? "open";
  p.merged = shape.merged ?? false;
  p.merged_at = shape.merged ? "2026-11-22T11:00:00Z" : null;
  p.user = { ...p.user, login: shape.author ?? "dev1" };
  p.html_url = `https://github.com/${owner}/${repo}/pull/${p.number}`;
  p.commits = shape.commits ?? 1;
  p.head = { ...p.head, sha: shape.head ?? HEAD, ref: shape.ref ?? "tidy-parser" };
  p.base = { ...p.base, ref: shape.base ?? "main", sha: "b".repeat(40) };
  p.base.repo = {
    ...p.base.repo,
    name: repo,
    full_name: `${owner}/${repo}`,
    html_url: `https://github.com/${owner}/${repo}`,
    owner: { ...p.base.repo.owner, login: owner },
    private: shape.private ?? false,
    visibility: shape.private ? "private" : "public",
  };
  p.labels = (shape.labels ?? []).map((name, i) => ({ id: i, node_id: `L${i}`, url: "", name, color: "ededed", default: false, description: null }));
  p.requested_reviewers = [];
  p.requested_teams = [];
  return p;
}

/** The examples' `updated_at`, which every `pull()` copy carries unless a test dates it. */
const EXAMPLE_UPDATED_AT: string = loadWebhookExample("pull_request", "opened").pull_request.updated_at;
let eventClock = Date.parse("2026-11-22T10:00:00Z");

/**
 * GitHub moves a PR's `updated_at` with every change, in whole seconds: each event built here is
 * a second newer than the one built before it, as events a second apart are. A copy a test dated
 * itself (a late or same-second event) keeps its date.
 */
function dated<P extends { updated_at: string }>(p: P): P {
  if (p.updated_at !== EXAMPLE_UPDATED_AT) return p;
  eventClock += 1000;
  return { ...p, updated_at: new Date(eventClock).toISOString().replace(".000Z", "Z") };
}

export function prEvent(action: string, p: ReturnType<typeof pull>, extra: Record<string, unknown> = {}) {
  const payload = loadWebhookExample("pull_request", "opened");
  payload.action = action;
  payload.number = p.number;
  payload.pull_request = dated(p);
  payload.repository = { ...payload.repository, ...p.base.repo };
  payload.installation = { id: INSTALLATION_ID };
  // The author acts on their own PR unless a test says who else did (`extra.sender`).
  payload.sender = { ...payload.sender, login: p.user.login, type: "User" };
  Object.assign(payload, extra);
  return { id: `pr-${Math.random()}`, name: "pull_request" as const, payload };
}

export function reviewEvent(p: ReturnType<typeof pull>, login: string | null, state: string) {
  const payload = loadWebhookExample("pull_request_review", "submitted");
  payload.pull_request = dated(p);
  payload.repository = { ...payload.repository, ...p.base.repo };
  payload.installation = { id: INSTALLATION_ID };
  payload.review = { ...payload.review, user: login === null ? null : { ...payload.review.user, login }, state, commit_id: p.head.sha };
  return { id: `review-${Math.random()}`, name: "pull_request_review" as const, payload };
}

/** `issues.closed` / `issues.reopened` on the security issue, by `sender`. */
export function issueStateEvent(action: "closed" | "reopened", sender: string, senderType: "User" | "Bot" = "User", number = 7) {
  // The examples have no issues.closed; a reopened one has the same shape.
  const payload = loadWebhookExample("issues", "reopened");
  payload.action = action;
  payload.issue.state = action === "closed" ? "closed" : "open";
  payload.issue.closed_at = action === "closed" ? "2026-11-22T11:30:00Z" : null;
  payload.issue.number = number;
  payload.repository = { ...payload.repository, name: "security", full_name: "acme/security", owner: { ...payload.repository.owner, login: "acme" }, private: true, visibility: "private" };
  payload.installation = { id: INSTALLATION_ID };
  payload.sender = { ...payload.sender, login: sender, type: senderType };
  delete payload.issue.pull_request;
  return { id: `${action}-${Math.random()}`, name: "issues" as const, payload };
}

export interface RunShape {
  id: number;
  name?: string;
  external_id: string | null;
  status: string;
  conclusion: string | null;
  title?: string;
  appId?: number;
}

/** A check-runs list as GitHub answers it; runs are the app's own unless `appId` says otherwise. */
export function runList(runs: RunShape[]) {
  return {
    total_count: runs.length,
    check_runs: runs.map((r) => ({ id: r.id, name: r.name ?? "review gate", external_id: r.external_id, status: r.status, conclusion: r.conclusion, output: { title: r.title ?? null, summary: null }, app: { id: r.appId ?? APP_ID, slug: r.appId && r.appId !== APP_ID ? "other" : "embargo" } })),
  };
}

export function serveRuns(gh: GitHubMock, repo: string, sha: string, runs: RunShape[] = []) {
  gh.api.get(RUNS(repo, sha)).query(true).reply(200, runList(runs));
}

/** The passing run an unlinked open PR gets, as GitHub holds it once written: no link in it (`external_id` empty). */
export const UNLINKED_RUN: RunShape = { id: 70, external_id: "", status: "completed", conclusion: "success", title: "No review needed" };

/** Accepts the unlinked PR's passing run on `repo`: each body as the app sent it. */
export function acceptUnlinkedRun(gh: GitHubMock, repo = "acme/product"): Record<string, unknown>[] {
  const created: Record<string, unknown>[] = [];
  gh.api.post(`/repos/${repo}/check-runs`, (b) => (created.push(b), true)).reply(201, { id: 70 });
  return created;
}

/** What GitHub receives for an unlinked open PR at `head_sha`: the gate's name, passing, neutral words, no link. */
export function unlinkedRunBody(head_sha: string, name = "review gate") {
  return { name, head_sha, status: "completed", conclusion: "success", output: { title: "No review needed", summary: "This change needs no extra review." } };
}

/**
 * The security team: membership answers for anyone (GitHub's 404 for a non-member, then the team
 * itself found), and its member list. Optional: each test asserts on what users see.
 */
export function serveTeam(gh: GitHubMock, members: string[], opts: { exists?: boolean; team?: string } = {}) {
  const team = opts.team ?? "acme/sec";
  const [org, slug] = team.split("/");
  const exists = opts.exists ?? true;
  gh.api
    .get(new RegExp(`^/orgs/${org}/teams/${slug}/memberships/[^/]+$`))
    .optionally()
    .times(50)
    .reply((uri) => {
      const user = decodeURIComponent(uri.split("/").pop()!);
      return exists && members.includes(user) ? [200, { state: "active", role: "member", url: `https://api.github.com${uri}` }] : [404, { message: "Not Found" }];
    });
  gh.api.get(`/orgs/${org}/teams/${slug}`).optionally().times(50).reply(exists ? 200 : 404, exists ? { id: 9, slug, name: slug } : { message: "Not Found" });
  gh.api.get(`/orgs/${org}/teams/${slug}/members`).query(true).optionally().times(10).reply(exists ? 200 : 404, exists ? members.map((login) => ({ login })) : { message: "Not Found" });
}

export interface SyncMocks {
  repo?: string;
  /** The PR's reviews; null when the event must not read them (a released response, a merged PR, a push with nothing to judge). */
  reviews?: { login: string | null; state: string; commit_id: string; submitted_at?: string }[] | null;
  commits?: { sha: string; message: string }[];
  issueLabels?: string[];
  issueState?: "open" | "closed";
  number?: number;
  /** False when the event has read the security issue already (an event on the issue itself reads it once). */
  issue?: boolean;
  /** The leak firewall asks once per event whether the security repo is private, before writing the response there. */
  visibility?: boolean;
}

/** The reads syncPr makes for one response once it knows the link (the security repo's config is read separately). */
export function mockSyncReads(gh: GitHubMock, m: SyncMocks) {
  const repo = m.repo ?? "acme/product";
  const number = m.number ?? 7;
  if (m.visibility !== false) mockVisibility(gh, "acme", "security");
  if (m.issue !== false) gh.api.get(`/repos/acme/security/issues/${number}`).reply(200, {
    number,
    title: TITLE,
    state: m.issueState ?? "open",
    user: { login: "reporter" },
    html_url: `https://github.com/acme/security/issues/${number}`,
    url: `https://api.github.com/repos/acme/security/issues/${number}`,
    labels: (m.issueLabels ?? ["security", "security: confirmed", "severity: high"]).map((name) => ({ name })),
  });
  if (m.reviews !== null) {
    const reviews = (m.reviews ?? []).map((r, i) => ({ id: i, user: r.login === null ? null : { login: r.login }, state: r.state, commit_id: r.commit_id, body: "", ...(r.submitted_at ? { submitted_at: r.submitted_at } : {}) }));
    gh.api.get(`/repos/${repo}/pulls/42/reviews`).query(true).reply(200, reviews);
  }
  if (m.commits) gh.api.get(`/repos/${repo}/pulls/42/commits`).query(true).reply(200, m.commits.map((c) => ({ sha: c.sha, commit: { message: c.message } })));
}

/** The calls every PR event makes before it knows the link. */
export function mockPrStart(gh: GitHubMock, repo = "acme/product", yaml: string | null = PRODUCT_YAML) {
  mockToken(gh);
  const [owner, name] = repo.split("/") as [string, string];
  mockConfig(gh, owner, name, yaml);
}

/** GitHub's events of #7, its latest a close: by hand (`commit` null), or by a merged PR's closing keyword. */
export function serveCloseEvent(gh: GitHubMock, commit: string | null) {
  gh.api.get(`${ISSUE}/events`).query(true).reply(200, [
    { id: 41, node_id: "LE41", url: "https://api.github.com/repos/acme/security/issues/events/41", event: "labeled", actor: { login: "sec1" }, commit_id: null, commit_url: null, created_at: "2026-11-22T11:00:00Z", label: { name: "security", color: "d73a4a" } },
    { id: 42, node_id: "CE42", url: "https://api.github.com/repos/acme/security/issues/events/42", event: "closed", actor: { login: "sec1" }, commit_id: commit, commit_url: commit && `https://api.github.com/repos/acme/security/commits/${commit}`, created_at: "2026-11-22T11:30:00Z" },
  ]);
}
