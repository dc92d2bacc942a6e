/**
 * A fix PR merged while its repository was private keeps what the app gives private PRs only (the
 * issue's severity label, the security team's review request). When the repository is made public
 * before the announcement, anyone can read them. An open PR's next event or tick takes them off; a
 * merged one gets no more events, and the tick syncs open PRs only.
 */
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/store/memory-store.js";
import { createTestProbot, INSTALLATION_ID, recordOf } from "../helpers/app.js";
import { loadWebhookExample, mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { HEAD, mockSyncReads, PRODUCT_REPO_ID, PRODUCT_YAML, pull, SEALED } from "../pr/fixtures.js";
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

/** `repository.publicized` for acme/product, as GitHub sends it. */
function publicized() {
  const payload = loadWebhookExample("repository", "publicized");
  payload.repository = { ...payload.repository, id: PRODUCT_REPO_ID, name: "product", full_name: "acme/product", owner: { ...payload.repository.owner, login: "acme" }, private: false, visibility: "public" };
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" };
  return { id: `publicized-${Math.random()}`, name: "repository" as const, payload };
}

describe("a fix PR merged while its repository was private, the repository made public before the announcement", () => {
  it("loses the severity label and the security team's request at the next tick", async () => {
    const now = new Date("2026-11-23T12:00:00Z");
    const store = new MemoryStore();
    // #42 merged into main while acme/product was private: the app had labelled it with the
    // issue's severity and asked the security team (private PRs only).
    const merged = { repo: "acme/product", repo_id: PRODUCT_REPO_ID, number: 42, state: "merged" as const, review: "approved" as const, base: "main", private: true, head_sha: HEAD, requested: ["tri-ana", "team:security-team"] };
    const world = await tickWorld(gh, now, { state: "fixed", severity: "high", triager: "tri-ana", patched: ["main"], prs: [merged] }, undefined, true, undefined, true, store);
    // Then acme/product is made public (the app hears of it).
    await createTestProbot(now, { store }).receive(publicized());

    const p = { ...pull({ state: "closed", merged: true, labels: ["priority: high", "severity: high"] }), created_at: "2026-11-20T08:00:00Z" };
    p.requested_teams = [{ id: 9, node_id: "T9", slug: "security-team", name: "security-team" }] as never;
    gh.api.get("/repos/acme/product/pulls/42").optionally().reply(200, p);
    gh.api.get(`/repos/acme/product/contents/${encodeURIComponent(".github/embargo.yml")}`).optionally().reply(200, PRODUCT_YAML, { "content-type": "text/plain; charset=utf-8" });
    gh.api.get(`/repos/acme/product/commits/${HEAD}/check-runs`).query(true).optionally().reply(200, { total_count: 1, check_runs: [{ id: 77, external_id: SEALED, status: "completed", conclusion: "success", output: { title: "Approved", summary: null }, app: { id: 1, slug: "embargo" } }] });
    mockSyncReads(gh, { reviews: null, commits: [{ sha: HEAD, message: "Refactor the parser" }], issueLabels: ["security", "security: fixed", "severity: high"] });
    const removed: string[] = [];
    gh.api
      .delete(/^\/repos\/acme\/product\/issues\/42\/labels\/.+$/)
      .optionally()
      .reply((uri) => (removed.push(decodeURIComponent(uri.split("/").pop()!)), [200, []]));
    let withdrawn: unknown;
    gh.api.delete("/repos/acme/product/pulls/42/requested_reviewers", (b) => ((withdrawn = b), true)).optionally().reply(200, {});
    gh.api.patch("/repos/acme/product/check-runs/77").optionally().reply(200, { id: 77 });

    await world.tick();

    // What anyone reading the public PR sees: no severity of an unannounced issue, no security team asked.
    expect(removed).toEqual(["severity: high"]);
    expect(withdrawn).toEqual({ reviewers: [], team_reviewers: ["security-team"] });
    // What the team sees: the fix still merged, the PR public now.
    const response = world.comments.find((c) => c.body.includes("embargo:response"))!;
    expect(recordOf(response.body).prs[0]).toMatchObject({ state: "merged", private: false });
  });
});
