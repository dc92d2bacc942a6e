/** Issue 7 (reviewers by default, a gate that holds through the embargo, broken product config) and issue 10 (robustness) for fix PRs. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BOT, commentList, createTestProbot, mockConfig, mockIdentity, mockNoOverrides, mockToken, NOW, recordOf } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import {
  HEAD,
  ISSUE,
  issueStateEvent,
  mockPrStart,
  mockSyncReads,
  prEvent,
  PRODUCT_YAML,
  pull,
  reviewEvent,
  SEALED,
  sealer,
  SECRETS,
  SECURITY_YAML,
  serveComments,
  serveResponseById,
  serveRuns,
  serveTeam,
  storeResponse,
} from "../pr/fixtures.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const DAY = 24 * 3600 * 1000;
const line = (requested: string[] = []) => ({ repo: "acme/product", number: 42, state: "open" as const, review: "pending" as const, base: "main", private: false, requested, head_sha: HEAD });
const waitingRun = { id: 77, external_id: SEALED, status: "completed", conclusion: "action_required", title: "Waiting for review" };

/** A linked public PR event up to the writes: the test adds those it expects. */
async function linkedEvent(opts: { productYaml?: string | null; securityYaml?: string; record?: Parameters<typeof storeResponse>[0]; reviews?: Parameters<typeof mockSyncReads>[1]["reviews"]; commits?: { sha: string; message: string }[]; run?: typeof waitingRun | Record<string, unknown> } = {}) {
  mockPrStart(gh, "acme/product", opts.productYaml === undefined ? PRODUCT_YAML : opts.productYaml);
  mockIdentity(gh);
  serveRuns(gh, "acme/product", HEAD, [(opts.run ?? waitingRun) as typeof waitingRun]);
  mockConfig(gh, "acme", "security", opts.securityYaml ?? SECURITY_YAML);
  const stored = await storeResponse({ state: "fixing", ...(opts.record ?? { prs: [line(["owner1", "sec1", "team:core"])] }) });
  serveComments(gh, stored);
  mockNoOverrides(gh, "acme", "security");
  mockSyncReads(gh, { reviews: opts.reviews ?? [], commits: opts.commits ?? [{ sha: HEAD, message: "Refactor" }], issueLabels: ["security", "security: fixing", "severity: high"] });
  gh.api.post("/repos/acme/product/issues/42/labels").optionally().reply(200, []);
  return stored;
}

describe("the gate holds through a 30-day embargo", () => {
  it("15 days after linking the gate is completed and blocking (action_required), never stale, and says what it waits for", async () => {
    // GitHub marks a run left in progress for 14 days `stale`; the app's waiting gate is never in progress.
    const probot = createTestProbot(new Date(NOW.getTime() + 15 * DAY));
    serveTeam(gh, ["sec1"]);
    await linkedEvent({ run: { ...waitingRun, status: "completed", conclusion: "stale", title: "Waiting for review" } });
    let update: any;
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => ((update = b), true)).reply(200, {});

    await probot.receive(reviewEvent(pull(), "passer-by", "commented"));

    expect(update).toMatchObject({ status: "completed", conclusion: "action_required", details_url: "https://github.com/acme/product/pull/42", output: { title: "Waiting for review" } });
    expect(update.output.summary).toContain("Waiting for a required reviewer to approve the current head commit");
    expect(update.completed_at).toBe(new Date(NOW.getTime() + 15 * DAY).toISOString());
    expect(gh.leaks(SECRETS, gh.requestsTo("acme", "product"))).toEqual([]);
  });

  it("a gate that already waits is left as it is 15 days on: nothing to rewrite, still blocking", async () => {
    const probot = createTestProbot(new Date(NOW.getTime() + 15 * DAY));
    serveTeam(gh, ["sec1"]);
    await linkedEvent({ run: { ...waitingRun, summary: undefined } });
    await probot.receive(reviewEvent(pull(), "passer-by", "commented"));
    expect(gh.requests.filter((r) => r.path.includes("check-runs") && r.method !== "GET")).toEqual([]);
  });
});

