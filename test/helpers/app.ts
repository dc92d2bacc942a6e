import { Probot, ProbotOctokit } from "probot";
import { createApp, type AppOptions } from "../../src/index.js";
import { decodeRecord, RESPONSE_MARKER } from "../../src/record/markers.js";
import type { ResponseRecord } from "../../src/record/response-record.js";
import { KeyRing } from "../../src/security/key-ring.js";
import type { Store } from "../../src/store/store.js";
import { blobSha } from "../../src/github/conditional-read.js";
import { setCreatePause } from "../../src/github/create-once.js";
import { setLagPause } from "../../src/github/record-mark.js";
import { loadWebhookExample, mockInstallationToken, testPrivateKey, type GitHubMock } from "./github-api.js";

export const INSTALLATION_ID = 42;
export const BOT = "embargo[bot]";
export const NOW = new Date("2026-11-22T12:00:00Z");
/** The app's secret in tests, and its keys: records the tests build are signed like the app's. */
export const TEST_SECRET = "test-link-secret";
export const TEST_KEYS = new KeyRing(TEST_SECRET);
/**
 * acme/security's id: the issue and comment events here are made from GitHub's examples, whose
 * repository has this id. The app binds the records it writes to it (v3); records the tests
 * render outside an event have no id to bind to, so they are bound by name (v2), as older
 * versions of the app wrote them.
 */
export const SECURITY_REPO_ID = 186853002;
/** A record's binding as the app has it in an event on acme/security (`owner/repo#n`). */
export function securityScope(issue: string, repoId = SECURITY_REPO_ID) {
  const [full, n] = issue.split("#") as [string, string];
  const [owner, repo] = full.split("/") as [string, string];
  return { owner, repo, issue_number: Number(n), repo_id: repoId };
}
/** A record of issue `issue` as the app reads it: bound to the repository's id (v3), or to the name (v2). */
export function decodeAsApp(body: string, issue: string, repoId = SECURITY_REPO_ID) {
  const byId = decodeRecord(body, TEST_KEYS, securityScope(issue, repoId));
  return byId.found ? byId : decodeRecord(body, TEST_KEYS, issue);
}
/** How tests render a response comment for acme/security#7 the way the app would. */
export const RENDER_CONTEXT = { keys: TEST_KEYS, issue: { owner: "acme", repo: "security", issue_number: 7 }, now: NOW };

/**
 * A Probot that talks only to nock: no throttling (DESIGN.md on Probot 14.3) and no retries, unless
 * `retries` asks for Probot's own (3 retries of a 5xx, any method), waiting a millisecond instead of seconds.
 * `github.baseUrl`: the REST API it talks to (`GHES_API` for GitHub Enterprise Server), as an
 * operator sets it with `GHE_HOST`.
 */
export function createTestProbot(now: Date = NOW, options: AppOptions = {}, test: { baseUrl?: string; retries?: boolean } = {}): Probot {
  const { retries, ...github } = test;
  // A create answered 5xx is looked for again at once (in production after a second: GitHub's lists lag).
  setCreatePause(0);
  setLagPause(0);
  const probot = new Probot({
    ...github,
    appId: 1,
    privateKey: testPrivateKey(),
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
      ...o,
      retry: retries ? { retryAfterBaseValue: 1 } : { enabled: false },
      throttle: { ...(o.throttle as object), enabled: false },
    })),
    logLevel: "fatal",
  });
  // The app's memory between events is on, as in production (a fresh store per Probot, unless a
  // test passes `store`): from its second event on, the app reads the response comment by its id.
  // The dashboard (test/dashboard) costs calls on every response write: off unless a test asks.
  void probot.load(createApp({ now: () => now, secret: TEST_SECRET, dashboard: false, tickMinutes: 0, ...options }));
  return probot;
}

/** What every event costs before the app does anything: a token for the installation. */
export function mockToken(gh: GitHubMock): void {
  mockInstallationToken(gh.api, INSTALLATION_ID);
}

/** The app asks once per process who it is, to trust only its own comments. */
export function mockIdentity(gh: GitHubMock): void {
  gh.api.get("/app").reply(200, { id: 1, slug: "embargo", name: "embargo", owner: { login: "acme" } });
}

const CONFIG_PATH = `/contents/${encodeURIComponent(".github/embargo.yml")}`;

/** `.github/embargo.yml`: a YAML text, or null for "no file" (then the owner's .github repo is asked too). */
export function mockConfig(gh: GitHubMock, owner: string, repo: string, yaml: string | null): void {
  if (yaml === null) {
    gh.api.get(`/repos/${owner}/${repo}${CONFIG_PATH}`).reply(404, { message: "Not Found" });
    gh.api.get(`/repos/${owner}/.github${CONFIG_PATH}`).reply(404, { message: "Not Found" });
  } else {
    gh.api.get(`/repos/${owner}/${repo}${CONFIG_PATH}`).reply(200, yaml, { "content-type": "text/plain; charset=utf-8" });
  }
}

