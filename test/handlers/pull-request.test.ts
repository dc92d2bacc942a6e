import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load-config.js";
import { LinkSealer } from "../../src/pr/pr-link.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { renderResponse } from "../../src/response/render-response.js";
import {
  BOT,
  commentEvent,
  commentList,
  createTestProbot,
  INSTALLATION_ID,
  mockConfig,
  mockIdentity,
  mockNoOverrides,
  mockToken,
  NOW,
  recordOf,
  type StoredComment,
} from "../helpers/app.js";
import { loadWebhookExample, mockGitHub, type GitHubMock } from "../helpers/github-api.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const SECURITY_YAML = 'team: acme/sec\ncomponents:\n  api:\n    repo: acme/product\n    owners: [owner1]\nsupported_branches: [main, "4.19"]\n';
const PRODUCT_YAML = "security_repo: acme/security\npublic_pr:\n  review_team: acme/core\n";
const ISSUE = "/repos/acme/security/issues/7";
const TITLE = "SQL injection in the login form";
const CVE = "CVE-2026-1234";
const SECRETS = [CVE, "acme/security", "security#7", TITLE, "SQL injection", "security/issues/7"];
const HEAD = "1111111111111111111111111111111111111111";
const sealer = new LinkSealer("test-link-secret");
const SEALED = sealer.seal("acme/security#7");

function securityConfig() {
  const result = validateConfig({ team: "acme/sec", components: { api: { repo: "acme/product", owners: ["owner1"] } }, supported_branches: ["main", "4.19"] });
  if (!result.ok) throw new Error(result.problems.join());
  return result.config;
}

/** The security issue's comments: the app's response comment with a record, kept current by PATCHes. */
async function storeResponse(record: Partial<ResponseRecord> = {}): Promise<StoredComment[]> {
  const base = { ...newRecord(new Date("2026-11-20T09:30:00Z"), NOW), state: "confirmed" as const, components: ["api"], severity: "high" as const, cve: CVE, ...record };
  const body = await renderResponse(base, securityConfig(), { title: TITLE, reporter: "reporter" });
  return [{ id: 555, body, user: { login: BOT, type: "Bot" } }];
}

function serveComments(stored: StoredComment[], times = 1) {
  gh.api.get(`${ISSUE}/comments`).query(true).times(times).reply(200, () => commentList(stored));
  gh.api
    .patch("/repos/acme/security/issues/comments/555")
    .optionally()
    .times(times)
    .reply(200, (_u, b: any) => {
      stored[0]!.body = b.body;
      return { id: 555 };
    });
}

function pull(shape: { repo?: string; private?: boolean; number?: number; title?: string; body?: string; base?: string; head?: string; ref?: string; state?: string; merged?: boolean; labels?: string[] } = {}) {
  const p = loadWebhookExample("pull_request", "opened").pull_request;
  const [owner, repo] = (shape.repo ?? "acme/product").split("/");
  p.number = shape.number ?? 42;
  p.title = shape.title ?? "Tighten input handling";
  p.body = shape.body ?? "Refactors the parser.";
  p.state = shape.state ?? "open";
  p.merged = shape.merged ?? false;
  p.merged_at = shape.merged ? "2026-11-22T11:00:00Z" : null;
  p.user = { ...p.user, login: "dev1" };
  p.head = { ...p.head, sha: shape.head ?? HEAD, ref: shape.ref ?? "tidy-parser" };
  p.base = { ...p.base, ref: shape.base ?? "main" };
  p.base.repo = { ...p.base.repo, name: repo, full_name: `${owner}/${repo}`, owner: { ...p.base.repo.owner, login: owner }, private: shape.private ?? false, visibility: shape.private ? "private" : "public" };
  p.labels = (shape.labels ?? []).map((name, i) => ({ id: i, node_id: `L${i}`, url: "", name, color: "ededed", default: false, description: null }));
  p.requested_reviewers = [];
  p.requested_teams = [];
  return p;
}