describe("reviewers on a public fix PR with the default config", () => {
  it("asks the response's owner and experts by login, never the author, and no team", async () => {
    const probot = createTestProbot();
    serveTeam(gh, ["tri1", "sec1"]);
    await linkedEvent({ productYaml: null, securityYaml: "team: acme/sec\n", record: { triager: "tri1", experts: ["exp1", "dev1"], components: [], prs: [line()] } });
    let asked: any;
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers", (b) => ((asked = b), true)).reply(201, {});
    await probot.receive(prEvent("edited", pull()));
    expect(asked).toEqual({ reviewers: ["tri1", "exp1"], team_reviewers: [] });
  });

  it("with nobody to ask by login, asks up to public_pr.max_reviewers members of the security team, never the author", async () => {
    const probot = createTestProbot();
    serveTeam(gh, ["dev1", "sec1", "sec2", "sec3"]);
    await linkedEvent({ productYaml: null, securityYaml: "team: acme/sec\n", record: { components: [], prs: [line()] } });
    let asked: any;
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers", (b) => ((asked = b), true)).reply(201, {});
    await probot.receive(prEvent("edited", pull()));
    expect(asked).toEqual({ reviewers: ["sec1", "sec2"], team_reviewers: [] });
  });

  it("adds one team member when the owner and experts cannot open the gate", async () => {
    const probot = createTestProbot();
    serveTeam(gh, ["sec1"]);
    await linkedEvent({ productYaml: null, securityYaml: "team: acme/sec\n", record: { triager: "tri1", components: [], prs: [line()] } });
    let asked: any;
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers", (b) => ((asked = b), true)).reply(201, {});
    await probot.receive(prEvent("edited", pull()));
    expect(asked).toEqual({ reviewers: ["tri1", "sec1"], team_reviewers: [] });
  });
});

describe("reviewers who can open the gate, without listing the team", () => {
  it("takes a team member the config already names (the triage rotation) before listing the team", async () => {
    const probot = createTestProbot();
    serveTeam(gh, ["sec1", "rot1"]);
    await linkedEvent({ productYaml: null, securityYaml: "team: acme/sec\ntriage_rotation: [rot1]\n", record: { triager: "tri1", components: [], prs: [line()] } });
    let asked: any;
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers", (b) => ((asked = b), true)).reply(201, {});
    await probot.receive(prEvent("edited", pull()));
    expect(asked).toEqual({ reviewers: ["tri1", "rot1"], team_reviewers: [] });
    expect(gh.requests.filter((r) => r.operationId === "teams/list-members-in-org")).toEqual([]);
  });
});

describe("a product repo with a broken config", () => {
  it("its linked PR's gate says so, in neutral words, and keeps blocking", async () => {
    const probot = createTestProbot();
    serveTeam(gh, ["sec1"]);
    await linkedEvent({ productYaml: "public_pr:\n  colour: red\n", reviews: [{ login: "sec1", state: "APPROVED", commit_id: HEAD }] });
    let update: any;
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => ((update = b), true)).reply(200, {});
    await probot.receive(prEvent("edited", pull()));
    expect(update).toMatchObject({ conclusion: "action_required", output: { title: "Configuration needs a fix" } });
    expect(update.output.summary).toContain("configuration file for this app is invalid");
    expect(gh.leaks([...SECRETS, "security", "embargo"], gh.requests.filter((r) => r.path.includes("check-runs/77")))).toEqual([]);
  });
});

