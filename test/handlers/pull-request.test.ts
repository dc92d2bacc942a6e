import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commentEvent, commentList, createTestProbot, mockCommentById, mockConfig, mockIdentity, mockNoOverrides, mockToken, recordOf, SECURITY_REPO_ID } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import {
  CVE,
  HEAD,
  ISSUE,
  issueStateEvent,
  mockPrStart,
  mockSyncReads,
  prEvent,
  PRODUCT_REPO_ID,
  PRODUCT_YAML,
  pull,
  reviewEvent,
  SEALED,
  sealer,
  SECRETS,
  SECURITY_YAML,
  serveComments,
  serveResponseById,
  TITLE,
  serveRuns,
  serveTeam,
  storeResponse,
  type RunShape,
  UNLINKED_RUN,
} from "../pr/fixtures.js";
import { ranOf } from "../../src/record/ran.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const PR = "acme/product#42";
const waiting = { id: 77, external_id: SEALED, status: "completed", conclusion: "action_required", title: "Waiting for review" };
const linkedRecord = { state: "fixing" as const, prs: [{ repo: "acme/product", number: 42, state: "open" as const, review: "pending" as const, base: "main", private: false, requested: ["owner1", "sec1", "team:core"] }] };

/** The command handler's own reads: the issue as it is now, and (for a PR elsewhere) whether alice can see that repo. */
function mockCommandReads(linkRepo?: string) {
  gh.api.get(ISSUE).reply(200, { number: 7, title: TITLE, state: "open", user: { login: "reporter" }, labels: ["security", "security: confirmed", "severity: high"].map((name) => ({ name })) });
  if (linkRepo) gh.api.get(`/repos/${linkRepo}/collaborators/alice/permission`).reply(200, { permission: "read", role_name: "read", user: { login: "alice", id: 77, type: "User" } });
}


/**
 * The reads of a linked PR's sync, with `run` the gate run on its head and `reads` its reviews and
 * commits, and the PR's label write: the stored response comments.
 */
async function mockLinkedSync(run: RunShape, reads: Omit<Parameters<typeof mockSyncReads>[1], "issueLabels">, productYaml = PRODUCT_YAML) {
  mockPrStart(gh, "acme/product", productYaml);
  mockIdentity(gh);
  serveRuns(gh, "acme/product", HEAD, [run]);
  mockConfig(gh, "acme", "security", SECURITY_YAML);
  const stored = await storeResponse(linkedRecord);
  serveComments(gh, stored);
  serveTeam(gh, ["sec1", "alice"]);
  mockNoOverrides(gh, "acme", "security");
  mockSyncReads(gh, { ...reads, issueLabels: ["security", "security: fixing", "severity: high"] });
  gh.api.post("/repos/acme/product/issues/42/labels").reply(200, []);
  return stored;
}

/**
 * sec1 (security team) approves the PR's current head, whose gate run is `run`: the reads, the PR's
 * label, and the gate's update as the app sends it (`gate.update`).
 */
