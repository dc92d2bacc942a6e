/**
 * A push the app never handled (it was down) leaves the PR's new head without the app's gate run:
 * the PR's links are still only on the previous head's. When one of its responses is then released,
 * the gate written on the new head must still be every linked response's verdict.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commentList, createTestProbot, mockConfig, mockIdentity, mockNoOverrides, mockToken, SECURITY_REPO_ID, type StoredComment } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { commentIdOf, HEAD, ISSUE, issueStateEvent, PRODUCT_REPO_ID, PRODUCT_YAML, pull, sealer, SECURITY_YAML, serveCloseEvent, serveRuns, serveTeam, storeResponse, TITLE, UNLINKED_RUN, type RunShape } from "../pr/fixtures.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const OLD = "0".repeat(40);

/** #8 as GitHub has it, its response comment served and kept current, however often it is read. */
function serveOther(stored: StoredComment[]) {
  const issue = "/repos/acme/security/issues/8";
  gh.api.get(issue).optionally().times(2).reply(200, { number: 8, title: "Another report", state: "open", user: { login: "reporter" }, html_url: "https://github.com/acme/security/issues/8", url: `https://api.github.com${issue}`, labels: ["security", "security: fixing", "severity: high"].map((name) => ({ name })) });
  gh.api.get(`${issue}/comments`).query(true).optionally().times(2).reply(200, () => commentList(stored));
  gh.api.get(`/repos/acme/security/issues/comments/${commentIdOf(8)}`).optionally().times(2).reply(() => [200, { ...commentList(stored)[0], issue_url: `https://api.github.com${issue}` }]);
}

// The new head without any run of the app's, or with the passing run an unlinked PR gets (written
// by a PR event that found no link there nor on the head before, its memory of the link lost with a
// restart): that run is no gate, and the links are still looked for on the head the records knew.
const NEW_HEADS: [string, RunShape[]][] = [
  ["no run on the new head", []],
  ["an unlinked PR's passing run on the new head", [UNLINKED_RUN]],
];

describe.each(NEW_HEADS)("a response released while its PR's newest push was never handled (%s)", (_label, headRuns) => {
  it("does not open the new head's gate while another linked response still waits", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    serveTeam(gh, ["sec1"]);
    // #42 is linked from #7 and #8; its push of HEAD (over OLD) never reached the app.
    const both = sealer.seal({ key: "acme/product#42", repoId: PRODUCT_REPO_ID }, [7, 8].map((n) => ({ key: `acme/security#${n}`, repoId: SECURITY_REPO_ID })));
    const line = { repo: "acme/product", number: 42, state: "open" as const, review: "pending" as const, base: "main", private: false, head_sha: OLD, requested: ["owner1"] };
    const seven = await storeResponse({ state: "fixing", prs: [line] }, 7);
    const eight = await storeResponse({ state: "fixing", prs: [line] }, 8);
    serveOther(eight);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    gh.api.get(`/repos/acme/security/contents/${encodeURIComponent(".github/embargo.yml")}`).optionally().times(3).reply(200, SECURITY_YAML, { "content-type": "text/plain; charset=utf-8" });
    // sec1 closes #7 by hand: the response is over, its PRs are released.
    serveCloseEvent(gh, null);
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, () => commentList(seven));
    gh.api.patch("/repos/acme/security/issues/comments/555").times(2).optionally().reply(200, (_u, b: any) => ((seven[0]!.body = b.body), { id: 555 }));
    mockNoOverrides(gh, "acme", "security");
    gh.api.get("/repos/acme/security/contents/.github").optionally().reply(404, { message: "Not Found" });
    gh.api.get(ISSUE).reply(200, { number: 7, title: TITLE, state: "closed", closed_by: { login: "sec1" }, user: { login: "reporter" }, assignees: [], labels: ["security", "security: fixing", "severity: high"].map((name) => ({ name })), html_url: "https://github.com/acme/security/issues/7", url: `https://api.github.com${ISSUE}` });
    gh.api.post(`${ISSUE}/labels`).optionally().times(2).reply(200, []);
    gh.api.delete(new RegExp(`^${ISSUE}/labels/`)).optionally().times(2).reply(200, []);
    gh.api.get("/repos/acme/product/pulls/42").reply(200, pull({ labels: ["priority: high"] }));
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    serveRuns(gh, "acme/product", HEAD, headRuns);
    serveRuns(gh, "acme/product", OLD, [{ id: 77, external_id: both, status: "completed", conclusion: "action_required", title: "Waiting for review" }]);
    gh.api.get("/repos/acme/product/pulls/42/reviews").query(true).optionally().reply(200, []);
    gh.api.get("/repos/acme/product/pulls/42/commits").query(true).optionally().reply(200, [{ sha: HEAD, commit: { message: "Refactor the parser" } }]);
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers").optionally().reply(201, {});
    gh.api.delete(new RegExp("^/repos/acme/product/issues/42/labels/")).optionally().reply(200, []);
    gh.api.post("/repos/acme/product/issues/42/labels").optionally().reply(200, []);
    const gate: any[] = [];
    if (headRuns.length) gh.api.patch("/repos/acme/product/check-runs/70", (b) => (gate.push({ ...b, head_sha: HEAD }), true)).reply(200, {});
    else gh.api.post("/repos/acme/product/check-runs", (b) => (gate.push(b), true)).reply(201, { id: 78 });

    await probot.receive(issueStateEvent("closed", "sec1"));

    // What the public sees on the new head: still waiting (for #8), never released by #7 alone.
    expect(gate).toEqual([expect.objectContaining({ head_sha: HEAD, conclusion: "action_required" })]);
    expect(sealer.open(gate[0].external_id, { key: "acme/product#42", repoId: PRODUCT_REPO_ID }).sort()).toEqual(["acme/security#7", "acme/security#8"]);
  });
});