describe("every commit is checked", () => {
  /**
   * A push of a PR with `count` commits (`message(n)` each), read past GitHub's 250-commit PR list
   * through the compare API, 100 a page: the pages read, the response, and the gate's update.
   */
  async function mockLongPush(count: number, message: (n: number) => string) {
    serveTeam(gh, ["sec1"]);
    mockPrStart(gh);
    mockIdentity(gh);
    serveRuns(gh, "acme/product", HEAD, [waitingRun]);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    const stored = await storeResponse({ state: "fixing", prs: [line(["owner1", "sec1", "team:core"])] });
    serveComments(gh, stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { issueLabels: ["security", "security: fixing", "severity: high"] });
    const commits = Array.from({ length: count }, (_, i) => ({ sha: `${String(i + 1).padStart(4, "0")}${"e".repeat(36)}`, commit: { message: message(i + 1) } }));
    const pages: number[] = [];
    gh.api
      .get(`/repos/acme/product/compare/${"b".repeat(40)}...${HEAD}`)
      .query(true)
      .times(Math.ceil(count / 100))
      .reply(200, (uri) => {
        const page = Number(new URL(`https://x${uri}`).searchParams.get("page") ?? 1);
        pages.push(page);
        return { total_commits: count, commits: commits.slice((page - 1) * 100, page * 100) };
      });
    gh.api.post("/repos/acme/product/issues/42/labels").optionally().reply(200, []);
    const gate: { update?: any } = {};
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => ((gate.update = b), true)).reply(200, {});
    return { pages, stored, gate };
  }

  it("past GitHub's 250-commit PR list, through the compare API: a leak in commit 280 of 300 fails the check", async () => {
    const probot = createTestProbot();
    const { pages, stored, gate } = await mockLongPush(300, (n) => (n === 280 ? "Guard the parser (acme/security#7)" : `Step ${n}`));

    await probot.receive(prEvent("synchronize", pull({ commits: 300 }), { before: HEAD, after: HEAD }));

    expect(pages).toEqual([1, 2, 3]);
    expect(gate.update).toMatchObject({ conclusion: "failure" });
    expect(gate.update.output.summary).toContain("- the message of commit 0280eee: points at the private tracking issue");
    expect(recordOf(stored[0]!.body).prs[0]!.leaks).toBe(1);
  });

  it("1,200 commits that each name the issue: the gate fails with a summary GitHub accepts (at most 65,535 characters)", async () => {
    const probot = createTestProbot();
    const { stored, gate } = await mockLongPush(1200, (n) => `Part ${n} of acme/security#7`);

    await probot.receive(prEvent("synchronize", pull({ commits: 1200 }), { before: HEAD, after: HEAD }));

    const update = gate.update;
    expect(update).toMatchObject({ conclusion: "failure", output: { title: "Wording needs a change (1200)" } });
    expect(update.output.summary.length).toBeLessThanOrEqual(65_535);
    expect(update.output.summary).toContain("- the message of commit 0001eee: points at the private tracking issue");
    expect(update.output.summary).toContain("and 1,150 more places");
    expect(recordOf(stored[0]!.body).prs[0]!.leaks).toBe(1200);
  });
});

