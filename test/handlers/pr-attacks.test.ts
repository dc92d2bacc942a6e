/**
 * Issue 8, "Who may link a PR to a response": each test plays the attacker through
 * probot.receive() and shows the attack changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commentList, createTestProbot, mockCommentById, mockConfig, mockIdentity, mockNoOverrides, mockToken, mockVisibility, recordOf, SECURITY_REPO_ID } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import {
  HEAD,
  ISSUE,
  TITLE,
  issueStateEvent,
  mockPrStart,
  mockSyncReads,
  prEvent,
  PRODUCT_YAML,
  pull,
  reviewEvent,
  PRODUCT_REPO_ID,
  SEALED,
  sealer,
  SECURITY_YAML,
  serveCloseEvent,
  serveComments,
  serveResponseById,
  serveRuns,
  serveTeam,
  storeResponse,
  acceptUnlinkedRun,
  unlinkedRunBody,
  UNLINKED_RUN,
} from "../pr/fixtures.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const writes = () => gh.requests.filter((r) => r.method !== "GET" && !r.path.startsWith("/app/"));

describe("linking by mention", () => {
  it("a private PR elsewhere in the organisation that says 'Fixes acme/security#7' links nothing and learns nothing", async () => {
    const probot = createTestProbot();
    const PRIVATE_PRODUCT_YAML = "security_repo: acme/security\n";
    mockPrStart(gh, "acme/internal-tool", PRIVATE_PRODUCT_YAML);
    mockIdentity(gh);
    serveRuns(gh, "acme/internal-tool", HEAD);
    const created = acceptUnlinkedRun(gh, "acme/internal-tool");
    await probot.receive(prEvent("opened", pull({ repo: "acme/internal-tool", private: true, body: "Fixes #7, see acme/security#7 and https://github.com/acme/security/issues/7", author: "sec1" })));
    // Only the passing run every unlinked PR gets: the same whether #7 exists or not.
    expect(writes().map((w) => w.path)).toEqual(["/repos/acme/internal-tool/check-runs"]);
    expect(created).toEqual([expect.objectContaining(unlinkedRunBody(HEAD))]);
    expect(created[0]).not.toHaveProperty("external_id");
    // Not even a read of the security repo: nothing can differ between "#7 exists" and "it does not".
    expect(gh.requestsTo("acme", "security")).toEqual([]);
  });

  it("a PR in the security repo by someone who may not run commands links nothing, and nothing about #7 is read", async () => {
    const probot = createTestProbot();
    mockPrStart(gh, "acme/security", SECURITY_YAML);
    mockIdentity(gh);
    serveRuns(gh, "acme/security", HEAD);
    serveTeam(gh, ["sec1"]);
    const created = acceptUnlinkedRun(gh, "acme/security");
    await probot.receive(prEvent("opened", pull({ repo: "acme/security", private: true, body: "Fixes #7", author: "outsider" })));
    expect(writes().map((w) => w.path)).toEqual(["/repos/acme/security/check-runs"]);
    expect(created).toEqual([expect.objectContaining(unlinkedRunBody(HEAD))]);
    expect(created[0]).not.toHaveProperty("external_id");
    expect(gh.requests.filter((r) => r.path.startsWith("/repos/acme/security/issues"))).toEqual([]);
  });

  it("a team member's PR whose text someone outside the team edited to name #7 links nothing: a mention is the editor's as much as the author's", async () => {
    const probot = createTestProbot();
    mockPrStart(gh, "acme/security", SECURITY_YAML);
    mockIdentity(gh);
    serveRuns(gh, "acme/security", HEAD);
    serveTeam(gh, ["sec1"]);
    const event = prEvent("edited", pull({ repo: "acme/security", private: true, body: "Fixes #7", author: "sec1" }), { changes: { body: { from: "Refactors the parser." } } });
    event.payload.sender = { ...event.payload.sender, login: "writer", type: "User" };
    const created = acceptUnlinkedRun(gh, "acme/security");
    await probot.receive(event).catch(() => undefined);
    expect(writes().map((w) => w.path)).toEqual(["/repos/acme/security/check-runs"]);
    expect(created).toEqual([expect.objectContaining(unlinkedRunBody(HEAD))]);
    expect(created[0]).not.toHaveProperty("external_id");
    expect(gh.requests.filter((r) => r.path.startsWith("/repos/acme/security/issues"))).toEqual([]);
  });
});

describe("a link is bound to one PR", () => {
  it("another PR at the same head sha (a fork of the fix) gets nothing from the fix's link and cannot change its gate", async () => {
    const probot = createTestProbot();
    mockToken(gh); // no text change on a review: the config is not read before a link is found
    mockIdentity(gh);
    // The fix's gate run is on the shared head commit, sealed for acme/product#42.
    serveRuns(gh, "acme/product", HEAD, [{ id: 77, external_id: SEALED, status: "completed", conclusion: "action_required", title: "Waiting for review" }]);
    const fork = pull({ number: 43, author: "attacker", title: "Same commits" });
    await probot.receive(reviewEvent(fork, "attacker", "approved"));
    expect(writes()).toEqual([]);
    expect(gh.requestsTo("acme", "security")).toEqual([]);
  });

  it("a run of the same name by another app or workflow, even carrying a copy of the sealed link, is ignored", async () => {
    const probot = createTestProbot();
    // A public PR never links itself; the config is read only for the unlinked PR's own run.
    mockPrStart(gh);
    mockIdentity(gh);
    serveRuns(gh, "acme/product", HEAD, [{ id: 99, external_id: SEALED, status: "completed", conclusion: "success", title: "Approved", appId: 666 }]);
    const created = acceptUnlinkedRun(gh);
    await probot.receive(prEvent("edited", pull()));
    // Taken for what it is, a head without the app's run: the app's own passing run, and the copied link is not in it.
    expect(writes().map((w) => w.path)).toEqual(["/repos/acme/product/check-runs"]);
    expect(created).toEqual([expect.objectContaining(unlinkedRunBody(HEAD))]);
    expect(created[0]).not.toHaveProperty("external_id");
    expect(gh.requestsTo("acme", "security")).toEqual([]);
  });
});

describe("a PR linked from two responses", () => {
  it("is gated by both: the gate waits while one is open though the other is released, and both records follow the PR", async () => {
    const probot = createTestProbot();
    const both = sealer.seal({ key: "acme/product#42", repoId: PRODUCT_REPO_ID }, [7, 8].map((n) => ({ key: `acme/security#${n}`, repoId: SECURITY_REPO_ID })));
    const prLine = { repo: "acme/product", number: 42, state: "open" as const, review: "pending" as const, base: "main", private: false, requested: ["owner1", "sec1", "team:core"] };
    mockPrStart(gh);
    mockIdentity(gh);
    serveRuns(gh, "acme/product", HEAD, [{ id: 77, external_id: both, status: "completed", conclusion: "action_required", title: "Waiting for review" }]);
    serveRuns(gh, "acme/product", HEAD, [{ id: 77, external_id: both, status: "completed", conclusion: "action_required", title: "Waiting for review" }]);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveTeam(gh, ["sec1"]);
    // #7 was announced (released); #8 is still waiting for its review.
    const seven = await storeResponse({ state: "announced", prs: [prLine] }, 7);
    const eight = await storeResponse({ state: "fixing", prs: [prLine] }, 8);
    // The first sync lists each issue's comments; the second reads each response by the id remembered then.
    serveComments(gh, seven, 1, 7);
    serveComments(gh, eight, 1, 8);
    serveResponseById(gh, seven, 7);
    serveResponseById(gh, eight, 8);
    // Both responses live in acme/security: one `.github` listing per repo per event.
    mockNoOverrides(gh, "acme", "security");
    // The firewall asks once per event whether acme/security is private (before #8's record names its CVE there).
    for (let i = 0; i < 2; i++) {
      mockSyncReads(gh, { number: 7, issueState: "closed", issueLabels: ["security"], reviews: [{ login: "sec1", state: "APPROVED", commit_id: "0".repeat(40) }], visibility: i === 0 });
      gh.api.get("/repos/acme/security/issues/8").reply(200, { number: 8, title: "Other", state: "open", user: { login: "r" }, html_url: "https://github.com/acme/security/issues/8", url: "https://api.github.com/repos/acme/security/issues/8", labels: [{ name: "security" }, { name: "security: fixing" }, { name: "severity: high" }] });
    }
    // Listed once: #7 is released (nothing checked); #8's second sync finds its check of this head remembered.
    gh.api.get("/repos/acme/product/pulls/42/commits").query(true).reply(200, [{ sha: HEAD, commit: { message: "Refactor" } }]);
    gh.api.post("/repos/acme/product/issues/42/labels").optionally().times(2).reply(200, []);
    gh.api.patch("/repos/acme/product/check-runs/77").optionally().times(2).reply(200, {});

    // The PR carries the priority label already: #8 releases it, #7 still wants it.
    await probot.receive(prEvent("edited", pull({ title: "Tighten input handling more", labels: ["priority: high"] })));

    // Released by #7 but not by #8: the run still waits (it was not opened, nor released).
    expect(gh.requests.filter((r) => r.path === "/repos/acme/product/check-runs/77")).toEqual([]);
    expect(gh.requests.some((r) => r.method === "DELETE" && r.path.includes("/repos/acme/product/issues/42/labels"))).toBe(false);
    // Each response keeps receiving the PR's events: both records saw the edit.
    expect(recordOf(seven[0]!.body).prs[0]).toMatchObject({ repo: "acme/product", number: 42, head_sha: HEAD });
    expect(recordOf(eight[0]!.body, "acme/security#8").prs[0]).toMatchObject({ repo: "acme/product", number: 42, head_sha: HEAD });
  });
  it("tells only the response whose reviewers GitHub refused: the announced one asked nobody and hears nothing", async () => {
    const probot = createTestProbot();
    const both = sealer.seal({ key: "acme/product#42", repoId: PRODUCT_REPO_ID }, [7, 8].map((n) => ({ key: `acme/security#${n}`, repoId: SECURITY_REPO_ID })));
    const prLine = { repo: "acme/product", number: 42, state: "open" as const, review: "pending" as const, base: "main", private: false, requested: [] as string[] };
    mockPrStart(gh);
    mockIdentity(gh);
    const run = { id: 77, external_id: both, status: "completed", conclusion: "action_required", title: "Waiting for review" };
    serveRuns(gh, "acme/product", HEAD, [run]);
    serveRuns(gh, "acme/product", HEAD, [run]);
    for (let i = 0; i < 4; i++) mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveTeam(gh, ["sec1"]);
    // #7 still waits for its review and has asked nobody yet; #8 was announced.
    const seven = await storeResponse({ state: "fixing", prs: [prLine] }, 7);
    const eight = await storeResponse({ state: "announced", prs: [prLine] }, 8);
    serveComments(gh, seven, 1, 7);
    serveComments(gh, eight, 1, 8);
    serveResponseById(gh, seven, 7);
    serveResponseById(gh, eight, 8);
    mockNoOverrides(gh, "acme", "security");
    for (let i = 0; i < 2; i++) {
      mockSyncReads(gh, { number: 7, issueLabels: ["security", "security: fixing", "severity: high"], visibility: i === 0 });
      gh.api.get("/repos/acme/security/issues/8").reply(200, { number: 8, title: "Other", state: "closed", user: { login: "r" }, html_url: "https://github.com/acme/security/issues/8", url: "https://api.github.com/repos/acme/security/issues/8", labels: [{ name: "security" }, { name: "security: announced" }] });
    }
    gh.api.get("/repos/acme/product/pulls/42/commits").query(true).optionally().times(2).reply(200, [{ sha: HEAD, commit: { message: "Refactor" } }]);
    gh.api.post("/repos/acme/product/issues/42/labels").optionally().times(2).reply(200, []);
    gh.api.patch("/repos/acme/product/check-runs/77").optionally().times(2).reply(200, {});
    gh.api.post(`${ISSUE}/labels`).optionally().times(2).reply(200, []);
    // GitHub refuses owner1 (no collaborator of acme/product): the whole request first, then owner1 alone.
    gh.api
      .post("/repos/acme/product/pulls/42/requested_reviewers")
      .times(10)
      .optionally()
      .reply((_uri, body: any) => (body.reviewers?.includes("owner1") ? [422, { message: "Reviews may only be requested from collaborators." }] : [201, {}]));
    const told: string[] = [];
    // Only #7 is told (a post to #8 fails the test: the mock knows no such route).
    gh.api.post(`${ISSUE}/comments`, (b) => (told.push(b.body), true)).optionally().times(2).reply(201, { id: 901, body: "", html_url: "https://github.com/acme/security/issues/7#issuecomment-901" });

    await probot.receive(prEvent("edited", pull({ title: "Tighten input handling more" })));

    expect(told.filter((t) => t.includes("GitHub refused"))).toHaveLength(1);
    expect(told.find((t) => t.includes("GitHub refused"))).toContain("GitHub refused to ask owner1 to review acme/product#42");
    expect(told.join("\n")).not.toContain("the team");
    expect(gh.requests.filter((r) => r.method === "POST" && r.path === "/repos/acme/security/issues/8/comments")).toEqual([]);
  });
});

describe("a linked response whose record cannot be read", () => {
  /** #7 and #8 linked to the PR; #8 announced, #7's response comment deleted; acme/security `visibility` now. */
  async function sevenUnreadable(visibility: "private" | "public") {
    const probot = createTestProbot();
    const both = sealer.seal({ key: "acme/product#42", repoId: PRODUCT_REPO_ID }, [7, 8].map((n) => ({ key: `acme/security#${n}`, repoId: SECURITY_REPO_ID })));
    const prLine = { repo: "acme/product", number: 42, state: "open" as const, review: "pending" as const, base: "main", private: false, requested: ["owner1", "sec1", "team:core"] };
    mockPrStart(gh);
    mockIdentity(gh);
    const run = { id: 77, external_id: both, status: "completed", conclusion: "action_required", title: "Waiting for review" };
    serveRuns(gh, "acme/product", HEAD, [run]);
    serveRuns(gh, "acme/product", HEAD, [run]);
    for (let i = 0; i < 4; i++) mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveTeam(gh, ["sec1"]);
    // #8 was announced; #7 still waits for its review, but someone with write access deleted its response comment.
    const eight = await storeResponse({ state: "announced", prs: [prLine] }, 8);
    gh.api.get(`${ISSUE}/comments`).query(true).times(2).reply(200, commentList([{ id: 600, body: "a comment", user: { login: "writer", type: "User" } }]));
    serveComments(gh, eight, 1, 8);
    serveResponseById(gh, eight, 8);
    mockNoOverrides(gh, "acme", "security");
    for (let i = 0; i < 2; i++) {
      mockSyncReads(gh, { number: 7, reviews: null, visibility: false });
      gh.api.get("/repos/acme/security/issues/8").reply(200, { number: 8, title: "Other", state: "closed", user: { login: "r" }, html_url: "https://github.com/acme/security/issues/8", url: "https://api.github.com/repos/acme/security/issues/8", labels: [{ name: "security" }, { name: "security: announced" }] });
    }
    const updates: any[] = [];
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => (updates.push(b), true)).optionally().reply(200, {});
    const told: string[] = [];
    // Only a private #7 is told (any other post fails the test: the mock knows no such route).
    if (visibility === "private") gh.api.post(`${ISSUE}/comments`, (b) => (told.push(b.body), true)).reply(201, { id: 901 });

    // Asked before #7 is told: the reply ties the public PR to a security response.
    mockVisibility(gh, "acme", "security", visibility);
    await probot.receive(prEvent("edited", pull({ title: "Tighten input handling more" })));
    return { updates, told, eight };
  }

  it("still blocks the gate and keeps its link: deleting #7's response comment does not let the announced #8 open it", async () => {
    const { updates, told, eight } = await sevenUnreadable("private");

    // Not opened by the one response that could be read, and #7's link is kept for when its record is repaired.
    expect(updates.filter((u) => u.conclusion !== "action_required")).toEqual([]);
    // The public PR says only "waiting"; #7 (private) is told why, and how to repair it.
    expect(updates.map((u) => u.output?.summary ?? "").join("\n")).not.toContain("response");
    expect(told).toHaveLength(1);
    expect(told[0]).toContain("The app cannot read this issue's response now");
    expect(told[0]).toContain("so the gate of acme/product#42 keeps waiting");
    expect(told[0]).toContain("edit history");
    expect(updates.every((u) => sealer.open(u.external_id, "acme/product#42").includes("acme/security#7"))).toBe(true);
    expect(recordOf(eight[0]!.body, "acme/security#8").prs[0]).toMatchObject({ repo: "acme/product", number: 42, head_sha: HEAD });
  });

  it("tells nobody when the linked issue's repository is not private now (a renamed security repo's former name taken by a public one): the gate still waits", async () => {
    const { updates, told } = await sevenUnreadable("public");
    expect(told).toEqual([]);
    expect(updates.filter((u) => u.conclusion !== "action_required")).toEqual([]);
  });
});

