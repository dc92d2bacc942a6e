/**
 * A retarget whose `edited` event the app never handled (it was down, the delivery failed): the
 * next time it reads the PR from GitHub (the tick) it finds the PR on another base than the
 * response knows. Approvals given on the old base must not open the gate on the new one. The same
 * re-judging takes back the approval of someone who has left the team since.
 */
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordOf } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { HEAD, mockSyncReads, PRODUCT_YAML, pull, SEALED, serveTeam } from "../pr/fixtures.js";
import { tickWorld } from "./tick-world.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => {
  const problems = gh.requests.filter((r) => !r.matched || r.errors.length);
  nock.cleanAll();
  expect(problems).toEqual([]);
});

describe("a retarget the app did not hear of", () => {
  it("is seen by the tick: the approval given on the old base no longer opens the gate", async () => {
    // sec1 approved #42 into `feature` at 09:00; at 10:00 someone retargeted it to main while the app was down.
    const approved = { repo: "acme/product", number: 42, state: "open" as const, review: "approved" as const, base: "feature", private: false, head_sha: HEAD, requested: ["sec1"] };
    const world = await tickWorld(gh, new Date("2026-11-23T12:00:00Z"), { state: "fixing", triager: "tri-ana", prs: [approved] });
    const p = { ...pull({ base: "main" }), created_at: "2026-11-23T08:00:00Z" };
    gh.api.get("/repos/acme/product/pulls/42").reply(200, p);
    gh.api.get(`/repos/acme/product/contents/${encodeURIComponent(".github/embargo.yml")}`).reply(200, PRODUCT_YAML, { "content-type": "text/plain; charset=utf-8" });
    gh.api.get(`/repos/acme/product/commits/${HEAD}/check-runs`).query(true).reply(200, { total_count: 1, check_runs: [{ id: 77, external_id: SEALED, status: "completed", conclusion: "success", output: { title: "Approved", summary: null }, app: { id: 1, slug: "embargo" } }] });
    mockSyncReads(gh, { reviews: [{ login: "sec1", state: "APPROVED", commit_id: HEAD, submitted_at: "2026-11-23T09:00:00Z" }], commits: [{ sha: HEAD, message: "Refactor the parser" }], issueLabels: ["security", "security: fixing"] });
    serveTeam(gh, ["sec1"], { team: "acme/security-team" });
    gh.api.post("/repos/acme/product/issues/42/labels").optionally().reply(200, []);
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers").optionally().reply(201, {});
    const updates: any[] = [];
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => (updates.push(b), true)).optionally().reply(200, { id: 77 });

    await world.tick();

    // What the public sees: the PR into main waits for a review of what merging it into main brings.
    expect(updates).toEqual([expect.objectContaining({ conclusion: "action_required", output: expect.objectContaining({ title: "Waiting for review" }) })]);
    // What the team sees: the PR into main, retargeted, pending.
    const response = world.comments.find((c) => c.body.includes("embargo:response"))!;
    expect(recordOf(response.body).prs[0]).toMatchObject({ base: "main", review: "pending", retargeted_at: "2026-11-23T12:00:00.000Z" });
  });
});

describe("an approver who left the security team", () => {
  it("no longer holds the gate open after the next tick (GitHub sends the app no membership events)", async () => {
    // sec1 approved the head while on the team, then left it: the gate they opened is judged again by the tick.
    const approved = { repo: "acme/product", number: 42, state: "open" as const, review: "approved" as const, base: "main", private: false, head_sha: HEAD, requested: ["sec1"] };
    const world = await tickWorld(gh, new Date("2026-11-23T12:00:00Z"), { state: "fixing", triager: "tri-ana", prs: [approved] });
    gh.api.get("/repos/acme/product/pulls/42").reply(200, { ...pull(), created_at: "2026-11-23T08:00:00Z" });
    gh.api.get(`/repos/acme/product/contents/${encodeURIComponent(".github/embargo.yml")}`).reply(200, PRODUCT_YAML, { "content-type": "text/plain; charset=utf-8" });
    gh.api.get(`/repos/acme/product/commits/${HEAD}/check-runs`).query(true).reply(200, { total_count: 1, check_runs: [{ id: 77, external_id: SEALED, status: "completed", conclusion: "success", output: { title: "Approved", summary: null }, app: { id: 1, slug: "embargo" } }] });
    mockSyncReads(gh, { reviews: [{ login: "sec1", state: "APPROVED", commit_id: HEAD, submitted_at: "2026-11-23T09:00:00Z" }], commits: [{ sha: HEAD, message: "Refactor the parser" }], issueLabels: ["security", "security: fixing"] });
    serveTeam(gh, ["sec2"], { team: "acme/security-team" });
    gh.api.post("/repos/acme/product/issues/42/labels").optionally().reply(200, []);
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers").optionally().reply(201, {});
    const updates: any[] = [];
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => (updates.push(b), true)).optionally().reply(200, { id: 77 });

    await world.tick();

    expect(updates).toEqual([expect.objectContaining({ conclusion: "action_required", output: expect.objectContaining({ title: "Waiting for review" }) })]);
  });
});