describe("what GitHub really sends (issue 10)", () => {
  it("issues.closed with the first linked PR in a deleted repo: the others are still released", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    mockIdentity(gh);
    const stored = await storeResponse({ state: "invalid", prs: [{ ...line(), repo: "acme/deleted" }, line()] });
    serveComments(gh, stored);
    serveTeam(gh, ["sec1"]);
    gh.api.get("/repos/acme/deleted/pulls/42").reply(404, { message: "Not Found" });
    gh.api.get("/repos/acme/product/pulls/42").reply(200, pull({ labels: ["priority: high"] }));
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    mockNoOverrides(gh, "acme", "security");
    // An event on the private security repo: the firewall takes its payload's word, no visibility read.
    mockSyncReads(gh, { reviews: null, issueState: "closed", issueLabels: ["security", "security: invalid"], visibility: false });
    gh.api.delete(`/repos/acme/product/issues/42/labels/${encodeURIComponent("priority: high")}`).reply(200, []);
    serveRuns(gh, "acme/product", HEAD, [waitingRun]);
    let update: any;
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => ((update = b), true)).reply(200, {});

    await probot.receive(issueStateEvent("closed", BOT, "Bot"));

    expect(update).toMatchObject({ conclusion: "neutral", output: { title: "No longer gated" } });
  });

  it("a review by a deleted account (user: null) never becomes a request or a check for the login ''", async () => {
    const probot = createTestProbot();
    serveTeam(gh, ["sec1"]);
    await linkedEvent({ reviews: [{ login: null, state: "APPROVED", commit_id: HEAD }] });
    await probot.receive(reviewEvent(pull(), null, "approved"));
    expect(gh.requests.filter((r) => /\/memberships\/$|requested_reviewers/.test(r.path))).toEqual([]);
    expect(gh.requests.filter((r) => r.path.includes("check-runs/77"))).toEqual([]); // still waiting
  });

  it("a configured team that cannot be read: the gate says it cannot verify reviewers, and the security issue is told once", async () => {
    const probot = createTestProbot();
    serveTeam(gh, [], { exists: false });
    const stored = await linkedEvent({ reviews: [{ login: "sec1", state: "APPROVED", commit_id: HEAD }] });
    let update: any;
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => ((update = b), true)).reply(200, {});
    let told = "";
    gh.api.post(`${ISSUE}/comments`, (b) => ((told = b.body), true)).reply(201, { id: 800 });

    await probot.receive(reviewEvent(pull(), "sec1", "approved"));

    expect(update).toMatchObject({ conclusion: "action_required", output: { title: "Reviewers cannot be verified" } });
    expect(told).toContain("the team `acme/sec` (config `team`) cannot be read");
    expect(gh.leaks(["acme/sec", ...SECRETS], gh.requests.filter((r) => r.path.includes("check-runs/77")))).toEqual([]);

    // Redelivered: the reply is already there, so it is not posted again.
    stored.push({ id: 800, body: told, user: { login: BOT, type: "Bot" } });
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    serveRuns(gh, "acme/product", HEAD, [{ ...waitingRun, title: "Reviewers cannot be verified", summary: update.output.summary } as typeof waitingRun]);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    // The response by the id remembered on the first delivery; the reply's dedupe lists the comments.
    serveResponseById(gh, stored);
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, () => commentList(stored));
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: [{ login: "sec1", state: "APPROVED", commit_id: HEAD }], issueLabels: ["security", "security: fixing", "severity: high"] });
    gh.api.post("/repos/acme/product/issues/42/labels").optionally().reply(200, []);
    gh.api.patch("/repos/acme/product/check-runs/77").optionally().reply(200, {});
    const before = gh.requests.length;
    await probot.receive(reviewEvent(pull(), "sec1", "approved"));
    expect(gh.requests.slice(before).filter((r) => r.method === "POST" && r.path === `${ISSUE}/comments`)).toEqual([]);
  });

  it("a private PR naming an ordinary issue first and the security issue second is linked to the security issue", async () => {
    const probot = createTestProbot();
    mockPrStart(gh, "acme/security", SECURITY_YAML);
    mockIdentity(gh);
    serveRuns(gh, "acme/security", HEAD);
    serveRuns(gh, "acme/security", HEAD);
    serveTeam(gh, ["sec1"]);
    // #3 is an ordinary issue: no response comment.
    gh.api.get("/repos/acme/security/issues/3").reply(200, { number: 3, title: "Docs", state: "open", user: { login: "x" }, html_url: "https://github.com/acme/security/issues/3", url: "https://api.github.com/repos/acme/security/issues/3", labels: [] });
    gh.api.get("/repos/acme/security/issues/3/comments").query(true).reply(200, []);
    const stored = await storeResponse();
    serveComments(gh, stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { repo: "acme/security", visibility: false }); // a PR in the private security repo: its payload says private
    gh.api.post("/repos/acme/security/issues/42/labels").reply(200, []);
    gh.api.post("/repos/acme/security/pulls/42/requested_reviewers").reply(201, {});
    let run: any;
    gh.api.post("/repos/acme/security/check-runs", (b) => ((run = b), true)).reply(201, { id: 80 });
    gh.api.post(`${ISSUE}/labels`).reply(200, []);
    gh.api.delete(`${ISSUE}/labels/${encodeURIComponent("security: confirmed")}`).reply(200, []);

    await probot.receive(prEvent("opened", pull({ repo: "acme/security", private: true, body: "Follows #3. Fixes #7.", author: "sec1" })));

    expect(sealer.open(run.external_id, "acme/security#42")).toEqual(["acme/security#7"]);
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ repo: "acme/security", number: 42 });
  });
});
