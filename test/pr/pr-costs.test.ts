/**
 * Issue 13: what the PR path costs, counted in requests (never timed). An approval costs the same
 * calls whatever the size of the security team (a membership check per reviewer, never a listing of
 * the team), an unchanged head's commits are not listed again, and redelivered pushes and approvals
 * stay idempotent.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Probot } from "probot";
import { createTestProbot, mockConfig, mockIdentity, mockNoOverrides, mockToken, recordOf } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { HEAD, ISSUE, issueStateEvent, mockSyncReads, prEvent, PRODUCT_YAML, pull, reviewEvent, SEALED, sealer, SECURITY_YAML, serveCloseEvent, serveComments, serveResponseById, serveRuns, storeResponse } from "./fixtures.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const OLD = "0".repeat(40);
const LABELS = ["security", "security: fixing", "severity: high"];
const waiting = { id: 77, external_id: SEALED, status: "completed", conclusion: "action_required", title: "Waiting for review" };

/** The security team of `size` members (sec1 first): membership answers, and its member list served page by page, should anyone ask. */
function serveBigTeam(size: number) {
  const members = ["sec1", ...Array.from({ length: size - 1 }, (_, i) => `member${i + 1}`)];
  const known = new Set(members);
  gh.api
    .get(/^\/orgs\/acme\/teams\/sec\/memberships\/[^/]+$/)
    .optionally()
    .times(20)
    .reply((uri) => (known.has(decodeURIComponent(uri.split("/").pop()!)) ? [200, { state: "active", role: "member", url: `https://api.github.com${uri}` }] : [404, { message: "Not Found" }]));
  gh.api.get("/orgs/acme/teams/sec").optionally().times(20).reply(200, { id: 9, slug: "sec", name: "sec" });
  gh.api
    .get("/orgs/acme/teams/sec/members")
    .query(true)
    .optionally()
    .times(20)
    .reply((uri) => {
      const url = new URL(`https://api.github.com${uri}`);
      const perPage = Number(url.searchParams.get("per_page") ?? 30);
      const page = Number(url.searchParams.get("page") ?? 1);
      return [200, members.slice((page - 1) * perPage, page * perPage).map((login) => ({ login }))];
    });
}

/**
 * The reads every linked event on acme/product#42 makes before it decides. The response comment is
 * listed on the app's first event and read by its remembered id from then on.
 */
function linkedReads(stored: Awaited<ReturnType<typeof storeResponse>>, runs: Parameters<typeof serveRuns>[3], sha = HEAD, first = false, writes = true) {
  mockConfig(gh, "acme", "product", PRODUCT_YAML);
  serveRuns(gh, "acme/product", sha, runs);
  mockConfig(gh, "acme", "security", SECURITY_YAML);
  if (first) serveComments(gh, stored);
  else serveResponseById(gh, stored);
  // Only a response write reads the templates.
  if (writes) mockNoOverrides(gh, "acme", "security");
}

const opsSince = (from: number) => gh.requests.slice(from).filter((r) => !r.path.startsWith("/app")).map((r) => r.operationId ?? `${r.method} ${r.path}`);

/**
 * A push of HEAD onto the linked PR (reviewers asked again, a new gate run), then an approval of
 * HEAD by a team member, then the same approval redelivered. Returns each event's operations.
 */
