import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestProbot, mockConfig, mockIdentity, mockNoOverrides, recordOf } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { HEAD, SECURITY_YAML, mockPrStart, mockSyncReads, prEvent, pull, reviewEvent, SEALED, serveComments, serveResponseById, serveRuns, serveTeam, storeResponse } from "../pr/fixtures.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

describe("a base branch renamed is not a retarget", () => {
  it("renaming the base branch (master → main: GitHub moves open PRs with it, same commits) keeps an approved gate open", async () => {
    const probot = createTestProbot();
    const stored = await storeResponse({
      state: "fixing",
      prs: [{ repo: "acme/product", number: 42, state: "open", review: "approved", base: "master", head_sha: HEAD, private: false, requested: ["owner1", "sec1", "team:core"] }],
    });
    const updates: any[] = [];
    mockPrStart(gh);
    mockIdentity(gh);
    serveRuns(gh, "acme/product", HEAD, [{ id: 77, external_id: SEALED, status: "completed", conclusion: "success", title: "Approved" }]);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveComments(gh, stored);
    serveTeam(gh, ["sec1"]);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: [{ login: "sec1", state: "APPROVED", commit_id: HEAD, submitted_at: "2026-11-22T11:00:00Z" }], commits: [{ sha: HEAD, message: "Refactor" }], issueLabels: ["security", "security: fixing", "severity: high"] });
    gh.api.post("/repos/acme/product/issues/42/labels").optionally().reply(200, []);
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => (updates.push(b), true)).optionally().reply(200, {});

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