function prEvent(action: string, p: ReturnType<typeof pull>, extra: Record<string, unknown> = {}) {
  const payload = loadWebhookExample("pull_request", "opened");
  payload.action = action;
  payload.number = p.number;
  payload.pull_request = p;
  payload.repository = { ...payload.repository, ...p.base.repo };
  payload.installation = { id: INSTALLATION_ID };
  Object.assign(payload, extra);
  return { id: `pr-${Math.random()}`, name: "pull_request" as const, payload };
}

function reviewEvent(p: ReturnType<typeof pull>, login: string, state: string) {
  const payload = loadWebhookExample("pull_request_review", "submitted");
  payload.pull_request = p;
  payload.repository = { ...payload.repository, ...p.base.repo };
  payload.installation = { id: INSTALLATION_ID };
  payload.review = { ...payload.review, user: { ...payload.review.user, login }, state, commit_id: p.head.sha };
  return { id: `review-${Math.random()}`, name: "pull_request_review" as const, payload };
}

const RUNS = (repo: string, sha: string) => `/repos/${repo}/commits/${sha}/check-runs`;

interface SyncMocks {
  repo?: string;
  reviews?: { login: string; state: string; commit_id: string }[];
  commits?: { sha: string; message: string }[];
  runs?: { id: number; external_id: string | null; status: string; conclusion: string | null; output: { title: string | null } }[];
  issueLabels?: string[];
  issueState?: "open" | "closed";
}

/** The calls syncPr makes once it knows the link (config of the security repo read separately). */
function mockSyncReads(m: SyncMocks) {
  const repo = m.repo ?? "acme/product";
  gh.api.get(ISSUE).reply(200, { number: 7, title: TITLE, state: m.issueState ?? "open", user: { login: "reporter" }, labels: (m.issueLabels ?? ["security", "security: confirmed", "severity: high"]).map((name) => ({ name })) });
  gh.api.get(`/repos/${repo}/pulls/42/reviews`).query(true).reply(200, (m.reviews ?? []).map((r, i) => ({ id: i, user: { login: r.login }, state: r.state, commit_id: r.commit_id, body: "" })));
  gh.api.get("/orgs/acme/teams/sec/members").query(true).reply(200, [{ login: "sec1" }, { login: "alice" }]);
  if (m.commits) gh.api.get(`/repos/${repo}/pulls/42/commits`).query(true).reply(200, m.commits.map((c) => ({ sha: c.sha, commit: { message: c.message } })));
}

/** The command handler's own reads: the issue as it is now, and (for a PR elsewhere) whether alice can see that repo. */
function mockCommandReads(linkRepo?: string) {
  gh.api.get(ISSUE).reply(200, { number: 7, title: TITLE, state: "open", user: { login: "reporter" }, labels: ["security", "security: confirmed", "severity: high"].map((name) => ({ name })) });
  if (linkRepo) gh.api.get(`/repos/${linkRepo}/collaborators/alice/permission`).reply(200, { permission: "read", role_name: "read", user: { login: "alice", id: 77, type: "User" } });
}