async function pushThenApprove(probot: Probot, teamSize: number) {
  mockToken(gh);
  mockIdentity(gh);
  serveBigTeam(teamSize);
  const line = { repo: "acme/product", number: 42, state: "open" as const, review: "pending" as const, base: "main", private: false, requested: ["owner1", "sec1", "team:core"], head_sha: OLD };
  const stored = await storeResponse({ state: "fixing", prs: [line] });

  let start = gh.requests.length;
  linkedReads(stored, [], HEAD, true);
  serveRuns(gh, "acme/product", OLD, [waiting]);
  mockSyncReads(gh, { reviews: null, commits: [{ sha: HEAD, message: "Refactor the parser" }], issueLabels: LABELS });
  gh.api.post("/repos/acme/product/issues/42/labels").reply(200, []);
  let asked: any;
  gh.api.post("/repos/acme/product/pulls/42/requested_reviewers", (b) => ((asked = b), true)).reply(201, {});
  let created: any;
  gh.api.post("/repos/acme/product/check-runs", (b) => ((created = b), true)).reply(201, { id: 78 });
  await probot.receive(prEvent("synchronize", pull(), { before: OLD, after: HEAD }));
  const push = opsSince(start);
  expect(asked).toEqual({ reviewers: ["owner1", "sec1"], team_reviewers: ["core"] });
  expect(created).toMatchObject({ head_sha: HEAD, conclusion: "action_required" });
  expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ head_sha: HEAD, review: "pending", leaks: 0 });

  // The same push delivered again: the record knows this head, so nobody is asked twice and the run is left as it is.
  const run78 = { id: 78, external_id: created.external_id, status: "completed", conclusion: "action_required", title: "Waiting for review" };
  start = gh.requests.length;
  linkedReads(stored, [run78], HEAD, false, false);
  mockSyncReads(gh, { reviews: [], issueLabels: LABELS, visibility: false });
  gh.api.post("/repos/acme/product/issues/42/labels").reply(200, []); // the redelivered payload still lacks the label: adding it again changes nothing
  await probot.receive(prEvent("synchronize", pull(), { before: OLD, after: HEAD }));
  const pushAgain = gh.requests.slice(start).filter((r) => r.method !== "GET" && !r.path.endsWith("/labels")).map((r) => `${r.method} ${r.path}`);

  // The push labelled the PR: later events carry the label.
  const labelled = pull({ labels: ["priority: high"] });
  start = gh.requests.length;
  linkedReads(stored, [run78]);
  mockSyncReads(gh, { reviews: [{ login: "sec1", state: "APPROVED", commit_id: HEAD }], issueLabels: LABELS });
  let opened: any;
  gh.api.patch("/repos/acme/product/check-runs/78", (b) => ((opened = b), true)).reply(200, {});
  await probot.receive(reviewEvent(labelled, "sec1", "approved"));
  const approval = opsSince(start);
  expect(opened).toMatchObject({ conclusion: "success", output: { title: "Approved" } });
  expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ review: "approved", head_sha: HEAD, leaks: 0 });

  start = gh.requests.length;
  const run78Open = { ...run78, conclusion: "success", title: "Approved" };
  mockConfig(gh, "acme", "product", PRODUCT_YAML);
  serveRuns(gh, "acme/product", HEAD, [run78Open]);
  mockConfig(gh, "acme", "security", SECURITY_YAML);
  serveResponseById(gh, stored);
  // Nothing changed, so nothing is written: what a write would need (templates, the firewall's visibility check) may go unasked.
  gh.api.get("/repos/acme/security/contents/.github").optionally().reply(404, { message: "Not Found" });
  gh.api.get("/repos/acme/security").optionally().reply(200, { name: "security", full_name: "acme/security", private: true, visibility: "private" });
  mockSyncReads(gh, { reviews: [{ login: "sec1", state: "APPROVED", commit_id: HEAD }], issueLabels: LABELS, visibility: false });
  await probot.receive(reviewEvent(labelled, "sec1", "approved"));
  const redelivered = opsSince(start);
  const redeliveredWrites = gh.requests.slice(start).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);

  // Merged into main: the gate guards nothing any more, and the head is the one the record knows.
  start = gh.requests.length;
  linkedReads(stored, [run78Open]);
  mockSyncReads(gh, { reviews: null, issueLabels: LABELS });
  gh.api.post(`${ISSUE}/labels`).optionally().reply(200, []);
  gh.api.delete(/\/repos\/acme\/security\/issues\/7\/labels\/.+/).optionally().reply(200, []);
  await probot.receive(prEvent("closed", pull({ state: "closed", merged: true, labels: ["priority: high"] })));
  const merged = opsSince(start);
  expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ state: "merged", review: "approved" });

  // A team member closes the security issue by hand: the PR is released.
  start = gh.requests.length;
  mockConfig(gh, "acme", "security", SECURITY_YAML);
  serveCloseEvent(gh, null);
  serveResponseById(gh, stored);
  mockNoOverrides(gh, "acme", "security");
  gh.api.get("/repos/acme/product/pulls/42").reply(200, pull({ state: "closed", merged: true, labels: ["priority: high"] }));
  mockConfig(gh, "acme", "product", PRODUCT_YAML);
  serveRuns(gh, "acme/product", HEAD, [run78Open]);
  mockSyncReads(gh, { reviews: null, issueState: "closed", issueLabels: recordOf(stored[0]!.body).state === "fixed" ? ["security", "security: fixed", "severity: high"] : LABELS, visibility: false });
  gh.api.post(`${ISSUE}/labels`).optionally().reply(200, []);
  gh.api.delete(/\/repos\/acme\/security\/issues\/7\/labels\/.+/).optionally().times(2).reply(200, []);
  gh.api.delete(`/repos/acme/product/issues/42/labels/${encodeURIComponent("priority: high")}`).reply(200, []);
  let released: any;
  gh.api.patch("/repos/acme/product/check-runs/78", (b) => ((released = b), true)).reply(200, {});
  await probot.receive(issueStateEvent("closed", "sec1"));
  const closed = opsSince(start);
  expect(released).toMatchObject({ conclusion: "neutral", output: { title: "No longer gated" } });
  return { push, pushAgain, approval, redelivered, redeliveredWrites, merged, closed };
}