/**
 * `GET /repos/{owner}/{repo}`: the leak firewall asks GitHub once per event whether a repo other
 * than the event's own is private before it lets secrets be written there.
 */
export function mockVisibility(gh: GitHubMock, owner: string, repo: string, visibility: "private" | "public" | "internal" = "private"): void {
  const id = `${owner}/${repo}` === "acme/security" ? SECURITY_REPO_ID : 186853100;
  gh.api.get(`/repos/${owner}/${repo}`).reply(200, { id, name: repo, full_name: `${owner}/${repo}`, private: visibility !== "public", visibility });
}

/** No template overrides: the `.github` folder (listed to learn whether `.github/embargo/` exists) is not there. */
export function mockNoOverrides(gh: GitHubMock, owner: string, repo: string): void {
  gh.api.get(`/repos/${owner}/${repo}/contents/.github`).reply(404, { message: "Not Found" });
}

/** A git tree as `GET /repos/{owner}/{repo}/git/trees/{tree_sha}` answers it: each file a regular blob, under its blob sha. */
export function gitTree(sha: string, files: Record<string, string>, extra: { path: string; mode: string; type: string; sha: string }[] = []) {
  const entries = Object.entries(files).map(([path, text]) => ({ path, mode: "100644", type: "blob", sha: blobSha(text), size: Buffer.byteLength(text) }));
  return { sha, url: `https://api.github.com/git/trees/${sha}`, truncated: false, tree: [...entries, ...extra] };
}

/** A blob as `GET /repos/{owner}/{repo}/git/blobs/{file_sha}` answers it: base64, as GitHub always sends it. */
export function gitBlob(text: string) {
  const sha = blobSha(text);
  return { sha, node_id: `B_${sha}`, size: Buffer.byteLength(text), url: `https://api.github.com/git/blobs/${sha}`, encoding: "base64", content: Buffer.from(text).toString("base64").replace(/.{60}/g, "$&\n") };
}

/**
 * Template overrides in `.github/embargo/`: the `.github` folder lists an `embargo` folder under its
 * tree sha, that tree (read by sha) lists the files with their blob shas, and each blob is served
 * by its sha (`times` reads of each).
 */
export function mockOverrides(gh: GitHubMock, owner: string, repo: string, files: Record<string, string>, times = 1): void {
  const tree = blobSha(JSON.stringify(files));
  gh.api.get(`/repos/${owner}/${repo}/contents/.github`).times(times).reply(200, [{ type: "file", name: "embargo.yml", path: ".github/embargo.yml", sha: "c0" }, { type: "dir", name: "embargo", path: ".github/embargo", sha: tree }]);
  gh.api.get(`/repos/${owner}/${repo}/git/trees/${tree}`).times(times).reply(200, gitTree(tree, files));
  for (const text of Object.values(files)) gh.api.get(`/repos/${owner}/${repo}/git/blobs/${blobSha(text)}`).times(times).reply(200, gitBlob(text));
}

export interface RepoShape {
  owner?: string;
  repo?: string;
  private?: boolean;
}

function shapeRepository(payload: any, shape: RepoShape) {
  const owner = shape.owner ?? "acme";
  const repo = shape.repo ?? "security";
  const isPrivate = shape.private ?? true;
  payload.repository.name = repo;
  payload.repository.full_name = `${owner}/${repo}`;
  payload.repository.owner.login = owner;
  payload.repository.private = isPrivate;
  payload.repository.visibility = isPrivate ? "private" : "public";
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" };
}

export interface IssueShape extends RepoShape {
  number?: number;
  title?: string;
  body?: string;
  labels?: string[];
  author?: string;
  assignees?: string[];
  state?: "open" | "closed";
}

function shapeIssue(issue: any, shape: IssueShape) {
  issue.number = shape.number ?? 7;
  issue.title = shape.title ?? "Report";
  issue.body = shape.body ?? "";
  issue.state = shape.state ?? "open";
  issue.created_at = "2026-11-20T09:30:00Z";
  issue.user = { ...issue.user, login: shape.author ?? "reporter", type: "User" };
  issue.labels = (shape.labels ?? []).map((name, i) => ({ id: 1000 + i, node_id: `L${i}`, url: "", name, color: "ededed", default: false, description: null }));
  issue.assignees = (shape.assignees ?? []).map((login, i) => ({ ...issue.user, login, id: 500 + i }));
  issue.assignee = issue.assignees[0] ?? null;
  delete issue.pull_request;
}

