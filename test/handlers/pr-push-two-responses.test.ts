/**
 * A push onto a PR linked from two responses: the new head has no gate run yet, and its links are
 * found on the previous head's. The gate written on the new head must be both responses' verdict
 * from its first write: a released response alone would open it.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commentList, createTestProbot, mockIdentity, SECURITY_REPO_ID, type StoredComment } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { commentIdOf, HEAD, mockPrStart, prEvent, PRODUCT_REPO_ID, pull, RUNS, runList, sealer, SECURITY_YAML, serveRuns, serveTeam, storeResponse } from "../pr/fixtures.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const OLD = "0".repeat(40);
const CONFIG = `/repos/acme/security/contents/${encodeURIComponent(".github/embargo.yml")}`;

/** Security issue #n as GitHub has it now, its response comment served and kept current, however often it is read. */
function serveResponse(n: number, stored: StoredComment[], open: boolean, labels: string[]) {
  const issue = `/repos/acme/security/issues/${n}`;
  gh.api.get(issue).optionally().times(4).reply(200, { number: n, title: `Report ${n}`, state: open ? "open" : "closed", user: { login: "reporter" }, html_url: `https://github.com${issue.slice(6)}`, url: `https://api.github.com${issue}`, labels: labels.map((name) => ({ name })) });
  gh.api.get(`${issue}/comments`).query(true).optionally().times(4).reply(200, () => commentList(stored));
  gh.api
    .get(`/repos/acme/security/issues/comments/${commentIdOf(n)}`)
    .optionally()
    .times(4)
    .reply(() => [200, { ...commentList(stored)[0], issue_url: `https://api.github.com${issue}` }]);
  gh.api
    .patch(`/repos/acme/security/issues/comments/${commentIdOf(n)}`)
    .optionally()
    .times(4)
    .reply(200, (_u, b: any) => {
      stored[0]!.body = b.body;
      return { id: commentIdOf(n) };
    });
  gh.api.post(`${issue}/labels`).optionally().times(4).reply(200, []);
  gh.api.delete(new RegExp(`^${issue}/labels/`)).optionally().times(4).reply(200, []);
}

describe("a push onto a PR linked from two responses", () => {
  it("never opens the new head's gate on the released response's word while the other still waits", async () => {
    const probot = createTestProbot();
    const both = sealer.seal({ key: "acme/product#42", repoId: PRODUCT_REPO_ID }, [7, 8].map((n) => ({ key: `acme/security#${n}`, repoId: SECURITY_REPO_ID })));
    const line = { repo: "acme/product", number: 42, state: "open" as const, review: "pending" as const, base: "main", private: false, head_sha: OLD, requested: [] as string[] };
    // #7 was announced (its PRs released); #8, the same fix for another report, still waits for its review.
    const seven = await storeResponse({ state: "announced", prs: [line] }, 7);
    const eight = await storeResponse({ state: "fixing", prs: [line] }, 8);
    serveResponse(7, seven, false, ["security", "security: announced"]);
    serveResponse(8, eight, true, ["security", "security: fixing", "severity: high"]);
    mockPrStart(gh);
    mockIdentity(gh);
    for (let i = 0; i < 6; i++) gh.api.get(CONFIG).optionally().reply(200, SECURITY_YAML, { "content-type": "text/plain; charset=utf-8" });
    gh.api.get("/repos/acme/security/contents/.github").optionally().times(4).reply(404, { message: "Not Found" });
    gh.api.get("/repos/acme/security").optionally().times(2).reply(200, { id: SECURITY_REPO_ID, name: "security", full_name: "acme/security", private: true, visibility: "private" });
    serveTeam(gh, ["sec1"]);
    gh.api.get("/repos/acme/product/pulls/42/commits").query(true).optionally().times(2).reply(200, [{ sha: HEAD, commit: { message: "Refactor the parser" } }]);
    gh.api.get("/repos/acme/product/pulls/42/reviews").query(true).optionally().times(2).reply(200, []);
    gh.api.post("/repos/acme/product/issues/42/labels").optionally().times(2).reply(200, []);
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers").optionally().times(4).reply(201, {});

    // The gate runs on the new head: none until the app writes one, then that one as written.
    const gate: any[] = [];
    const head = () => (gate.length ? [{ id: 78, external_id: gate.at(-1).external_id, status: "completed", conclusion: gate.at(-1).conclusion, title: gate.at(-1).output.title }] : []);
    gh.api.get(RUNS("acme/product", HEAD)).query(true).times(2).reply(() => [200, runList(head())]);
    serveRuns(gh, "acme/product", OLD, [{ id: 77, external_id: both, status: "completed", conclusion: "action_required", title: "Waiting for review" }]);
    gh.api.post("/repos/acme/product/check-runs", (b) => (gate.push(b), true)).reply(201, { id: 78 });
    gh.api.patch("/repos/acme/product/check-runs/78", (b) => (gate.push({ ...gate.at(-1), ...b }), true)).optionally().times(2).reply(200, {});

    await probot.receive(prEvent("synchronize", pull(), { before: OLD, after: HEAD }));

    // What the PR shows, at every moment: waiting (for #8's review), never passing.
    expect(gate.length).toBeGreaterThan(0);
    expect(gate.map((g) => g.conclusion)).not.toContain("success");
    expect(gate.at(-1)).toMatchObject({ head_sha: HEAD, conclusion: "action_required", output: { title: "Waiting for review" } });
    // Each reviewer is asked once, by the first sync, whichever response wanted them.
    const asks = gh.requests.filter((r) => r.method === "POST" && r.path.endsWith("/requested_reviewers"));
    expect(asks.length).toBeLessThanOrEqual(1);
    expect(sealer.open(gate.at(-1).external_id, { key: "acme/product#42", repoId: PRODUCT_REPO_ID }).sort()).toEqual(["acme/security#7", "acme/security#8"]);
  });
});