describe("what the PR path costs", () => {
  it("an approval costs the same calls with 3 and with 1,000 team members: one membership check, no team listing, no commit listing on an unchanged head", async () => {
    const small = await pushThenApprove(createTestProbot(), 3);
    if (process.env.MEASURE) console.log(JSON.stringify(small, null, 1));
    gh.done();
    gh = mockGitHub();
    const big = await pushThenApprove(createTestProbot(), 1000);

    expect(big.approval).toEqual(small.approval);
    expect(big.push).toEqual(small.push);
    for (const ops of [small.push, small.approval, big.approval]) expect(ops).not.toContain("teams/list-members-in-org");
    expect(small.approval.filter((op) => op.startsWith("teams/"))).toEqual(["teams/get-membership-for-user-in-org"]);
    // The push listed the new head's commits; the approval of that same head does not list them again.
    expect(small.push).toContain("pulls/list-commits");
    expect(small.approval).not.toContain("pulls/list-commits");
    // A push judges no review (approvals were of the old head) and asks the same people as before,
    // once one of them is checked to be still on the team: no reviews, one membership check.
    expect(small.push).not.toContain("pulls/list-reviews");
    expect(small.push.filter((op) => op.startsWith("teams/"))).toEqual(["teams/get-membership-for-user-in-org"]);
  });

  it("a redelivered push asks nobody twice and leaves the gate as it is; a redelivered approval writes nothing", async () => {
    const { pushAgain, redeliveredWrites } = await pushThenApprove(createTestProbot(), 3);
    expect(pushAgain).toEqual([]);
    expect(redeliveredWrites).toEqual([]);
  });

  it("a merge and the issue's close read no reviews, no commits and no team list, and the close reads the response and the issue once", async () => {
    const { merged, closed } = await pushThenApprove(createTestProbot(), 3);
    for (const ops of [merged, closed]) {
      expect(ops.filter((op) => ["pulls/list-reviews", "pulls/list-commits", "teams/list-members-in-org"].includes(op))).toEqual([]);
    }
    // The merge judges nothing: no membership check either (the close checks its sender, once).
    expect(merged.filter((op) => op.startsWith("teams/"))).toEqual([]);
    expect(closed.filter((op) => ["issues/list-comments", "issues/get-comment", "issues/get"].includes(op))).toEqual(["issues/get-comment", "issues/get"]);
    // A member's close reads one page of the issue's events: whether a closing keyword made it.
    expect(closed.filter((op) => op === "issues/list-events")).toEqual(["issues/list-events"]);
  });
});