describe("/triage pr links a public PR", () => {
  it("labels it, asks for reviews, gates it, lists it in the response — and nothing on the PR names the issue", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    const stored = await storeResponse();
    serveComments(stored, 2);
    gh.api.get("/orgs/acme/teams/sec/memberships/alice").reply(200, { state: "active", role: "member" });
    mockNoOverrides(gh, "acme", "security");
    gh.api.post("/repos/acme/security/issues/comments/9001/reactions").times(2).reply(201, {});
    mockCommandReads("acme/product");
    gh.api.get("/repos/acme/product/pulls/42").reply(200, pull());
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    mockNoOverrides(gh, "acme", "security"); // read again by the PR sync
    mockSyncReads({ commits: [{ sha: HEAD, message: "Refactor the parser" }] });
    let prLabels: string[] = [];
    gh.api.post("/repos/acme/product/issues/42/labels", (b) => ((prLabels = b.labels), true)).reply(200, []);
    let reviewRequest: any;
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers", (b) => ((reviewRequest = b), true)).reply(201, {});
    gh.api.get(RUNS("acme/product", HEAD)).query(true).reply(200, { total_count: 0, check_runs: [] });
    let run: any;
    gh.api.post("/repos/acme/product/check-runs", (b) => ((run = b), true)).reply(201, { id: 77 });
    let added: string[] = [];
    gh.api.post(`${ISSUE}/labels`, (b) => ((added = b.labels), true)).reply(200, []);
    gh.api.delete(`${ISSUE}/labels/${encodeURIComponent("security: confirmed")}`).reply(200, []);

    await probot.receive(commentEvent({ commentBody: "/triage pr acme/product#42", labels: ["security", "security: confirmed", "severity: high"] }));

    expect(prLabels).toEqual(["priority: high"]);
    expect(reviewRequest).toEqual({ reviewers: ["owner1"], team_reviewers: ["core"] });
    expect(run).toMatchObject({ name: "review gate", head_sha: HEAD, status: "in_progress", output: { title: "Waiting for review" } });
    expect(sealer.open(run.external_id)).toBe("acme/security#7");
    const record = recordOf(stored[0]!.body);
    expect(record.prs).toMatchObject([{ repo: "acme/product", number: 42, state: "open", review: "pending", private: false, leaks: 0 }]);
    expect(record.state).toBe("fixing");
    expect(stored[0]!.body).toContain("| **Linked PRs** | acme/product#42 (open, pending) |");
    expect(stored[0]!.body).toContain("| **Still to patch** | main, 4.19 |");
    expect(stored[0]!.body).toMatch(/- \[x\] Commits do not refer to the vulnerability/);
    expect(added).toEqual(["security: fixing"]);
    expect(gh.leaks(SECRETS, gh.requestsTo("acme", "product"))).toEqual([]);
  });
});

/** The calls every PR event makes before it knows the link. */
function mockPrStart(repo = "acme/product", yaml: string | null = PRODUCT_YAML) {
  mockToken(gh);
  const [owner, name] = repo.split("/") as [string, string];
  mockConfig(gh, owner, name, yaml);
}

