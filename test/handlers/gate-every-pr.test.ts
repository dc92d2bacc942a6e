/**
 * Every open PR gets the gate's name on its head, so that the check can be required without
 * blocking every PR no response is linked to: an unlinked PR's run passes and says nothing; a link
 * later takes that same run over.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commentEvent, createTestProbot, mockConfig, mockIdentity, mockNoOverrides, mockToken, recordOf } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { acceptUnlinkedRun, HEAD, ISSUE, mockPrStart, mockSyncReads, prEvent, PRODUCT_YAML, pull, sealer, SECRETS, SECURITY_YAML, serveComments, serveRuns, serveTeam, storeResponse, TITLE, UNLINKED_RUN, unlinkedRunBody } from "../pr/fixtures.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const NEW_HEAD = "c".repeat(40);
const writes = () => gh.requests.filter((r) => r.method !== "GET" && !r.path.startsWith("/app"));

describe("an unlinked open PR", () => {
  for (const action of ["opened", "reopened", "edited"]) {
    it(`gets a passing run of the gate on ${action}: the gate's name, neutral words, no link`, async () => {
      const probot = createTestProbot();
      mockPrStart(gh);
      mockIdentity(gh);
      serveRuns(gh, "acme/product", HEAD);
      const created = acceptUnlinkedRun(gh);
      await probot.receive(prEvent(action, pull()));
      expect(created).toEqual([expect.objectContaining({ ...unlinkedRunBody(HEAD), details_url: "https://github.com/acme/product/pull/42" })]);
      expect(created[0]).not.toHaveProperty("external_id");
      expect(writes().map((w) => `${w.method} ${w.path}`)).toEqual(["POST /repos/acme/product/check-runs"]);
      expect(gh.requestsTo("acme", "security")).toEqual([]);
      expect(gh.leaks(SECRETS, gh.requestsTo("acme", "product"))).toEqual([]);
    });
  }

  it("gets one on the new head after a push (the previous head carried its passing run)", async () => {
    const probot = createTestProbot();
    mockPrStart(gh);
    mockIdentity(gh);
    serveRuns(gh, "acme/product", NEW_HEAD);
    serveRuns(gh, "acme/product", HEAD, [UNLINKED_RUN]);
    const created = acceptUnlinkedRun(gh);
    await probot.receive(prEvent("synchronize", pull({ head: NEW_HEAD }), { before: HEAD, after: NEW_HEAD }));
    expect(created).toEqual([expect.objectContaining(unlinkedRunBody(NEW_HEAD))]);
    expect(gh.requests.filter((r) => !r.path.startsWith("/app")).map((r) => r.operationId)).toEqual(["checks/list-for-ref", "checks/list-for-ref", "repos/get-content", "checks/create"]);
  });

  it("a redelivery finds the run on the head and writes nothing, reading no config", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    serveRuns(gh, "acme/product", HEAD, [UNLINKED_RUN]);
    await probot.receive(prEvent("opened", pull()));
    expect(gh.requests.filter((r) => !r.path.startsWith("/app")).map((r) => r.operationId)).toEqual(["checks/list-for-ref"]);
  });

  it("takes the gate's configured name, and gets nothing when the repository turned it off", async () => {
    const probot = createTestProbot();
    mockPrStart(gh, "acme/product", "security_repo: acme/security\npublic_pr:\n  check_name: fix gate\n");
    mockIdentity(gh);
    serveRuns(gh, "acme/product", HEAD);
    const created = acceptUnlinkedRun(gh);
    await probot.receive(prEvent("opened", pull()));
    expect(created).toEqual([expect.objectContaining(unlinkedRunBody(HEAD, "fix gate"))]);

    const off = createTestProbot();
    mockPrStart(gh, "acme/product", "security_repo: acme/security\npublic_pr:\n  gate_every_pr: false\n");
    mockIdentity(gh);
    serveRuns(gh, "acme/product", NEW_HEAD);
    await off.receive(prEvent("opened", pull({ head: NEW_HEAD })));
    expect(created).toHaveLength(1);
  });

  it("a closed PR gets nothing, and nothing more is read", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    serveRuns(gh, "acme/product", HEAD);
    await probot.receive(prEvent("closed", pull({ state: "closed" })));
    expect(gh.requests.filter((r) => !r.path.startsWith("/app")).map((r) => r.operationId)).toEqual(["checks/list-for-ref"]);
  });
});

describe("/triage pr of a PR whose head carries its unlinked passing run", () => {
  it("turns that same run into the waiting gate (no second run, no shared-head refusal); a later push the app missed gets no passing run", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    const stored = await storeResponse();
    serveComments(gh, stored);
    serveTeam(gh, ["sec1", "alice"]);
    mockNoOverrides(gh, "acme", "security");
    gh.api.post("/repos/acme/security/issues/comments/9001/reactions").times(2).reply(201, {});
    gh.api.get(ISSUE).reply(200, { number: 7, title: TITLE, state: "open", user: { login: "reporter" }, labels: ["security", "security: confirmed", "severity: high"].map((name) => ({ name })) });
    gh.api.get("/repos/acme/product/pulls/42").reply(200, pull());
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    mockSyncReads(gh, { issue: false, commits: [{ sha: HEAD, message: "Refactor the parser" }], visibility: false });
    gh.api.post("/repos/acme/product/issues/42/labels").reply(200, []);
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers").reply(201, {});
    serveRuns(gh, "acme/product", HEAD, [UNLINKED_RUN]);
    let update: any;
    gh.api.patch("/repos/acme/product/check-runs/70", (b) => ((update = b), true)).reply(200, {});
    gh.api.post(`${ISSUE}/labels`).reply(200, []);
    gh.api.delete(`${ISSUE}/labels/${encodeURIComponent("security: confirmed")}`).reply(200, []);

    await probot.receive(commentEvent({ commentBody: "/triage pr acme/product#42", labels: ["security", "security: confirmed", "severity: high"] }));

    expect(update).toMatchObject({ status: "completed", conclusion: "action_required", output: { title: "Waiting for review" } });
    expect(sealer.open(update.external_id, "acme/product#42")).toEqual(["acme/security#7"]);
    expect(gh.requests.filter((r) => r.method === "POST" && r.path.endsWith("/check-runs"))).toEqual([]);
    const record = recordOf(stored[0]!.body);
    expect(record.prs).toMatchObject([{ repo: "acme/product", number: 42, state: "open", review: "pending" }]);
    expect(stored[0]!.body).not.toContain("carries the gate of another pull request");

    // Two pushes the app never saw the first of: neither head carries a run, so no link is found;
    // the PR was gated, so it keeps waiting (no run at all) for the tick rather than pass.
    const later = "d".repeat(40);
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    serveRuns(gh, "acme/product", later);
    serveRuns(gh, "acme/product", NEW_HEAD);
    await probot.receive(prEvent("synchronize", pull({ head: later }), { before: NEW_HEAD, after: later }));
    expect(gh.requests.filter((r) => r.method === "POST" && r.path.endsWith("/check-runs"))).toEqual([]);
  });

  it("a push the app missed on a PR carrying the app's priority label gets no passing run, though the app's memory of gating it is gone (a restart without Redis)", async () => {
    const probot = createTestProbot();
    mockPrStart(gh);
    mockIdentity(gh);
    const later = "d".repeat(40);
    serveRuns(gh, "acme/product", later);
    serveRuns(gh, "acme/product", NEW_HEAD);
    gh.api.get("/repos/acme/product/issues/42/events").query(true).reply(200, [{ id: 1, node_id: "LE1", url: "", event: "labeled", actor: { login: "embargo[bot]" }, commit_id: null, commit_url: null, created_at: "2026-11-21T10:00:00Z", label: { name: "priority: high", color: "ededed" } }]);
    await probot.receive(prEvent("synchronize", pull({ head: later, labels: ["priority: high"] }), { before: NEW_HEAD, after: later }));
    expect(gh.requests.filter((r) => r.method === "POST" && r.path.endsWith("/check-runs"))).toEqual([]);
  });

  it("a project's own label of the priority label's name (a person put it there, GitHub's events say) does not hold back the passing run", async () => {
    const probot = createTestProbot();
    mockPrStart(gh);
    mockIdentity(gh);
    const later = "d".repeat(40);
    serveRuns(gh, "acme/product", later);
    serveRuns(gh, "acme/product", NEW_HEAD);
    gh.api.get("/repos/acme/product/issues/42/events").query(true).reply(200, [{ id: 1, node_id: "LE1", url: "", event: "labeled", actor: { login: "maintainer1" }, commit_id: null, commit_url: null, created_at: "2026-11-21T10:00:00Z", label: { name: "priority: high", color: "ededed" } }]);
    const created = acceptUnlinkedRun(gh);
    await probot.receive(prEvent("synchronize", pull({ head: later, labels: ["priority: high"] }), { before: NEW_HEAD, after: later }));
    expect(created).toEqual([expect.objectContaining(unlinkedRunBody(later))]);
  });

  it("a PR in the security repo whose text names #7, under a broken config (no self-link tried), gets no passing run", async () => {
    const probot = createTestProbot();
    mockPrStart(gh, "acme/security", "team: [not a team\n");
    mockIdentity(gh);
    serveRuns(gh, "acme/security", HEAD);
    await probot.receive(prEvent("edited", pull({ repo: "acme/security", private: true, body: "Fixes #7.", author: "sec1" }), { changes: { body: { from: "Refactors the parser." } } }));
    expect(gh.requests.filter((r) => r.method === "POST" && r.path.endsWith("/check-runs"))).toEqual([]);
  });

  it("a self-link (a team member's PR in the security repo edited to name #7) takes the same run over", async () => {
    const probot = createTestProbot();
    mockPrStart(gh, "acme/security", SECURITY_YAML);
    mockIdentity(gh);
    serveRuns(gh, "acme/security", HEAD, [UNLINKED_RUN]);
    serveTeam(gh, ["sec1"]);
    const stored = await storeResponse();
    serveComments(gh, stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { repo: "acme/security", visibility: false });
    gh.api.post("/repos/acme/security/issues/42/labels").reply(200, []);
    gh.api.post("/repos/acme/security/pulls/42/requested_reviewers").reply(201, {});
    let update: any;
    gh.api.patch("/repos/acme/security/check-runs/70", (b) => ((update = b), true)).reply(200, {});
    gh.api.post(`${ISSUE}/labels`).reply(200, []);
    gh.api.delete(`${ISSUE}/labels/${encodeURIComponent("security: confirmed")}`).reply(200, []);

    await probot.receive(prEvent("edited", pull({ repo: "acme/security", private: true, body: "Fixes #7.", author: "sec1" }), { changes: { body: { from: "Refactors the parser." } } }));

    expect(update).toMatchObject({ status: "completed", conclusion: "action_required", output: { title: "Waiting for review" } });
    expect(sealer.open(update.external_id, "acme/security#42")).toEqual(["acme/security#7"]);
    expect(gh.requests.filter((r) => r.method === "POST" && r.path.endsWith("/check-runs"))).toEqual([]);
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ repo: "acme/security", number: 42 });
  });
});