async function mockApproval(run: RunShape) {
  const stored = await mockLinkedSync(run, { reviews: [{ login: "sec1", state: "APPROVED", commit_id: HEAD }], commits: [{ sha: HEAD, message: "Refactor" }] });
  const gate: { update?: any } = {};
  gh.api.patch("/repos/acme/product/check-runs/77", (b) => ((gate.update = b), true)).reply(200, {});
  return { stored, gate };
}
describe("/triage pr links a public PR", () => {
  it("labels it, asks for reviewers by login plus one who can open the gate, gates it — and nothing on the PR names the issue", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    const stored = await storeResponse();
    // Listed once: the PR's sync takes the command's list and decided record; it writes the response, once.
    serveComments(gh, stored);
    serveTeam(gh, ["sec1", "alice"]);
    mockNoOverrides(gh, "acme", "security");
    gh.api.post("/repos/acme/security/issues/comments/9001/reactions").times(2).reply(201, {});
    mockCommandReads(); // a public repo: everybody sees it, no permission asked
    gh.api.get("/repos/acme/product/pulls/42").reply(200, pull());
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    // A command on the private security issue: the firewall takes the event's payload's word, no visibility read.
    // The issue is not fetched again: the command read it.
    mockSyncReads(gh, { issue: false, commits: [{ sha: HEAD, message: "Refactor the parser" }], visibility: false });
    let prLabels: string[] = [];
    gh.api.post("/repos/acme/product/issues/42/labels", (b) => ((prLabels = b.labels), true)).reply(200, []);
    let reviewRequest: any;
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers", (b) => ((reviewRequest = b), true)).reply(201, {});
    serveRuns(gh, "acme/product", HEAD);
    let run: any;
    gh.api.post("/repos/acme/product/check-runs", (b) => ((run = b), true)).reply(201, { id: 77 });
    let added: string[] = [];
    gh.api.post(`${ISSUE}/labels`, (b) => ((added = b.labels), true)).reply(200, []);
    gh.api.delete(`${ISSUE}/labels/${encodeURIComponent("security: confirmed")}`).reply(200, []);

    await probot.receive(commentEvent({ commentBody: "/triage pr acme/product#42", labels: ["security", "security: confirmed", "severity: high"] }));

    expect(prLabels).toEqual(["priority: high"]);
    // owner1 (component owner) cannot open the gate: one security-team member is added.
    expect(reviewRequest).toEqual({ reviewers: ["owner1", "sec1"], team_reviewers: ["core"] });
    expect(run).toMatchObject({ name: "review gate", head_sha: HEAD, status: "completed", conclusion: "action_required", details_url: "https://github.com/acme/product/pull/42", output: { title: "Waiting for review" } });
    expect(sealer.open(run.external_id, PR)).toEqual(["acme/security#7"]);
    const record = recordOf(stored[0]!.body);
    expect(record.prs).toMatchObject([{ repo: "acme/product", number: 42, state: "open", review: "pending", private: false, leaks: 0 }]);
    expect(record.state).toBe("fixing");
    // One response write carries the link, the state and the line done (no first write before the link).
    expect(gh.requests.filter((r) => r.method === "PATCH" && r.path === "/repos/acme/security/issues/comments/555")).toHaveLength(1);
    expect(ranOf(record.ran).get("9001")).toHaveLength(1);
    expect(ranOf(record.ran).get("9001")![0]).not.toMatch(/^~/);
    expect(stored[0]!.body).toContain("| **Linked PRs** | acme/product#42 into main (open, pending; wording check passes) |");
    expect(stored[0]!.body).toContain("| **Still to patch** | main, 4.19 |");
    expect(stored[0]!.body).toMatch(/- \[x\] Commits do not refer to the vulnerability/);
    expect(added).toEqual(["security: fixing"]);
    expect(gh.leaks(SECRETS, gh.requestsTo("acme", "product"))).toEqual([]);
  });
});