describe("PR events on a linked PR", () => {
  const ourRun = { id: 77, external_id: SEALED, status: "in_progress", conclusion: null, output: { title: "Waiting for review" } };

  it("costs one config read and one call for an unlinked PR, and writes nothing", async () => {
    const probot = createTestProbot();
    mockPrStart();
    gh.api.get(RUNS("acme/product", HEAD)).query(true).reply(200, { total_count: 0, check_runs: [] });
    await probot.receive(prEvent("opened", pull()));
    expect(gh.requests.filter((r) => !r.path.startsWith("/app/")).map((r) => r.operationId)).toEqual(["repos/get-content", "checks/list-for-ref"]);
  });

  it("opens the gate when a security-team member approves the current head", async () => {
    const probot = createTestProbot();
    mockPrStart();
    mockIdentity(gh);
    gh.api.get(RUNS("acme/product", HEAD)).query(true).reply(200, { total_count: 1, check_runs: [ourRun] });
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    const stored = await storeResponse({ state: "fixing", prs: [{ repo: "acme/product", number: 42, state: "open", review: "pending", base: "main", private: false, requested: ["owner1", "team:core"] }] });
    serveComments(stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads({ reviews: [{ login: "sec1", state: "APPROVED", commit_id: HEAD }], commits: [{ sha: HEAD, message: "Refactor" }], issueLabels: ["security", "security: fixing", "severity: high"] });
    gh.api.post("/repos/acme/product/issues/42/labels").reply(200, []);
    let update: any;
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => ((update = b), true)).reply(200, {});

    await probot.receive(reviewEvent(pull(), "sec1", "approved"));

    expect(update).toMatchObject({ status: "completed", conclusion: "success", output: { title: "Approved" }, external_id: SEALED });
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ review: "approved" });
    expect(gh.leaks(SECRETS, gh.requestsTo("acme", "product"))).toEqual([]);
  });

  it("keeps failing on changes requested, and a push makes it pending again and asks for review again", async () => {
    const probot = createTestProbot();
    // changes requested
    mockPrStart();
    mockIdentity(gh);
    gh.api.get(RUNS("acme/product", HEAD)).query(true).reply(200, { total_count: 1, check_runs: [ourRun] });
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    const stored = await storeResponse({ state: "fixing", prs: [{ repo: "acme/product", number: 42, state: "open", review: "pending", base: "main", private: false, requested: ["owner1", "team:core"] }] });
    serveComments(stored, 2);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads({ reviews: [{ login: "alice", state: "CHANGES_REQUESTED", commit_id: HEAD }], commits: [], issueLabels: ["security", "security: fixing", "severity: high"] });
    gh.api.post("/repos/acme/product/issues/42/labels").times(2).reply(200, []);
    let failed: any;
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => ((failed = b), true)).reply(200, {});
    await probot.receive(reviewEvent(pull(), "alice", "changes_requested"));
    expect(failed).toMatchObject({ conclusion: "failure", output: { title: "Changes requested" } });

    // a push: the new head has no run; the link is found on the previous head's run
    const NEW = "2222222222222222222222222222222222222222";
    mockConfig(gh, "acme", "product", PRODUCT_YAML); // the installation token is cached by now
    gh.api.get(RUNS("acme/product", NEW)).query(true).reply(200, { total_count: 0, check_runs: [] });
    gh.api.get(RUNS("acme/product", HEAD)).query(true).reply(200, { total_count: 1, check_runs: [{ ...ourRun, status: "completed", conclusion: "failure" }] });
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads({ reviews: [{ login: "alice", state: "APPROVED", commit_id: HEAD }], commits: [], issueLabels: ["security", "security: fixing", "severity: high"] });
    let again: any;
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers", (b) => ((again = b), true)).reply(201, {});
    let created: any;
    gh.api.post("/repos/acme/product/check-runs", (b) => ((created = b), true)).reply(201, { id: 78 });
    await probot.receive(prEvent("synchronize", pull({ head: NEW }), { before: HEAD, after: NEW }));
    expect(again).toEqual({ reviewers: ["owner1"], team_reviewers: ["core"] });
    // the approval was of the old head: a new push needs a new look
    expect(created).toMatchObject({ head_sha: NEW, status: "in_progress", output: { title: "Waiting for review" } });
    expect(sealer.open(created.external_id)).toBe("acme/security#7");
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ head_sha: NEW });

    // the same push delivered again: the record already knows this head, so nobody is asked twice
    const pushEvent = prEvent("synchronize", pull({ head: NEW }), { before: HEAD, after: NEW });
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    gh.api.get(RUNS("acme/product", NEW)).query(true).reply(200, { total_count: 1, check_runs: [{ id: 78, external_id: created.external_id, status: "in_progress", conclusion: null, output: { title: "Waiting for review" } }] });
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, () => commentList(stored));
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads({ reviews: [{ login: "alice", state: "APPROVED", commit_id: HEAD }], commits: [], issueLabels: ["security", "security: fixing", "severity: high"] });
    gh.api.post("/repos/acme/product/issues/42/labels").reply(200, []);
    const before = gh.requests.length;
    await probot.receive(pushEvent);
    const redelivered = gh.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(redelivered.filter((r) => r.includes("requested_reviewers") || r.includes("check-runs/") || r.startsWith("POST /repos/acme/product/check-runs"))).toEqual([]);

    // re-approval of the new head opens the gate
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    gh.api.get(RUNS("acme/product", NEW)).query(true).reply(200, { total_count: 1, check_runs: [{ id: 78, external_id: created.external_id, status: "in_progress", conclusion: null, output: { title: "Waiting for review" } }] });
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, () => commentList(stored));
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads({ reviews: [{ login: "alice", state: "CHANGES_REQUESTED", commit_id: HEAD }, { login: "alice", state: "APPROVED", commit_id: NEW }], commits: [], issueLabels: ["security", "security: fixing", "severity: high"] });
    gh.api.post("/repos/acme/product/issues/42/labels").reply(200, []);
    let opened: any;
    gh.api.patch("/repos/acme/product/check-runs/78", (b) => ((opened = b), true)).reply(200, {});
    gh.api.patch("/repos/acme/security/issues/comments/555").reply(200, (_u, b: any) => ((stored[0]!.body = b.body), { id: 555 }));
    await probot.receive(reviewEvent(pull({ head: NEW }), "alice", "approved"));
    expect(opened).toMatchObject({ status: "completed", conclusion: "success", output: { title: "Approved" } });
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ review: "approved", head_sha: NEW });
  });

  it("fails the leak check, naming the rule and place and never the secret", async () => {
    const probot = createTestProbot();
    const leaky = pull({ title: `Fix ${CVE}`, ref: "fix-sql-injection" });
    mockPrStart();
    mockIdentity(gh);
    gh.api.get(RUNS("acme/product", HEAD)).query(true).reply(200, { total_count: 1, check_runs: [ourRun] });
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    const stored = await storeResponse({ state: "fixing", prs: [{ repo: "acme/product", number: 42, state: "open", review: "pending", base: "main", private: false, requested: ["owner1", "team:core"] }] });
    serveComments(stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads({
      commits: [{ sha: "abcdef1234567890abcdef1234567890abcdef12", message: "Close acme/security#7: an exploit" }],
      issueLabels: ["security", "security: fixing", "severity: high"],
    });
    gh.api.post("/repos/acme/product/issues/42/labels").reply(200, []);
    let update: any;
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => ((update = b), true)).reply(200, {});

    await probot.receive(prEvent("edited", leaky));

    expect(update.conclusion).toBe("failure");
    expect(update.output.summary).toContain("- the title: names a CVE or GHSA id");
    expect(update.output.summary).toContain("- the title: uses a word from the configured list");
    expect(update.output.summary).toContain("- the message of commit abcdef1: points at the private tracking issue");
    expect(update.output.summary).toContain("- the message of commit abcdef1: uses a word from the configured list");
    const checkRunRequests = gh.requests.filter((r) => r.path.includes("check-runs/77"));
    expect(gh.leaks([...SECRETS, "exploit"], checkRunRequests)).toEqual([]);
    expect(recordOf(stored[0]!.body).prs[0]!.leaks).toBe(4);
  });
});

