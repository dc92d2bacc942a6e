/**
 * A PR event's `pull_request` is a snapshot from when GitHub sent it. Redelivered (by hand, or by
 * a script that redelivers failed deliveries after an outage) or simply handled late, it must not
 * put back what a newer event already replaced: a title cleaned of nothing, an open state after a
 * merge.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestProbot, mockConfig, mockIdentity, mockNoOverrides, recordOf } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { CVE, HEAD, mockPrStart, mockSyncReads, prEvent, pull, PRODUCT_YAML, reviewEvent, SEALED, SECURITY_YAML, serveComments, serveResponseById, serveRuns, serveTeam, storeResponse } from "../pr/fixtures.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const LABELS = ["security", "security: fixing", "severity: high"];
const APPROVAL = { login: "sec1", state: "APPROVED", commit_id: HEAD, submitted_at: "2026-11-22T11:00:00Z" };
/** #42 as a team member's approval left it: the gate open on its head. */
const approvedLine = { repo: "acme/product", number: 42, state: "open" as const, review: "approved" as const, base: "main", head_sha: HEAD, private: false, requested: ["owner1", "sec1", "team:core"] };

/** The PR as GitHub sent it at `at` (its `updated_at`). */
function at(p: ReturnType<typeof pull>, updated: string) {
  p.updated_at = updated;
  return p;
}

describe("a review event redelivered after the PR's title was edited", () => {
  it("does not open the gate on the old title: the wording check reads the title GitHub has now", async () => {
    const probot = createTestProbot();
    const stored = await storeResponse({ state: "fixing", prs: [approvedLine] });
    const updates: any[] = [];
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => (updates.push(b), true)).optionally().times(2).reply(200, {});
    gh.api.post("/repos/acme/product/issues/42/labels").optionally().times(2).reply(200, []);

    // 11:05 the author renames the PR after the CVE: the gate fails.
    const leaky = at(pull({ title: `Fix ${CVE}` }), "2026-11-22T11:05:00Z");
    mockPrStart(gh);
    mockIdentity(gh);
    serveRuns(gh, "acme/product", HEAD, [{ id: 77, external_id: SEALED, status: "completed", conclusion: "success", title: "Approved" }]);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveComments(gh, stored);
    serveTeam(gh, ["sec1"]);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: [APPROVAL], commits: [{ sha: HEAD, message: "Refactor" }], issueLabels: LABELS });
    await probot.receive(prEvent("edited", leaky, { changes: { title: { from: "Tighten input handling" } } }));
    expect(updates.at(-1)).toMatchObject({ conclusion: "failure", output: { title: "Wording needs a change (2)" } });

    // sec1's 11:00 approval, delivered again now: its PR still has the old, clean title.
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    serveRuns(gh, "acme/product", HEAD, [{ id: 77, external_id: SEALED, status: "completed", conclusion: "failure", title: "Wording needs a change (2)" }]);
    gh.api.get("/repos/acme/product/pulls/42").optionally().reply(200, leaky);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveResponseById(gh, stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: [APPROVAL], issueLabels: LABELS });
    await probot.receive(reviewEvent(at(pull(), "2026-11-22T11:00:00Z"), "sec1", "approved"));

    // What the public sees: the PR whose title names the CVE stays blocked; the team's record says so.
    expect(updates.filter((u) => u.conclusion !== "failure")).toEqual([]);
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ leaks: 2 });
  });
});