describe("/triage pr of a PR whose head carries another PR's gate", () => {
  it("leaves the other PR's gate and link alone and says why (GitHub keeps one gate run per commit)", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    const stored = await storeResponse();
    serveComments(gh, stored, 2);
    serveTeam(gh, ["sec1", "alice"]);
    // The failed link is answered in the issue: the reply looks for its key among the comments after the command's.
    mockCommentById(gh, () => stored, 555);
    mockNoOverrides(gh, "acme", "security");
    gh.api.get(ISSUE).reply(200, { number: 7, title: TITLE, state: "open", user: { login: "reporter" }, labels: ["security", "security: confirmed", "severity: high"].map((name) => ({ name })) });
    gh.api.post("/repos/acme/security/issues/comments/9001/reactions", (b) => b.content === "eyes").reply(201, {});
    mockCommandReads();
    // #43 is opened from the same branch as the linked #42 (into another base): the same head commit.
    gh.api.get("/repos/acme/product/pulls/43").reply(200, pull({ number: 43, base: "4.19" }));
    // The PR whose link the run carries is asked once: still open.
    gh.api.get("/repos/acme/product/pulls/42").reply(200, pull());
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    serveRuns(gh, "acme/product", HEAD, [waiting]);
    mockSyncReads(gh, { issue: false, reviews: null, visibility: false });
    gh.api.post("/repos/acme/product/issues/43/labels").optionally().reply(200, []);
    gh.api.post("/repos/acme/product/pulls/43/requested_reviewers").optionally().reply(201, {});
    gh.api.get("/repos/acme/product/pulls/43/reviews").query(true).optionally().reply(200, []);
    gh.api.get("/repos/acme/product/pulls/43/commits").query(true).optionally().reply(200, [{ sha: HEAD, commit: { message: "Refactor" } }]);
    gh.api.post(`${ISSUE}/labels`).optionally().reply(200, []);
    gh.api.delete(`${ISSUE}/labels/${encodeURIComponent("security: confirmed")}`).optionally().reply(200, []);
    const updates: any[] = [];
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => (updates.push(b), true)).optionally().reply(200, {});
    let reply = "";
    gh.api.post(`${ISSUE}/comments`, (b) => ((reply = b.body), true)).optionally().reply(201, { id: 901 });

    await probot.receive(commentEvent({ commentBody: "/triage pr acme/product#43", labels: ["security", "security: confirmed", "severity: high"] }));

    // #42's gate still carries #42's link (GitHub would otherwise show #43's verdict on #42 and #42 would lose its response).
    expect(updates.filter((u) => u.external_id !== undefined && sealer.open(u.external_id, PR).length === 0)).toEqual([]);
    expect(reply).toContain("carries the gate of another pull request");
    expect(recordOf(stored[0]!.body).prs).toEqual([]);
  });

  it("links the backport PR: the merged PR's gate on that head is done with", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    const stored = await storeResponse({ state: "fixing", prs: [{ repo: "acme/product", number: 42, state: "merged", review: "approved", base: "main", head_sha: HEAD, private: false, requested: ["sec1"] }] });
    serveComments(gh, stored);
    serveTeam(gh, ["sec1", "alice"]);
    mockNoOverrides(gh, "acme", "security");
    gh.api.post("/repos/acme/security/issues/comments/9001/reactions", (b) => b.content === "eyes").reply(201, {});
    gh.api.post("/repos/acme/security/issues/comments/9001/reactions", (b) => b.content === "+1").reply(201, {});
    mockCommandReads();
    // #43 is opened from the same branch as the linked #42 (into another base): the same head commit.
    gh.api.get("/repos/acme/product/pulls/43").reply(200, pull({ number: 43, base: "4.19" }));
    // The PR whose link the run carries is asked once: merged, its gate guards nothing any more.
    gh.api.get("/repos/acme/product/pulls/42").reply(200, pull({ merged: true, state: "closed" }));
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    serveRuns(gh, "acme/product", HEAD, [{ ...waiting, conclusion: "success", title: "Approved" }]);
    mockSyncReads(gh, { issue: false, reviews: null, visibility: false, commits: undefined });
    gh.api.post("/repos/acme/product/issues/43/labels").optionally().reply(200, []);
    gh.api.post("/repos/acme/product/pulls/43/requested_reviewers").optionally().reply(201, {});
    gh.api.get("/repos/acme/product/pulls/43/reviews").query(true).optionally().reply(200, []);
    gh.api.get("/repos/acme/product/pulls/43/commits").query(true).optionally().reply(200, [{ sha: HEAD, commit: { message: "Refactor" } }]);
    gh.api.post(`${ISSUE}/labels`).optionally().times(3).reply(200, []);
    gh.api.delete(`${ISSUE}/labels/${encodeURIComponent("security: confirmed")}`).optionally().times(3).reply(200, []);
    const updates: any[] = [];
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => (updates.push(b), true)).optionally().reply(200, {});
    let reply = "";
    gh.api.post(`${ISSUE}/comments`, (b) => ((reply = b.body), true)).optionally().reply(201, { id: 901 });

    await probot.receive(commentEvent({ commentBody: "/triage pr acme/product#43", labels: ["security", "security: confirmed", "severity: high"] }));

    // #42 merged into main; #43 takes the same branch into 4.19. Nothing is left for #42's gate to guard.
    expect(reply).not.toContain("carries the gate of another pull request");
    expect(recordOf(stored[0]!.body).prs.map((p: any) => p.number).sort()).toEqual([42, 43]);
  });
});