/** `issues.labeled` as GitHub sends it, from @octokit/webhooks-examples, reshaped. */
export function labeledEvent(shape: IssueShape & { label?: string } = {}) {
  const payload = loadWebhookExample("issues", "labeled");
  shapeRepository(payload, shape);
  const label = shape.label ?? "security";
  shapeIssue(payload.issue, { ...shape, labels: shape.labels ?? [label] });
  payload.label = { ...payload.label, name: label };
  payload.sender = { ...payload.sender, login: "maintainer", type: "User" };
  return { id: `labeled-${Math.random()}`, name: "issues" as const, payload };
}

export function openedEvent(shape: IssueShape = {}) {
  const payload = loadWebhookExample("issues", "opened");
  shapeRepository(payload, shape);
  shapeIssue(payload.issue, shape);
  return { id: `opened-${Math.random()}`, name: "issues" as const, payload };
}

export interface CommentShape extends IssueShape {
  commentId?: number;
  commentBody: string;
  sender?: string;
  senderType?: "User" | "Bot";
  action?: "created" | "edited";
  previousBody?: string;
}

export function commentEvent(shape: CommentShape) {
  const action = shape.action ?? "created";
  const payload = loadWebhookExample("issue_comment", action);
  shapeRepository(payload, shape);
  shapeIssue(payload.issue, { labels: ["security", "security: triage"], ...shape });
  const sender = shape.sender ?? "alice";
  const type = shape.senderType ?? "User";
  payload.comment.id = shape.commentId ?? 9001;
  payload.comment.body = shape.commentBody;
  payload.comment.user = { ...payload.comment.user, login: sender, type };
  payload.sender = { ...payload.sender, login: sender, type };
  if (action === "edited") payload.changes = { body: { from: shape.previousBody ?? "" } };
  return { id: `comment-${Math.random()}`, name: "issue_comment" as const, payload };
}

export interface StoredComment {
  id: number;
  body: string;
  user: { login: string; type: string };
}

/** A comment list as `GET …/comments` returns it. */
export function commentList(comments: StoredComment[]) {
  return comments.map((c) => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `https://api.github.com/repos/acme/security/issues/comments/${c.id}`,
    html_url: `https://github.com/acme/security/issues/7#issuecomment-${c.id}`,
    issue_url: "https://api.github.com/repos/acme/security/issues/7",
    body: c.body,
    user: { login: c.user.login, id: 1, type: c.user.type },
    created_at: "2026-11-20T10:00:00Z",
    updated_at: "2026-11-20T10:00:00Z",
    author_association: "NONE",
  }));
}

/** `GET /repos/acme/security/issues/comments/{id}` answered from `comments()` when asked (404 when gone). */
export function mockCommentById(gh: GitHubMock, comments: () => StoredComment[], id: number, options: { number?: number; times?: number } = {}): void {
  const url = `https://api.github.com/repos/acme/security/issues/${options.number ?? 7}`;
  gh.api
    .get(`/repos/acme/security/issues/comments/${id}`)
    .times(options.times ?? 1)
    .reply(() => {
      const c = comments().find((x) => x.id === id);
      return c ? [200, { ...commentList([c])[0], issue_url: url }] : [404, { message: "Not Found" }];
    });
}

/**
 * How the app finds the response comment of acme/security#<n> on this event, as it really does:
 * by the id its store remembers (one `GET …/issues/comments/{id}`, answered from `comments()`
 * when the event runs), and by listing the comments when nothing is remembered or the remembered
 * comment is not the app's valid response any more. Pass the app's store (`createTestProbot(…, { store })`).
 */
export async function mockResponseLookup(
  gh: GitHubMock,
  store: Store,
  comments: () => StoredComment[],
  /** `id`: the id the app will remember by then (a second read inside one event), whatever the store holds now. */
  options: { number?: number; id?: number } = {},
): Promise<"by-id" | "listed" | "both"> {
  const number = options.number ?? 7;
  const path = `/repos/acme/security/issues/${number}`;
  const id = options.id ?? Number(await store.get(`response-comment:repo:${SECURITY_REPO_ID}#${number}`));
  const list = () => gh.api.get(`${path}/comments`).query(true).reply(200, () => commentList(comments()).map((c) => ({ ...c, issue_url: `https://api.github.com${path}` })));
  if (!id) {
    list();
    return "listed";
  }
  const found = comments().find((c) => c.id === id);
  mockCommentById(gh, comments, id, { number });
  const valid = found && found.user.login === BOT && decodeAsApp(found.body, `acme/security#${number}`).found;
  if (valid) return "by-id";
  list();
  return "both";
}

/** The record of a response body, verified as the app verifies it (bound to acme/security#7 unless told). */
export function recordOf(body: string, issue = "acme/security#7", repoId = SECURITY_REPO_ID): ResponseRecord {
  const decoded = decodeAsApp(body, issue, repoId);
  if (!decoded.found) throw new Error(`no record in:\n${body}`);
  return decoded.record;
}

export function isResponse(body: string): boolean {
  return body.includes(RESPONSE_MARKER);
}
