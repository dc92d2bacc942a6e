/**
 * A retarget is GitHub's `edited` event saying the PR's base moved to another commit: approvals
 * before it do not count. Nothing else starts one: a late event's base is a snapshot, and a renamed
 * base branch is the same commit.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestProbot, mockConfig, mockIdentity, mockNoOverrides, recordOf } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { HEAD, SECURITY_YAML, PRODUCT_YAML, serveResponseById, mockPrStart, mockSyncReads, prEvent, pull, reviewEvent, SEALED, serveComments, serveRuns, serveTeam, storeResponse } from "../pr/fixtures.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

/** sec1 approved the head at 11:00 (GitHub's clock). */
const APPROVAL = { login: "sec1", state: "APPROVED", commit_id: HEAD, submitted_at: "2026-11-22T11:00:00Z" };

/**
 * The reads of a first event on the linked PR #42, whose gate is open on its head after
 * `APPROVAL`; the gate's updates as the app sends them (`times`: updates and label writes allowed).
 */
function mockApprovedPrEvent(stored: Awaited<ReturnType<typeof storeResponse>>, times: number): any[] {
  const updates: any[] = [];
  mockPrStart(gh);
  mockIdentity(gh);
  serveRuns(gh, "acme/product", HEAD, [{ id: 77, external_id: SEALED, status: "completed", conclusion: "success", title: "Approved" }]);
  mockConfig(gh, "acme", "security", SECURITY_YAML);
  serveComments(gh, stored);
  serveTeam(gh, ["sec1"]);
  mockNoOverrides(gh, "acme", "security");
  mockSyncReads(gh, { reviews: [APPROVAL], commits: [{ sha: HEAD, message: "Refactor" }], issueLabels: ["security", "security: fixing", "severity: high"] });
  gh.api.post("/repos/acme/product/issues/42/labels").optionally().times(times).reply(200, []);
  gh.api.patch("/repos/acme/product/check-runs/77", (b) => (updates.push(b), true)).optionally().times(times).reply(200, {});
  return updates;
}

describe("retarget dating", () => {
  it("a late event from before the retarget (naming the old base) does not take back an approval given on the new base", async () => {
    const probot = createTestProbot();
    // Retargeted feature → main at 10:00 (the app saw it), approved by sec1 on main at 11:00: the gate is open.
    const stored = await storeResponse({
      state: "fixing",
      prs: [{ repo: "acme/product", number: 42, state: "open", review: "approved", base: "main", head_sha: HEAD, retargeted_at: "2026-11-22T10:00:00.000Z", private: false, requested: ["owner1", "sec1", "team:core"] }],
    });
    const updates = mockApprovedPrEvent(stored, 2);

    // A review event from 09:00, before the retarget, redelivered now: its payload still names the old base.
    await probot.receive(reviewEvent(pull({ base: "feature" }), "sec1", "commented"));

    // What the team sees: the gate they opened stays open, and the response still says main and approved.
    expect.soft(updates.filter((u) => u.conclusion !== "success")).toEqual([]);
    expect.soft(recordOf(stored[0]!.body).prs[0]).toMatchObject({ base: "main", review: "approved" });

    // The 11:00 approval's own event, redelivered (it names main): the gate must be open again. On
    // the code before, the late event re-dated the retarget to 12:00, so this approval never counted again.
    serveRuns(gh, "acme/product", HEAD, [{ id: 77, external_id: SEALED, status: "completed", conclusion: updates.length ? "action_required" : "success", title: updates.length ? "Waiting for review" : "Approved" }]);
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveResponseById(gh, stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: [APPROVAL], issueLabels: ["security", "security: fixing", "severity: high"] });
    await probot.receive(reviewEvent(pull(), "sec1", "approved"));

    expect(updates.at(-1)?.conclusion ?? "success").toBe("success");
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ base: "main", review: "approved" });
  });
});

describe("a base branch renamed is not a retarget", () => {
  it("renaming the base branch (master → main: GitHub moves open PRs with it, same commits) keeps an approved gate open", async () => {
    const probot = createTestProbot();
    const stored = await storeResponse({
      state: "fixing",
      prs: [{ repo: "acme/product", number: 42, state: "open", review: "approved", base: "master", head_sha: HEAD, private: false, requested: ["owner1", "sec1", "team:core"] }],
    });
    const updates = mockApprovedPrEvent(stored, 1);

    // The repo's admin renamed master to main at 11:30; the next event on the PR (a comment review) names main.
    await probot.receive(reviewEvent(pull({ base: "main" }), "dev1", "commented"));

    // The same head into the same branch: sec1's approval still stands, the PR stays mergeable. The
    // review's base is a snapshot: the record keeps its own until GitHub says the base changed.
    expect(updates.filter((u) => u.conclusion !== "success")).toEqual([]);
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ base: "master", review: "approved" });

    // GitHub's edit event for the rename: the base changed by name, not by commit: no retarget.
    mockConfig(gh, "acme", "product", "security_repo: acme/security\n");
    serveRuns(gh, "acme/product", HEAD, [{ id: 77, external_id: SEALED, status: "completed", conclusion: "success", title: "Approved" }]);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveResponseById(gh, stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: [{ login: "sec1", state: "APPROVED", commit_id: HEAD, submitted_at: "2026-11-22T11:00:00Z" }], issueLabels: ["security", "security: fixing", "severity: high"] });
    gh.api.post("/repos/acme/product/issues/42/labels").optionally().reply(200, []);
    await probot.receive(prEvent("edited", pull({ base: "main" }), { changes: { base: { ref: { from: "master" }, sha: { from: "b".repeat(40) } } } }));
    expect(updates.filter((u) => u.conclusion !== "success")).toEqual([]);
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ base: "main", review: "approved" });
    expect(recordOf(stored[0]!.body).prs[0]!.retargeted_at).toBeUndefined();
  });
});