describe("a push while every review request is still pending", () => {
  it("asks nobody, writes no response, and a redelivery does nothing twice; the approval after it still counts and lists no commits", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    serveBigTeam(3);
    // As an earlier sync left it (the wording check's count and the repo's default branch included).
    const line = { repo: "acme/product", number: 42, state: "open" as const, review: "pending" as const, base: "main", private: false, requested: ["owner1", "sec1", "team:core"], head_sha: OLD, leaks: 0, default_branch: pull().base.repo.default_branch };
    const at = { by: "app", at: "2026-11-22T12:00:00.000Z" };
    const stored = await storeResponse({ state: "fixing", prs: [line], ticks: { "fix.patch": at, "fix.prioritised": at, "fix.no_reference": at } });
    const before = stored[0]!.body;
    // GitHub still lists everyone the app asked: nobody has reviewed the old head.
    const pending = (p: ReturnType<typeof pull>) => {
      p.requested_reviewers = [{ ...p.user, login: "owner1" }, { ...p.user, login: "sec1" }];
      p.requested_teams = [{ id: 5, node_id: "T5", slug: "core", name: "core" }];
      return p;
    };

    let start = gh.requests.length;
    linkedReads(stored, [], HEAD, true, false);
    serveRuns(gh, "acme/product", OLD, [waiting]);
    mockSyncReads(gh, { reviews: null, commits: [{ sha: HEAD, message: "Refactor the parser" }], issueLabels: LABELS, visibility: false });
    gh.api.post("/repos/acme/product/issues/42/labels").reply(200, []);
    let created: any;
    gh.api.post("/repos/acme/product/check-runs", (b) => ((created = b), true)).reply(201, { id: 78 });
    await probot.receive(prEvent("synchronize", pending(pull()), { before: OLD, after: HEAD }));
    const push = opsSince(start);
    expect(created).toMatchObject({ head_sha: HEAD, conclusion: "action_required", output: { title: "Waiting for review" } });
    expect(sealer.open(created.external_id, "acme/product#42")).toEqual(["acme/security#7"]);
    expect(push).not.toContain("pulls/request-reviewers");
    expect(push.filter((op) => op.startsWith("teams/"))).toEqual([]);
    expect(push).not.toContain("issues/update-comment");
    expect(push).not.toContain("repos/get");
    expect(stored[0]!.body).toBe(before);

    // Redelivered: the gate run on the head says this head was handled; nothing is asked or written.
    const run78 = { id: 78, external_id: created.external_id, status: "completed", conclusion: "action_required", title: "Waiting for review" };
    start = gh.requests.length;
    linkedReads(stored, [run78], HEAD, false, false);
    mockSyncReads(gh, { reviews: null, issueLabels: LABELS, visibility: false });
    gh.api.post("/repos/acme/product/issues/42/labels").reply(200, []);
    await probot.receive(prEvent("synchronize", pending(pull()), { before: OLD, after: HEAD }));
    expect(gh.requests.slice(start).filter((r) => r.method !== "GET" && !r.path.endsWith("/labels")).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(stored[0]!.body).toBe(before);

    // The approval of the new head opens the gate; the head's wording was checked by the push (remembered), and nobody is asked again.
    start = gh.requests.length;
    linkedReads(stored, [run78]);
    mockSyncReads(gh, { reviews: [{ login: "sec1", state: "APPROVED", commit_id: HEAD }], issueLabels: LABELS });
    let opened: any;
    gh.api.patch("/repos/acme/product/check-runs/78", (b) => ((opened = b), true)).reply(200, {});
    const approved = pull({ labels: ["priority: high"] });
    await probot.receive(reviewEvent(approved, "sec1", "approved"));
    const approval = opsSince(start);
    expect(opened).toMatchObject({ conclusion: "success", output: { title: "Approved" } });
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ review: "approved", head_sha: HEAD, leaks: 0, requested: ["owner1", "sec1", "team:core"] });
    expect(approval).not.toContain("pulls/list-commits");
    expect(approval).not.toContain("pulls/request-reviewers");
    expect(approval.filter((op) => op.startsWith("teams/"))).toEqual(["teams/get-membership-for-user-in-org"]);
  });
});