describe("a review event whose copy has the same updated_at as the title edit handled before it", () => {
  it("does not open the gate on the old title: GitHub's updated_at has whole seconds, so an equal one may be an older copy", async () => {
    const probot = createTestProbot();
    const SAME_SECOND = { ...APPROVAL, submitted_at: "2026-11-22T11:05:00Z" };
    const stored = await storeResponse({ state: "fixing", prs: [approvedLine] });
    const updates: any[] = [];
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => (updates.push(b), true)).optionally().times(2).reply(200, {});
    gh.api.post("/repos/acme/product/issues/42/labels").optionally().times(2).reply(200, []);

    // 11:05:00.8 the author renames the PR after the CVE (GitHub says 11:05:00): the gate fails.
    const leaky = at(pull({ title: `Fix ${CVE}` }), "2026-11-22T11:05:00Z");
    mockPrStart(gh);
    mockIdentity(gh);
    serveRuns(gh, "acme/product", HEAD, [{ id: 77, external_id: SEALED, status: "completed", conclusion: "success", title: "Approved" }]);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveComments(gh, stored);
    serveTeam(gh, ["sec1"]);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: [SAME_SECOND], commits: [{ sha: HEAD, message: "Refactor" }], issueLabels: LABELS });
    await probot.receive(prEvent("edited", leaky, { changes: { title: { from: "Tighten input handling" } } }));
    expect(updates.at(-1)).toMatchObject({ conclusion: "failure", output: { title: "Wording needs a change (2)" } });

    // sec1's approval at 11:05:00.2, its delivery handled second: its copy has the old, clean title and the same time.
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    serveRuns(gh, "acme/product", HEAD, [{ id: 77, external_id: SEALED, status: "completed", conclusion: "failure", title: "Wording needs a change (2)" }]);
    gh.api.get("/repos/acme/product/pulls/42").optionally().reply(200, leaky);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveResponseById(gh, stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: [SAME_SECOND], issueLabels: LABELS });
    await probot.receive(reviewEvent(at(pull(), "2026-11-22T11:05:00Z"), "sec1", "approved"));

    // What the public sees: the PR whose title names the CVE stays blocked; the team's record says so.
    expect(updates.filter((u) => u.conclusion !== "failure")).toEqual([]);
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ leaks: 2 });
  });
});

describe("a review event handled after the PR's merge", () => {
  it("leaves the PR merged in the response: its line does not go back to open", async () => {
    const probot = createTestProbot();
    const stored = await storeResponse({ state: "fixing", patched: [], prs: [approvedLine] });
    gh.api.post("/repos/acme/product/issues/42/labels").optionally().times(2).reply(200, []);
    gh.api.post("/repos/acme/security/issues/7/labels").optionally().times(2).reply(200, []);
    gh.api.delete(/\/repos\/acme\/security\/issues\/7\/labels\/.*/).optionally().times(2).reply(200, []);
    gh.api.patch("/repos/acme/product/check-runs/77").optionally().times(2).reply(200, {});

    // 11:01 a team member merges #42 into main.
    const merged = at(pull({ state: "closed", merged: true }), "2026-11-22T11:01:00Z");
    mockPrStart(gh);
    mockIdentity(gh);
    serveRuns(gh, "acme/product", HEAD, [{ id: 77, external_id: SEALED, status: "completed", conclusion: "success", title: "Approved" }]);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveComments(gh, stored);
    serveTeam(gh, ["sec1"]);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: null, commits: [{ sha: HEAD, message: "Refactor" }], issueLabels: LABELS });
    await probot.receive(prEvent("closed", merged));
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ state: "merged" });
    expect(stored[0]!.body).toMatch(/acme\/product#42 into main \(merged/);

    // sec1's 11:00 approval, handled only now (its delivery had failed, and was redelivered).
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    serveRuns(gh, "acme/product", HEAD, [{ id: 77, external_id: SEALED, status: "completed", conclusion: "success", title: "Approved" }]);
    gh.api.get("/repos/acme/product/pulls/42").optionally().reply(200, merged);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveResponseById(gh, stored);
    mockNoOverrides(gh, "acme", "security");
    // A merged PR's gate judges no review; the late event's copy (open) would read them.
    mockSyncReads(gh, { reviews: null, issueLabels: ["security", "security: fixed", "severity: high"] });
    gh.api.get("/repos/acme/product/pulls/42/reviews").query(true).optionally().reply(200, [{ id: 1, user: { login: "sec1" }, ...APPROVAL, body: "" }]);
    await probot.receive(reviewEvent(at(pull(), "2026-11-22T11:00:00Z"), "sec1", "approved"));

    // What the team sees: the fix is still merged, main still patched.
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ state: "merged" });
    expect(stored[0]!.body).toMatch(/acme\/product#42 into main \(merged/);
  });
});