describe("closing the security issue", () => {
  const linked = { state: "fixing" as const, prs: [{ repo: "acme/product", number: 42, state: "open" as const, review: "pending" as const, base: "main", private: false, requested: ["owner1"] }] };

  /** A close by `closer` that the app will undo: what it wrote back (the issue's PATCH, the reply), and the response. */
  async function closeToUndo(closer: string, closeCommit?: string) {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    mockIdentity(gh);
    const stored = await storeResponse(linked);
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, () => commentList(stored));
    serveTeam(gh, ["sec1"]);
    if (closeCommit) serveCloseEvent(gh, closeCommit);
    mockNoOverrides(gh, "acme", "security");
    // Still closed, by them: theirs is the close that stands, so it is undone.
    gh.api.get(ISSUE).reply(200, { number: 7, title: TITLE, state: "closed", closed_by: { login: closer }, user: { login: "reporter" }, assignees: [], labels: [] });
    const wrote = { reopened: undefined as unknown, reply: "" };
    gh.api.patch(ISSUE, (b) => ((wrote.reopened = b), true)).reply(200, {});
    gh.api.post(`${ISSUE}/comments`, (b) => ((wrote.reply = b.body), true)).reply(201, { id: 700 });
    await probot.receive(issueStateEvent("closed", closer));
    return { ...wrote, stored };
  }

  it("a close by someone who may not run commands is undone, says why, and releases no gate", async () => {
    const { reopened, reply } = await closeToUndo("triager-without-rights");
    expect(reopened).toEqual({ state: "open" });
    expect(reply).toContain("only members of the acme/sec team may close a security response, so it was reopened");
    expect(gh.requestsTo("acme", "product")).toEqual([]);
  });

  it("a team member's merge whose `Fixes #7` closed the issue releases no gate: reopened, and told why", async () => {
    const { reopened, reply, stored } = await closeToUndo("sec1", "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d");
    expect(reopened).toEqual({ state: "open" });
    expect(reply).toContain("@sec1 this issue was closed by a closing keyword");
    expect(reply).toContain("(`9e8d7c6b5a4f`), not by hand, so it was reopened: the response goes on and its fix PRs stay gated");
    // The PR's gate is not touched (no check-run update, no label), and the response is not rewritten.
    expect(gh.requestsTo("acme", "product")).toEqual([]);
    expect(recordOf(stored[0]!.body).state).toBe("fixing");
  });

  it("a close by a team member releases the gates, and reopening restores them", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    serveTeam(gh, ["sec1"]);
    const stored = await storeResponse(linked);
    for (const [action, state] of [["closed", "closed"], ["reopened", "open"]] as const) {
      mockConfig(gh, "acme", "security", SECURITY_YAML);
      // The response is read once per event (listed, then by the id the app remembered), and written twice: the hand close, then the PR's line.
      if (action === "closed") {
        // A member's close: its event says whether a closing keyword made it (here, no commit: by hand).
        serveCloseEvent(gh, null);
        serveComments(gh, stored);
        gh.api.patch("/repos/acme/security/issues/comments/555").reply(200, (_u, b: any) => ((stored[0]!.body = b.body), { id: 555 }));
      } else {
        mockCommentById(gh, () => stored, 555);
        gh.api.patch("/repos/acme/security/issues/comments/555").times(2).optionally().reply(200, (_u, b: any) => ((stored[0]!.body = b.body), { id: 555 }));
      }
      gh.api.get("/repos/acme/product/pulls/42").reply(200, pull({ labels: action === "closed" ? ["priority: high"] : [] }));
      mockConfig(gh, "acme", "product", PRODUCT_YAML);
      mockNoOverrides(gh, "acme", "security");
      // The hand close is recorded first (the issue as it is now, then the response and its state label).
      const labelsNow = action === "closed" ? ["security", "security: fixing", "severity: high"] : ["security", "security: closed", "severity: high"];
      // Read once per event: the PR's sync starts from the labels the hand close left.
      gh.api.get(ISSUE).reply(200, { number: 7, title: TITLE, state, user: { login: "reporter" }, assignees: [], labels: labelsNow.map((name) => ({ name })) });
      // An event on the private security repo: the firewall takes its payload's word, no visibility read.
      mockSyncReads(gh, { issue: false, reviews: state === "open" ? [] : null, issueState: state, issueLabels: action === "closed" ? ["security", "security: closed", "severity: high"] : ["security", "security: fixing", "severity: high"], commits: state === "open" ? [{ sha: HEAD, message: "Refactor" }] : undefined, visibility: false });
      serveRuns(gh, "acme/product", HEAD, [{ id: 77, external_id: SEALED, status: "completed", conclusion: action === "closed" ? "action_required" : "neutral", title: action === "closed" ? "Waiting for review" : "No longer gated" }]);
    }
    gh.api.delete(`/repos/acme/product/issues/42/labels/${encodeURIComponent("priority: high")}`).reply(200, []);
    gh.api.post("/repos/acme/product/issues/42/labels", { labels: ["priority: high"] }).reply(200, []);
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers").optionally().reply(201, {});
    gh.api.post(`${ISSUE}/labels`, { labels: ["security: closed"] }).reply(200, []);
    gh.api.delete(`${ISSUE}/labels/${encodeURIComponent("security: fixing")}`).reply(200, []);
    gh.api.post(`${ISSUE}/labels`, { labels: ["security: fixing"] }).reply(200, []);
    gh.api.delete(`${ISSUE}/labels/${encodeURIComponent("security: closed")}`).reply(200, []);
    const updates: any[] = [];
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => (updates.push(b), true)).times(2).reply(200, {});

    await probot.receive(issueStateEvent("closed", "sec1"));
    expect(updates[0]).toMatchObject({ conclusion: "neutral", output: { title: "No longer gated" } });
    // Issue 13: the response says what happened, and "This issue closed" is ticked.
    expect(recordOf(stored[0]!.body)).toMatchObject({ state: "closed", closed_by_hand: { by: "sec1", previous: "fixing" } });
    expect(stored[0]!.body).toMatch(/closed by hand by @\u200bsec1/i);
    expect(stored[0]!.body).toMatch(/- \[x\] This issue closed/);

    await probot.receive(issueStateEvent("reopened", "sec1"));
    expect(updates[1]).toMatchObject({ conclusion: "action_required", output: { title: "Waiting for review" } });
    expect(recordOf(stored[0]!.body).state).toBe("fixing");
    expect(stored[0]!.body).toMatch(/- \[ \] This issue closed/);
  });
});

describe("cost of mentions", () => {
  it("a review on an unlinked private PR that mentions an issue reads nothing more than an unlinked PR", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    // Its head carries the passing run every unlinked PR gets on `opened`.
    serveRuns(gh, "acme/security", HEAD, [UNLINKED_RUN]);
    await probot.receive(reviewEvent(pull({ repo: "acme/security", private: true, body: "Fixes #7", author: "sec1" }), "sec1", "approved"));
    expect(gh.requests.filter((r) => !r.path.startsWith("/app")).map((r) => r.operationId)).toEqual(["checks/list-for-ref"]);
  });
});