describe("private PRs", () => {
  it("links a PR in the security repo that references the issue, skips the leak check, and adds the severity label", async () => {
    const probot = createTestProbot();
    mockPrStart("acme/security", SECURITY_YAML);
    mockIdentity(gh);
    const priv = pull({ repo: "acme/security", private: true, body: "Fixes #7" });
    gh.api.get(RUNS("acme/security", HEAD)).query(true).reply(200, { total_count: 0, check_runs: [] });
    const stored = await storeResponse();
    serveComments(stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads({ repo: "acme/security" });
    let prLabels: string[] = [];
    gh.api.post("/repos/acme/security/issues/42/labels", (b) => ((prLabels = b.labels), true)).reply(200, []);
    let reviewRequest: any;
    gh.api.post("/repos/acme/security/pulls/42/requested_reviewers", (b) => ((reviewRequest = b), true)).reply(201, {});
    gh.api.post("/repos/acme/security/check-runs").reply(201, { id: 80 });
    gh.api.post(`${ISSUE}/labels`).reply(200, []);
    gh.api.delete(`${ISSUE}/labels/${encodeURIComponent("security: confirmed")}`).reply(200, []);

    await probot.receive(prEvent("opened", priv));

    expect(prLabels).toEqual(["priority: high", "severity: high"]);
    expect(reviewRequest).toEqual({ reviewers: ["owner1"], team_reviewers: ["sec"] });
    expect(gh.requests.some((r) => r.path.endsWith("/commits"))).toBe(false);
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ repo: "acme/security", private: true });
  });

  it("carries on when GitHub refuses a reviewer who is not a collaborator", async () => {
    const probot = createTestProbot();
    mockPrStart("acme/security", SECURITY_YAML);
    mockIdentity(gh);
    gh.api.get(RUNS("acme/security", HEAD)).query(true).reply(200, { total_count: 0, check_runs: [] });
    const stored = await storeResponse();
    serveComments(stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads({ repo: "acme/security" });
    gh.api.post("/repos/acme/security/issues/42/labels").reply(200, []);
    gh.api.post("/repos/acme/security/pulls/42/requested_reviewers", { reviewers: ["owner1"], team_reviewers: ["sec"] }).reply(422, { message: "Reviews may only be requested from collaborators." });
    gh.api.post("/repos/acme/security/pulls/42/requested_reviewers", { reviewers: ["owner1"] }).reply(422, { message: "Reviews may only be requested from collaborators." });
    gh.api.post("/repos/acme/security/pulls/42/requested_reviewers", { team_reviewers: ["sec"] }).reply(201, {});
    gh.api.post("/repos/acme/security/check-runs").reply(201, { id: 80 });
    gh.api.post(`${ISSUE}/labels`).reply(200, []);
    gh.api.delete(`${ISSUE}/labels/${encodeURIComponent("security: confirmed")}`).reply(200, []);

    await probot.receive(prEvent("opened", pull({ repo: "acme/security", private: true, body: "Fixes #7" })));

    expect(recordOf(stored[0]!.body).prs[0]!.requested).toEqual(["owner1", "team:sec"]);
  });
});

