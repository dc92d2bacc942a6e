import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestProbot, mockIdentity, mockNoOverrides, mockToken, mockVisibility, recordOf } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { HEAD, mockLinkedPrReads, pull, reviewEvent, storeResponse } from "../pr/fixtures.js";

/**
 * A product repository that was private when its fix PR was linked, and is public now: what the
 * app put on the PR for a private repo only must not stay there for the rest of the embargo.
 */
let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

describe("a fix PR linked while its repository was private, the repository public now", () => {
  it("loses the severity label the app gave it while private (anyone can read a public PR's labels)", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    // The app linked acme/product#42 while acme/product was private: its line says so, and the
    // PR carries the severity label the app gives private PRs only.
    const line = { repo: "acme/product", number: 42, state: "open" as const, review: "pending" as const, base: "main", head_sha: HEAD, private: true, requested: [] };
    const stored = await storeResponse({ state: "fixing", prs: [line] });
    mockLinkedPrReads(gh, stored, "security_repo: acme/security\n", { commits: true });
    const removed: string[] = [];
    gh.api
      .delete(/^\/repos\/acme\/product\/issues\/42\/labels\/.+$/)
      .optionally()
      .reply((uri) => (removed.push(decodeURIComponent(uri.split("/").pop()!)), [200, []]));
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers").optionally().reply(201, {});
    gh.api.patch("/repos/acme/product/check-runs/77").reply(200, {});
    mockVisibility(gh, "acme", "security", "private");
    mockNoOverrides(gh, "acme", "security");
    gh.api.patch("/repos/acme/security/issues/comments/555").reply(200, (_u, b: any) => ((stored[0]!.body = b.body), { id: 555 }));

    // An approval on the PR, now that acme/product is public (its payload says so).
    await probot.receive(reviewEvent(pull({ labels: ["priority: high", "severity: high"] }), "sec1", "approved"));

    expect(removed).toEqual(["severity: high"]);
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ private: false, review: "approved" });
  });

  it("a severity label of the project's own on a PR that was public when linked is left alone", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    const line = { repo: "acme/product", number: 42, state: "open" as const, review: "pending" as const, base: "main", head_sha: HEAD, private: false, requested: [] };
    const stored = await storeResponse({ state: "fixing", prs: [line] });
    mockLinkedPrReads(gh, stored, "security_repo: acme/security\n", { commits: true });
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers").optionally().reply(201, {});
    gh.api.patch("/repos/acme/product/check-runs/77").reply(200, {});
    mockVisibility(gh, "acme", "security", "private");
    mockNoOverrides(gh, "acme", "security");
    gh.api.patch("/repos/acme/security/issues/comments/555").reply(200, (_u, b: any) => ((stored[0]!.body = b.body), { id: 555 }));

    await probot.receive(reviewEvent(pull({ labels: ["priority: high", "severity: high"] }), "sec1", "approved"));

    expect(gh.requestsTo("acme", "product").filter((r) => r.method === "DELETE")).toEqual([]);
  });
});

describe("a fix PR linked while its repository was private, the repository public now: its review requests", () => {
  it("the security team's pending review request (asked for on private PRs only) is withdrawn", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    const line = { repo: "acme/product", number: 42, state: "open" as const, review: "pending" as const, base: "main", head_sha: HEAD, private: true, requested: ["owner1", "team:sec"] };
    const stored = await storeResponse({ state: "fixing", prs: [line] });
    mockLinkedPrReads(gh, stored, "security_repo: acme/security\npublic_pr:\n  review_team: acme/core\n", { commits: true });
    let withdrawn: unknown;
    gh.api.delete("/repos/acme/product/pulls/42/requested_reviewers", (b) => ((withdrawn = b), true)).optionally().reply(200, {});
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers").optionally().reply(201, {});
    gh.api.patch("/repos/acme/product/check-runs/77").reply(200, {});
    mockVisibility(gh, "acme", "security", "private");
    mockNoOverrides(gh, "acme", "security");
    gh.api.patch("/repos/acme/security/issues/comments/555").reply(200, (_u, b: any) => ((stored[0]!.body = b.body), { id: 555 }));
    const p = pull({ labels: ["priority: high"] });
    p.requested_teams = [{ id: 9, node_id: "T9", slug: "sec", name: "sec" }] as never;

    await probot.receive(reviewEvent(p, "sec1", "changes_requested"));

    expect(withdrawn).toEqual({ reviewers: [], team_reviewers: ["sec"] });
  });
});