describe("PR events on a linked PR", () => {
  it("costs one call for an unlinked PR whose head carries the app's run (no config read before a link is known), and writes nothing", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh); // once per process: the app's runs are asked by its id
    // Its passing run, written on its first event (test/handlers/gate-every-pr.test.ts): a redelivery finds it.
    serveRuns(gh, "acme/product", HEAD, [UNLINKED_RUN]);
    await probot.receive(prEvent("opened", pull()));
    expect(gh.requests.filter((r) => !r.path.startsWith("/app")).map((r) => r.operationId)).toEqual(["checks/list-for-ref"]);
    expect(gh.requests.find((r) => r.operationId === "checks/list-for-ref")?.query).toMatchObject({ app_id: "1" });
  });

  it("opens the gate when a security-team member approves the current head", async () => {
    const probot = createTestProbot();
    const { stored, gate } = await mockApproval(waiting);

    await probot.receive(reviewEvent(pull(), "sec1", "approved"));
    const update = gate.update;

    expect(update).toMatchObject({ status: "completed", conclusion: "success", output: { title: "Approved" }, external_id: SEALED });
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ review: "approved" });
    expect(gh.leaks(SECRETS, gh.requestsTo("acme", "product"))).toEqual([]);
  });

  it("retargeting an approved PR to another base makes it wait again, until a team member approves it on the new base", async () => {
    const probot = createTestProbot();
    const approved = { id: 77, external_id: SEALED, status: "completed", conclusion: "success", title: "Approved" };
    // Approved while it targeted a branch that already held other commits; its head does not change when it is retargeted.
    const stored = await storeResponse({ ...linkedRecord, prs: [{ ...linkedRecord.prs[0]!, base: "feature", review: "approved", head_sha: HEAD }] });
    const retargeted = pull({ base: "main" });
    const first = { login: "sec1", state: "APPROVED", commit_id: HEAD, submitted_at: "2026-11-22T10:00:00Z" };
    const updates: any[] = [];
    mockPrStart(gh);
    mockIdentity(gh);
    serveRuns(gh, "acme/product", HEAD, [approved]);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveComments(gh, stored);
    serveTeam(gh, ["sec1"]);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: [first], commits: [{ sha: HEAD, message: "Refactor" }], issueLabels: ["security", "security: fixing", "severity: high"] });
    gh.api.post("/repos/acme/product/issues/42/labels").optionally().times(3).reply(200, []);
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => (updates.push(b), true)).times(2).reply(200, {});

    await probot.receive(prEvent("edited", retargeted, { changes: { base: { ref: { from: "feature" }, sha: { from: "c".repeat(40) } } } }));

    expect(updates[0]).toMatchObject({ conclusion: "action_required", output: { title: "Waiting for review" } });
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ base: "main", review: "pending" });
    // The response shows the retarget and what it means for approvals.
    expect(stored[0]!.body).toMatch(/acme\/product#42 into main \(open, pending; retargeted 20\d\d-\d\d-\d\d, earlier approvals do not count/);

    // A review event from before the retarget, delivered late, still names the old base: its approval does not count either.
    serveRuns(gh, "acme/product", HEAD, [{ ...approved, conclusion: "action_required", title: "Waiting for review" }]);
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveResponseById(gh, stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: [first], issueLabels: ["security", "security: fixing", "severity: high"] });
    await probot.receive(reviewEvent(pull({ base: "feature" }), "sec1", "approved"));
    expect(updates).toHaveLength(1);
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ review: "pending" });

    // sec1 looks again and approves the same head on its new base: the gate opens.
    serveRuns(gh, "acme/product", HEAD, [{ ...approved, conclusion: "action_required", title: "Waiting for review" }]);
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveResponseById(gh, stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: [first, { ...first, submitted_at: "2026-11-22T12:30:00Z" }], issueLabels: ["security", "security: fixing", "severity: high"] });
    await probot.receive(reviewEvent(retargeted, "sec1", "approved"));

    expect(updates[1]).toMatchObject({ conclusion: "success", output: { title: "Approved" } });
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ base: "main", review: "approved" });
  });

  it("a team member's request for changes dismissed by someone outside the team still keeps the gate failing", async () => {
    const probot = createTestProbot();
    mockPrStart(gh);
    mockIdentity(gh);
    serveRuns(gh, "acme/product", HEAD, [{ ...waiting, conclusion: "failure", title: "Changes requested" }]);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    const stored = await storeResponse({ ...linkedRecord, prs: [{ ...linkedRecord.prs[0]!, review: "changes_requested", head_sha: HEAD }] });
    serveComments(gh, stored);
    serveTeam(gh, ["sec1", "sec2"]);
    mockNoOverrides(gh, "acme", "security");
    // sec1 approved; sec2 asked for changes, and dev1 (write access, not in the team) dismissed that review (id 1).
    mockSyncReads(gh, { reviews: [{ login: "sec1", state: "APPROVED", commit_id: HEAD }, { login: "sec2", state: "DISMISSED", commit_id: HEAD }], commits: [{ sha: HEAD, message: "Refactor" }], issueLabels: ["security", "security: fixing", "severity: high"] });
    gh.api
      .get("/repos/acme/product/issues/42/timeline")
      .query(true)
      .reply(200, [{ id: 5, event: "review_dismissed", actor: { login: "dev1" }, dismissed_review: { state: "changes_requested", review_id: 1, dismissal_message: "not needed" } }]);
    gh.api.post("/repos/acme/product/issues/42/labels").optionally().reply(200, []);
    const updates: any[] = [];
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => (updates.push(b), true)).optionally().reply(200, {});
    const event = reviewEvent(pull(), "sec2", "dismissed");
    event.payload.action = "dismissed";
    event.payload.sender = { ...event.payload.sender, login: "dev1" };

    await probot.receive(event);

    expect(updates.filter((u) => u.conclusion !== "failure")).toEqual([]);
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ review: "changes_requested" });
  });

  it("keeps failing on changes requested, and a push makes it wait again and asks for review again", async () => {
    const probot = createTestProbot();
    mockPrStart(gh);
    mockIdentity(gh);
    serveRuns(gh, "acme/product", HEAD, [waiting]);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    const stored = await storeResponse(linkedRecord);
    serveComments(gh, stored);
    serveTeam(gh, ["sec1", "alice"]);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: [{ login: "alice", state: "CHANGES_REQUESTED", commit_id: HEAD }], commits: [], issueLabels: ["security", "security: fixing", "severity: high"] });
    gh.api.post("/repos/acme/product/issues/42/labels").times(2).reply(200, []);
    let failed: any;
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => ((failed = b), true)).reply(200, {});
    await probot.receive(reviewEvent(pull(), "alice", "changes_requested"));
    expect(failed).toMatchObject({ conclusion: "failure", output: { title: "Changes requested" } });
    // From here on the app reads its response by the id it remembered.

    // a push: the new head has no run; the link is found on the previous head's run
    const NEW = "2222222222222222222222222222222222222222";
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    serveRuns(gh, "acme/product", NEW);
    serveRuns(gh, "acme/product", HEAD, [{ ...waiting, conclusion: "failure" }]);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveResponseById(gh, stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: [{ login: "alice", state: "APPROVED", commit_id: HEAD }], commits: [], issueLabels: ["security", "security: fixing", "severity: high"] });
    let again: any;
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers", (b) => ((again = b), true)).reply(201, {});
    let created: any;
    gh.api.post("/repos/acme/product/check-runs", (b) => ((created = b), true)).reply(201, { id: 78 });
    await probot.receive(prEvent("synchronize", pull({ head: NEW }), { before: HEAD, after: NEW }));
    expect(again).toEqual({ reviewers: ["owner1", "sec1"], team_reviewers: ["core"] });
    // the approval was of the old head: a new push needs a new look
    expect(created).toMatchObject({ head_sha: NEW, conclusion: "action_required", output: { title: "Waiting for review" } });
    expect(sealer.open(created.external_id, PR)).toEqual(["acme/security#7"]);
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ head_sha: NEW });

    // the same push delivered again: the record already knows this head, so nobody is asked twice
    const pushEvent = prEvent("synchronize", pull({ head: NEW }), { before: HEAD, after: NEW });
    const run78 = { id: 78, external_id: created.external_id, status: "completed", conclusion: "action_required", title: "Waiting for review" };
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    serveRuns(gh, "acme/product", NEW, [run78]);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveResponseById(gh, stored);
    // Nothing new to say: no response write, so neither the templates nor the repo's visibility are read.
    mockSyncReads(gh, { reviews: [{ login: "alice", state: "APPROVED", commit_id: HEAD }], issueLabels: ["security", "security: fixing", "severity: high"], visibility: false });
    gh.api.post("/repos/acme/product/issues/42/labels").reply(200, []);
    const before = gh.requests.length;
    await probot.receive(pushEvent);
    const redelivered = gh.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(redelivered.filter((r) => r.includes("requested_reviewers") || r.includes("check-runs/") || r.startsWith("POST /repos/acme/product/check-runs"))).toEqual([]);
    expect(redelivered.filter((r) => r.startsWith("PATCH /repos/acme/security"))).toEqual([]);

    // re-approval of the new head opens the gate
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    serveRuns(gh, "acme/product", NEW, [run78]);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveResponseById(gh, stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: [{ login: "alice", state: "CHANGES_REQUESTED", commit_id: HEAD }, { login: "alice", state: "APPROVED", commit_id: NEW }], issueLabels: ["security", "security: fixing", "severity: high"] });
    gh.api.post("/repos/acme/product/issues/42/labels").reply(200, []);
    let opened: any;
    gh.api.patch("/repos/acme/product/check-runs/78", (b) => ((opened = b), true)).reply(200, {});
    await probot.receive(reviewEvent(pull({ head: NEW }), "alice", "approved"));
    expect(opened).toMatchObject({ status: "completed", conclusion: "success", output: { title: "Approved" } });
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ review: "approved", head_sha: NEW });
  });

  it("fails the leak check, naming the rule and place and never the secret", async () => {
    const { update, stored } = await leakyEdit(pull({ title: `Fix ${CVE}`, ref: "fix-sql-injection" }), "Close acme/security#7: an exploit");
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

/** A linked PR edited into `leaky`, its one commit saying `message`: the gate run's update, and the response. */
async function leakyEdit(leaky: ReturnType<typeof pull>, message: string, productYaml = PRODUCT_YAML) {
  const probot = createTestProbot();
  const stored = await mockLinkedSync(waiting, { commits: [{ sha: "abcdef1234567890abcdef1234567890abcdef12", message }] }, productYaml);
  let update: any;
  gh.api.patch("/repos/acme/product/check-runs/77", (b) => ((update = b), true)).reply(200, {});
  await probot.receive(prEvent("edited", leaky));
  return { update, stored };
}

describe("the leak words of a product repository's config", () => {
  it("may add words but cannot take away the security repository's: a title that says `exploit` still fails there", async () => {
    // The product repository's admins (not the security team) list one harmless word of their own.
    const leaky = pull({ title: "Fix the exploitable login query", ref: "fix-login-query" });
    const { update, stored } = await leakyEdit(leaky, "zz-internal cleanup", `${PRODUCT_YAML}  leak_words: [zz-internal]\n`);
    expect(update.conclusion).toBe("failure");
    expect(update.output.summary).toContain("- the title: uses a word from the configured list");
    expect(update.output.summary).toContain("- the message of commit abcdef1: uses a word from the configured list");
    expect(recordOf(stored[0]!.body).prs[0]!.leaks).toBe(2);
    expect(recordOf(stored[0]!.body).ticks["fix.no_reference"]).toBeUndefined();
  });
});

describe("a product repository renamed or transferred (GitHub keeps its id)", () => {
  it("the link made before still opens under the new name: an approval opens the gate, and the response names the PR once, under its new name", async () => {
    const probot = createTestProbot();
    // A push links the new head (found on the previous head's run): the app seals the link it writes.
    const NEW = "2222222222222222222222222222222222222222";
    mockPrStart(gh);
    mockIdentity(gh);
    serveRuns(gh, "acme/product", NEW);
    serveRuns(gh, "acme/product", HEAD, [waiting]);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    const stored = await storeResponse(linkedRecord);
    serveComments(gh, stored);
    serveTeam(gh, ["sec1", "alice"]);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: [], commits: [], issueLabels: ["security", "security: fixing", "severity: high"] });
    gh.api.post("/repos/acme/product/issues/42/labels").reply(200, []);
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers").optionally().reply(201, {});
    let created: any;
    gh.api.post("/repos/acme/product/check-runs", (b) => ((created = b), true)).reply(201, { id: 78 });
    await probot.receive(prEvent("synchronize", pull({ head: NEW }), { before: HEAD, after: NEW }));
    expect(created).toMatchObject({ head_sha: NEW, conclusion: "action_required" });

    // acme/product is now acme/product-core: the events name it so, the run is where it was.
    const renamed = pull({ repo: "acme/product-core", head: NEW });
    mockConfig(gh, "acme", "product-core", PRODUCT_YAML);
    serveRuns(gh, "acme/product-core", NEW, [{ id: 78, external_id: created.external_id, status: "completed", conclusion: "action_required", title: "Waiting for review" }]);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveResponseById(gh, stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { repo: "acme/product-core", reviews: [{ login: "sec1", state: "APPROVED", commit_id: NEW }], issueLabels: ["security", "security: fixing", "severity: high"] });
    gh.api.post("/repos/acme/product-core/issues/42/labels").optionally().reply(200, []);
    let opened: any;
    gh.api.patch("/repos/acme/product-core/check-runs/78", (b) => ((opened = b), true)).reply(200, {});
    await probot.receive(reviewEvent(renamed, "sec1", "approved"));

    expect(opened).toMatchObject({ status: "completed", conclusion: "success", output: { title: "Approved" } });
    expect(recordOf(stored[0]!.body).prs).toEqual([expect.objectContaining({ repo: "acme/product-core", number: 42, review: "approved" })]);
    expect(gh.leaks(SECRETS, gh.requestsTo("acme", "product-core"))).toEqual([]);
  });
});