describe("merges and closing", () => {
  it("ticks 'patched on <branch>' when a linked PR merges into a supported branch", async () => {
    const probot = createTestProbot();
    mockPrStart();
    mockIdentity(gh);
    const merged = pull({ state: "closed", merged: true, base: "4.19" });
    gh.api.get(RUNS("acme/product", HEAD)).query(true).reply(200, { total_count: 1, check_runs: [{ id: 77, external_id: SEALED, status: "completed", conclusion: "success", output: { title: "Approved" } }] });
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    const stored = await storeResponse({ state: "fixing", patched: ["main"], prs: [{ repo: "acme/product", number: 42, state: "open", review: "approved", base: "4.19", private: false, requested: ["owner1", "team:core"] }] });
    serveComments(stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads({ reviews: [{ login: "sec1", state: "APPROVED", commit_id: HEAD }], commits: [], issueLabels: ["security", "security: fixing", "severity: high"] });
    gh.api.post(`${ISSUE}/labels`, { labels: ["security: fixed"] }).reply(200, []);
    gh.api.delete(`${ISSUE}/labels/${encodeURIComponent("security: fixing")}`).reply(200, []);

    await probot.receive(prEvent("closed", merged));

    const record = recordOf(stored[0]!.body);
    expect(record.patched).toEqual(["main", "4.19"]);
    expect(record.state).toBe("fixed");
    expect(stored[0]!.body).toMatch(/- \[x\] Patched on `4\.19`/);
    expect(stored[0]!.body).not.toContain("Still to patch");
  });

  it("releases the PRs when the security issue closes: priority label off, gate neutral", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    mockIdentity(gh);
    const stored = await storeResponse({ state: "invalid", prs: [{ repo: "acme/product", number: 42, state: "open", review: "pending", base: "main", private: false, requested: ["owner1"] }] });
    serveComments(stored, 2);
    gh.api.get("/repos/acme/product/pulls/42").reply(200, pull({ labels: ["priority: high"] }));
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads({ issueState: "closed", issueLabels: ["security", "security: invalid", "severity: high"] });
    gh.api.delete(`/repos/acme/product/issues/42/labels/${encodeURIComponent("priority: high")}`).reply(200, []);
    gh.api.get(RUNS("acme/product", HEAD)).query(true).reply(200, { total_count: 1, check_runs: [{ id: 77, external_id: SEALED, status: "in_progress", conclusion: null, output: { title: "Waiting for review" } }] });
    let update: any;
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => ((update = b), true)).reply(200, {});

    // The examples have no issues.closed; a reopened one has the same shape.
    const payload = loadWebhookExample("issues", "reopened");
    payload.action = "closed";
    payload.issue.state = "closed";
    payload.issue.number = 7;
    payload.repository = { ...payload.repository, name: "security", full_name: "acme/security", owner: { ...payload.repository.owner, login: "acme" }, private: true, visibility: "private" };
    payload.installation = { id: INSTALLATION_ID };
    delete payload.issue.pull_request;
    await probot.receive({ id: "closed-1", name: "issues", payload });

    expect(update).toMatchObject({ status: "completed", conclusion: "neutral", output: { title: "No longer gated" } });
    expect(gh.leaks(SECRETS, gh.requestsTo("acme", "product"))).toEqual([]);
  });
});

