import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { HEAD, mockSyncReads, PRODUCT_REPO_ID, PRODUCT_YAML, pull, SEALED, sealer, serveTeam } from "../pr/fixtures.js";
import { reminders, tickWorld } from "./tick-world.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => {
  const problems = gh.requests.filter((r) => !r.matched || r.errors.length);
  nock.cleanAll();
  expect(problems).toEqual([]);
});

const linked = { repo: "acme/product", number: 42, state: "open" as const, review: "pending" as const, base: "main", private: false, head_sha: HEAD, requested: ["rev-1"] };

function mockPr(createdAt: string) {
  const p = { ...pull(), created_at: createdAt, requested_reviewers: [{ login: "rev-1", id: 3, type: "User" }] };
  gh.api.get("/repos/acme/product/pulls/42").reply(200, p);
  gh.api.get(`/repos/acme/product/contents/${encodeURIComponent(".github/embargo.yml")}`).reply(200, PRODUCT_YAML, { "content-type": "text/plain; charset=utf-8" });
  gh.api.get(`/repos/acme/product/commits/${HEAD}/check-runs`).query(true).reply(200, { total_count: 1, check_runs: [{ id: 77, external_id: SEALED, status: "completed", conclusion: "action_required", output: { title: "Waiting for review", summary: null }, app: { id: 1, slug: "embargo" } }] });
  mockSyncReads(gh, { commits: [{ sha: HEAD, message: "Refactor the parser" }], issueLabels: ["security", "security: fixing"] });
  serveTeam(gh, ["sec1"], { team: "acme/security-team" });
  gh.api.post("/repos/acme/product/issues/42/labels").optionally().reply(200, []);
  gh.api.post("/repos/acme/product/pulls/42/requested_reviewers").optionally().reply(201, {});
  gh.api.patch("/repos/acme/product/check-runs/77").optionally().reply(200, { id: 77 });
}

describe("the tick and a linked PR", () => {
  it("re-syncs the PR's gate and, after 48 hours without review, reminds its reviewers in the security issue only", async () => {
    const world = await tickWorld(gh, new Date("2026-11-23T12:00:00Z"), { state: "fixing", triager: "tri-ana", prs: [linked] });
    mockPr("2026-11-21T08:00:00Z");
    await world.tick();
    expect(gh.requests.some((r) => r.path === "/repos/acme/product/commits/" + HEAD + "/check-runs")).toBe(true);
    expect(reminders(world)).toHaveLength(1);
    expect(reminders(world)[0]).toMatch(/^@rev-1 — acme\/product#42 has been waiting for review for more than 48 hours/);
    expect(gh.requests.filter((r) => r.method === "POST" && r.path.startsWith("/repos/acme/product/issues/42/comments"))).toEqual([]);
  });

  it("says nothing while the PR is younger than review_hours", async () => {
    const world = await tickWorld(gh, new Date("2026-11-23T12:00:00Z"), { state: "fixing", triager: "tri-ana", prs: [linked] });
    mockPr("2026-11-22T08:00:00Z");
    await world.tick();
    expect(reminders(world)).toEqual([]);
  });
});

describe("a linked PR whose newest head has no gate run (two pushes handled out of order)", () => {
  it("gets its gate on that head from the next tick: the required check is missing only until then", async () => {
    const NEWEST = "2".repeat(40);
    const world = await tickWorld(gh, new Date("2026-11-23T12:00:00Z"), { state: "fixing", triager: "tri-ana", prs: [linked] });
    const p = { ...pull({ head: NEWEST }), created_at: "2026-11-23T08:00:00Z", requested_reviewers: [{ login: "rev-1", id: 3, type: "User" }] };
    gh.api.get("/repos/acme/product/pulls/42").reply(200, p);
    gh.api.get(`/repos/acme/product/contents/${encodeURIComponent(".github/embargo.yml")}`).reply(200, PRODUCT_YAML, { "content-type": "text/plain; charset=utf-8" });
    gh.api.get(`/repos/acme/product/commits/${NEWEST}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] });
    // The head the record knew: its gate run holds the PR's links (every response's, carried to the new head).
    gh.api.get(`/repos/acme/product/commits/${HEAD}/check-runs`).query(true).reply(200, { total_count: 1, check_runs: [{ id: 77, external_id: SEALED, status: "completed", conclusion: "action_required", output: { title: "Waiting for review", summary: null }, app: { id: 1, slug: "embargo" } }] });
    mockSyncReads(gh, { commits: [{ sha: NEWEST, message: "Refactor the parser" }], issueLabels: ["security", "security: fixing"] });
    serveTeam(gh, ["sec1"], { team: "acme/security-team" });
    gh.api.post("/repos/acme/product/issues/42/labels").optionally().reply(200, []);
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers").optionally().reply(201, {});
    const created: any[] = [];
    gh.api.post("/repos/acme/product/check-runs").reply(201, (_uri, b: any) => (created.push(b), { id: 78 }));
    await world.tick();
    expect(created).toEqual([expect.objectContaining({ head_sha: NEWEST, name: "review gate", conclusion: "action_required", output: expect.objectContaining({ title: "Waiting for review" }) })]);
    expect(sealer.open(created[0].external_id, { key: "acme/product#42", repoId: PRODUCT_REPO_ID })).toEqual(["acme/security#7"]);
  });
});

describe("a linked PR GitHub no longer has", () => {
  it("is logged and skipped: the response is still re-rendered and its other reminders posted", async () => {
    const world = await tickWorld(gh, new Date("2026-11-23T12:00:00Z"), { prs: [linked] });
    gh.api.get("/repos/acme/product/pulls/42").reply(404, { message: "Not Found" });
    await world.tick();
    expect(reminders(world)).toHaveLength(1);
    expect(reminders(world)[0]).toMatch(/triage has not started/);
  });
});