describe("a link sealed before repository ids were", () => {
  it("is sealed again with both ids (the PR's repository's, the response's) on the PR's next event, so a later rename of either keeps it", async () => {
    const probot = createTestProbot();
    const byName = sealer.seal("acme/product#42", "acme/security#7");
    const { gate } = await mockApproval({ ...waiting, external_id: byName });

    await probot.receive(reviewEvent(pull(), "sec1", "approved"));
    const update = gate.update;

    expect(update).toMatchObject({ conclusion: "success" });
    expect(sealer.open(update.external_id, { key: "acme/product-core#42", repoId: PRODUCT_REPO_ID })).toEqual(["acme/security#7"]);
    expect(sealer.open(update.external_id, { key: "acme/product#42", repoId: PRODUCT_REPO_ID + 1 })).toEqual([]);
    // The security repo's id came from the one read of it the event makes anyway (its visibility, for the leak firewall).
    expect(sealer.openLinks(update.external_id, { key: "acme/product#42", repoId: PRODUCT_REPO_ID })).toEqual([{ key: "acme/security#7", repoId: SECURITY_REPO_ID }]);
  });
});

describe("private PRs", () => {
  it("links a PR in the security repo by a team member that references the issue, skips the leak check, and adds the severity label", async () => {
    const probot = createTestProbot();
    mockPrStart(gh, "acme/security", SECURITY_YAML);
    mockIdentity(gh);
    const priv = pull({ repo: "acme/security", private: true, body: "Fixes #7", author: "sec1" });
    serveRuns(gh, "acme/security", HEAD);
    serveTeam(gh, ["sec1", "alice"]);
    const stored = await storeResponse();
    serveComments(gh, stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { repo: "acme/security", visibility: false }); // a PR in the private security repo: its payload says private
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
    mockPrStart(gh, "acme/security", SECURITY_YAML);
    mockIdentity(gh);
    serveRuns(gh, "acme/security", HEAD);
    serveTeam(gh, ["sec1", "alice"]);
    const stored = await storeResponse();
    serveComments(gh, stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { repo: "acme/security", visibility: false }); // a PR in the private security repo: its payload says private
    gh.api.post("/repos/acme/security/issues/42/labels").reply(200, []);
    gh.api.post("/repos/acme/security/pulls/42/requested_reviewers", { reviewers: ["owner1"], team_reviewers: ["sec"] }).reply(422, { message: "Reviews may only be requested from collaborators." });
    gh.api.post("/repos/acme/security/pulls/42/requested_reviewers", { reviewers: ["owner1"] }).reply(422, { message: "Reviews may only be requested from collaborators." });
    gh.api.post("/repos/acme/security/pulls/42/requested_reviewers", { team_reviewers: ["sec"] }).reply(201, {});
    gh.api.post("/repos/acme/security/check-runs").reply(201, { id: 80 });
    gh.api.post(`${ISSUE}/labels`).reply(200, []);
    gh.api.delete(`${ISSUE}/labels/${encodeURIComponent("security: confirmed")}`).reply(200, []);

    let told: any;
    gh.api.post(`${ISSUE}/comments`, (b) => ((told = b), true)).reply(201, { id: 901, body: "", html_url: "https://github.com/acme/security/issues/7#issuecomment-901" });

    await probot.receive(prEvent("opened", pull({ repo: "acme/security", private: true, body: "Fixes #7", author: "alice" })));

    expect(recordOf(stored[0]!.body).prs[0]!.requested).toEqual(["owner1", "team:sec"]);
    // Recorded as asked, so never asked again: the team is told once, in the security issue.
    expect(told.body).toContain("GitHub refused to ask owner1 to review acme/security#42");
    expect(told.body).toContain("the PR's gate keeps waiting for an approval all the same");
  });

  it("says a 403 on a review request is the app's missing permission, not the reviewer's access", async () => {
    const probot = createTestProbot();
    mockPrStart(gh, "acme/security", SECURITY_YAML);
    mockIdentity(gh);
    serveRuns(gh, "acme/security", HEAD);
    serveTeam(gh, ["sec1", "alice"]);
    const stored = await storeResponse();
    serveComments(gh, stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { repo: "acme/security", visibility: false });
    gh.api.post("/repos/acme/security/issues/42/labels").reply(200, []);
    const forbidden = { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest/pulls/review-requests#request-reviewers-for-a-pull-request", status: "403" };
    gh.api.post("/repos/acme/security/pulls/42/requested_reviewers", { reviewers: ["owner1"], team_reviewers: ["sec"] }).reply(403, forbidden);
    gh.api.post("/repos/acme/security/pulls/42/requested_reviewers", { reviewers: ["owner1"] }).reply(403, forbidden);
    gh.api.post("/repos/acme/security/pulls/42/requested_reviewers", { team_reviewers: ["sec"] }).reply(422, { message: "Reviews may only be requested from collaborators." });
    gh.api.post("/repos/acme/security/check-runs").reply(201, { id: 80 });
    gh.api.post(`${ISSUE}/labels`).reply(200, []);
    gh.api.delete(`${ISSUE}/labels/${encodeURIComponent("security: confirmed")}`).reply(200, []);
    let told: any;
    gh.api.post(`${ISSUE}/comments`, (b) => ((told = b), true)).reply(201, { id: 901, body: "", html_url: "https://github.com/acme/security/issues/7#issuecomment-901" });

    await probot.receive(prEvent("opened", pull({ repo: "acme/security", private: true, body: "Fixes #7", author: "alice" })));

    // owner1's 403 is the app's permission: giving owner1 access would change nothing.
    expect(told.body).toContain("GitHub refused the app's request for owner1 to review acme/security#42: the app lacks a permission on acme/security");
    expect(told.body).toContain('"Pull requests: write"');
    expect(told.body).not.toMatch(/ask owner1[^.]*not a collaborator/);
    // The team's 422 is its access, said as before.
    expect(told.body).toContain("GitHub refused to ask the team sec to review acme/security#42: not a collaborator there");
  });
});

describe("merges and closing", () => {
  it("ticks 'patched on <branch>' when a linked PR merges into a supported branch", async () => {
    const probot = createTestProbot();
    mockPrStart(gh);
    mockIdentity(gh);
    const merged = pull({ state: "closed", merged: true, base: "4.19" });
    serveRuns(gh, "acme/product", HEAD, [{ id: 77, external_id: SEALED, status: "completed", conclusion: "success", title: "Approved" }]);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    const stored = await storeResponse({ state: "fixing", patched: ["main"], prs: [{ repo: "acme/product", number: 42, state: "open", review: "approved", base: "4.19", private: false, requested: ["owner1", "team:core"] }] });
    serveComments(gh, stored);
    serveTeam(gh, ["sec1", "alice"]);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: [{ login: "sec1", state: "APPROVED", commit_id: HEAD }], commits: [], issueLabels: ["security", "security: fixing", "severity: high"] });
    gh.api.post(`${ISSUE}/labels`, { labels: ["security: fixed"] }).reply(200, []);
    gh.api.delete(`${ISSUE}/labels/${encodeURIComponent("security: fixing")}`).reply(200, []);

    await probot.receive(prEvent("closed", merged));

    const record = recordOf(stored[0]!.body);
    expect(record.patched).toEqual(["main", "4.19"]);
    expect(record.state).toBe("fixed");
    expect(stored[0]!.body).toMatch(/- \[x\] Patched on `4\.19`/);
    expect(stored[0]!.body).not.toContain("Still to patch");
  });

  it("releases the PRs when the app closes the security issue: priority label off, gate neutral", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    mockIdentity(gh);
    const stored = await storeResponse({ state: "invalid", prs: [{ repo: "acme/product", number: 42, state: "open", review: "pending", base: "main", private: false, requested: ["owner1"] }] });
    serveComments(gh, stored);
    serveTeam(gh, ["sec1", "alice"]);
    gh.api.get("/repos/acme/product/pulls/42").reply(200, pull({ labels: ["priority: high"] }));
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    mockNoOverrides(gh, "acme", "security");
    // An event on the private security repo: the firewall takes its payload's word, no visibility read.
    mockSyncReads(gh, { reviews: null, issueState: "closed", issueLabels: ["security", "security: invalid", "severity: high"], visibility: false });
    gh.api.delete(`/repos/acme/product/issues/42/labels/${encodeURIComponent("priority: high")}`).reply(200, []);
    serveRuns(gh, "acme/product", HEAD, [waiting]);
    let update: any;
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => ((update = b), true)).reply(200, {});

    await probot.receive(issueStateEvent("closed", "embargo[bot]", "Bot"));

    expect(update).toMatchObject({ status: "completed", conclusion: "neutral", output: { title: "No longer gated" } });
    expect(gh.leaks(SECRETS, gh.requestsTo("acme", "product"))).toEqual([]);
  });
});

describe("/triage pr input", () => {
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
    serveComments(gh, stored);
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
});