describe("/triage pr input and temporary private forks", () => {
  it("refuses a malformed reference and changes nothing", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    const stored = await storeResponse();
    const before = stored[0]!.body;
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, () => commentList(stored));
    gh.api.get("/orgs/acme/teams/sec/memberships/alice").reply(200, { state: "active", role: "member" });
    mockNoOverrides(gh, "acme", "security");
    gh.api.post("/repos/acme/security/issues/comments/9001/reactions", { content: "eyes" }).reply(201, {});
    mockCommandReads();
    let reply = "";
    gh.api.post(`${ISSUE}/comments`, (b) => ((reply = b.body), true)).reply(201, { id: 600 });
    await probot.receive(commentEvent({ title: TITLE, commentBody: "/triage pr product 42", labels: ["security", "security: confirmed", "severity: high"] }));
    expect(reply).toContain("\"product 42\" is not a pull request: write owner/repo#number or the PR's URL");
    expect(reply).toContain("Usage: `/triage pr <owner/repo#n | PR URL>`");
    expect(stored[0]!.body).toBe(before);
  });

  it("says so when the PR does not exist or the app cannot see it", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    const stored = await storeResponse();
    serveComments(stored);
    gh.api.get("/orgs/acme/teams/sec/memberships/alice").reply(200, { state: "active", role: "member" });
    mockNoOverrides(gh, "acme", "security");
    gh.api.post("/repos/acme/security/issues/comments/9001/reactions", { content: "eyes" }).reply(201, {});
    mockCommandReads("acme/product");
    gh.api.get("/repos/acme/product/pulls/99").reply(404, { message: "Not Found" });
    let reply = "";
    gh.api.post(`${ISSUE}/comments`, (b) => ((reply = b.body), true)).reply(201, { id: 600 });
    await probot.receive(commentEvent({ commentBody: "/triage pr https://github.com/acme/product/pull/99", labels: ["security", "security: confirmed", "severity: high"] }));
    expect(reply).toContain("Could not link acme/product#99: no such pull request, or the app is not installed on that repository.");
    expect(recordOf(stored[0]!.body).prs).toEqual([]);
  });

  it("links a PR in a temporary private fork that names the issue, using the fork's security_repo", async () => {
    const probot = createTestProbot();
    const FORK = "acme/product-ghsa-abcd-efgh-jkmp";
    mockPrStart(FORK, PRODUCT_YAML);
    mockIdentity(gh);
    gh.api.get(RUNS(FORK, HEAD)).query(true).reply(200, { total_count: 0, check_runs: [] });
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    const stored = await storeResponse();
    serveComments(stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads({ repo: FORK });
    gh.api.post(`/repos/${FORK}/issues/42/labels`).reply(200, []);
    let reviewRequest: any;
    gh.api.post(`/repos/${FORK}/pulls/42/requested_reviewers`, (b) => ((reviewRequest = b), true)).reply(201, {});
    gh.api.post(`/repos/${FORK}/check-runs`).reply(201, { id: 81 });
    gh.api.post(`${ISSUE}/labels`).reply(200, []);
    gh.api.delete(`${ISSUE}/labels/${encodeURIComponent("security: confirmed")}`).reply(200, []);

    await probot.receive(prEvent("opened", pull({ repo: FORK, private: true, body: "Fix for acme/security#7" })));

    expect(reviewRequest).toEqual({ reviewers: ["owner1"], team_reviewers: ["sec"] });
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ repo: FORK, private: true, state: "open" });
  });
});
