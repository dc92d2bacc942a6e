/**
 * A review of a new head handled before the push that made it (the push's delivery failed and was
 * redelivered, or the app was down and both came late): the push must count an approval of the
 * head it brings, and not ask the approver again; an approval of an older head still opens nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prFacts, type PullLike } from "../../src/handlers/pr-facts.js";
import { rememberLinked } from "../../src/handlers/pr-snapshot.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { createTestProbot, mockConfig, mockIdentity, mockToken, recordOf, TEST_KEYS } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { HEAD, mockSyncReads, prEvent, PRODUCT_YAML, pull, reviewEvent, SEALED, SECURITY_YAML, serveComments, serveRuns, serveTeam, storeResponse } from "../pr/fixtures.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const OLD = "0".repeat(40);
const LABELS = ["security", "security: fixing", "severity: high"];
/** #42 as sec1's approval of the old head left it: the gate open there, everyone asked once. */
const approvedLine = { repo: "acme/product", number: 42, state: "open" as const, review: "approved" as const, base: "main", private: false, requested: ["owner1", "sec1", "team:core"], head_sha: OLD, leaks: 0 };
const APPROVED_OLD = { id: 77, external_id: SEALED, status: "completed", conclusion: "success", title: "Approved" };

/** The PR at the new head, as GitHub sends it once `reviewed` have reviewed it: owner1 and the core team still asked. */
function pushed(labels = ["priority: high"]) {
  const p = pull({ labels });
  p.requested_reviewers = [{ ...p.user, login: "owner1" }];
  p.requested_teams = [{ id: 5, node_id: "T5", slug: "core", name: "core" }];
  return p;
}

/** A store that remembers the app gated #42 (it linked it earlier): the PR's events without a link are not taken for an ordinary PR's. */
async function linkedBefore() {
  const store = new MemoryStore();
  const event = prEvent("opened", pushed());
  await rememberLinked(store, TEST_KEYS, prFacts(event.payload.pull_request as unknown as PullLike, event.payload.repository));
  return store;
}

/** The review event on the new head, handled while the app has not handled the push: no gate run of its own there yet. */
async function reviewFirst(probot: ReturnType<typeof createTestProbot>, login: string) {
  mockToken(gh);
  mockIdentity(gh);
  serveRuns(gh, "acme/product", HEAD, []);
  mockConfig(gh, "acme", "product", PRODUCT_YAML);
  await probot.receive(reviewEvent(pushed(), login, "approved"));
}

/** Then the push: the links are on the old head's run; what the push writes on the new head. */
function servePush(stored: Awaited<ReturnType<typeof storeResponse>>, reviews: { login: string; state: string; commit_id: string }[]) {
  mockConfig(gh, "acme", "product", PRODUCT_YAML);
  serveRuns(gh, "acme/product", HEAD, []);
  serveRuns(gh, "acme/product", OLD, [APPROVED_OLD]);
  mockConfig(gh, "acme", "security", SECURITY_YAML);
  serveComments(gh, stored);
  serveTeam(gh, ["sec1"]);
  gh.api.get("/repos/acme/security/contents/.github").optionally().reply(404, { message: "Not Found" });
  mockSyncReads(gh, { reviews: null, commits: [{ sha: HEAD, message: "Refactor the parser" }], issueLabels: LABELS, visibility: false });
  gh.api.get("/repos/acme/security").optionally().reply(200, { id: 186853002, name: "security", full_name: "acme/security", private: true, visibility: "private" });
  gh.api.get("/repos/acme/product/pulls/42/reviews").query(true).optionally().reply(200, reviews.map((r, i) => ({ id: i, user: { login: r.login }, state: r.state, commit_id: r.commit_id, body: "" })));
  const asked: any[] = [];
  gh.api.post("/repos/acme/product/pulls/42/requested_reviewers", (b) => (asked.push(b), true)).optionally().reply(201, {});
  const created: any[] = [];
  gh.api.post("/repos/acme/product/check-runs", (b) => (created.push(b), true)).reply(201, { id: 78 });
  return { asked, created };
}

describe("an approval of the new head handled before the push that made it", () => {
  it("counts on the push: the gate on the new head opens, and the approver is not asked to review again", async () => {
    const probot = createTestProbot(undefined, { store: await linkedBefore() });
    const stored = await storeResponse({ state: "fixing", prs: [approvedLine] });
    await reviewFirst(probot, "sec1");

    const { asked, created } = servePush(stored, [
      { login: "sec1", state: "APPROVED", commit_id: OLD },
      { login: "sec1", state: "APPROVED", commit_id: HEAD },
    ]);
    await probot.receive(prEvent("synchronize", pushed(), { before: OLD, after: HEAD }));

    // What sec1 and the PR's author see: no second review request, the new head's gate open.
    expect(asked.flatMap((b) => b.reviewers ?? [])).not.toContain("sec1");
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ head_sha: HEAD, conclusion: "success", output: { title: "Approved" } });
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ review: "approved" });
  });

  it("an approval of the new head by someone who cannot open the gate opens nothing: the gate waits, and sec1 (who approved only the old head) is asked again", async () => {
    const probot = createTestProbot(undefined, { store: await linkedBefore() });
    const stored = await storeResponse({ state: "fixing", prs: [approvedLine] });
    await reviewFirst(probot, "dev2");

    const { asked, created } = servePush(stored, [
      { login: "sec1", state: "APPROVED", commit_id: OLD },
      { login: "dev2", state: "APPROVED", commit_id: HEAD },
    ]);
    await probot.receive(prEvent("synchronize", pushed(), { before: OLD, after: HEAD }));

    expect(asked.flatMap((b) => b.reviewers ?? [])).toEqual(["sec1"]);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ head_sha: HEAD, conclusion: "action_required", output: { title: "Waiting for review" } });
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ review: "pending", head_sha: HEAD });
  });

  it("an approval of the new head dismissed before the push arrived opens nothing, and its author is asked again: the gate waits on someone asked", async () => {
    const probot = createTestProbot(undefined, { store: await linkedBefore() });
    const stored = await storeResponse({ state: "fixing", prs: [approvedLine] });
    await reviewFirst(probot, "sec1");

    const { asked, created } = servePush(stored, [
      { login: "sec1", state: "APPROVED", commit_id: OLD },
      { login: "sec1", state: "DISMISSED", commit_id: HEAD },
    ]);
    // Who dismissed it (the timeline is read: sec1's latest word is a dismissed review).
    gh.api
      .get("/repos/acme/product/issues/42/timeline")
      .query(true)
      .optionally()
      .reply(200, [{ id: 9, node_id: "RDE9", url: "https://api.github.com/repos/acme/product/issues/events/9", event: "review_dismissed", actor: { login: "maint1" }, created_at: "2026-11-22T11:10:00Z", dismissed_review: { state: "approved", review_id: 1, dismissal_message: "Not this one" } }]);
    await probot.receive(prEvent("synchronize", pushed(), { before: OLD, after: HEAD }));

    // What sec1 and the PR's author see: the gate waiting, and sec1 asked for a new look.
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ head_sha: HEAD, conclusion: "action_required", output: { title: "Waiting for review" } });
    expect(asked.flatMap((b) => b.reviewers ?? [])).toContain("sec1");
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ review: "pending", head_sha: HEAD });
  });
});
