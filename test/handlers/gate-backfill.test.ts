/**
 * `embargo backfill owner/repo`: PRs open before the gate's passing run existed get it, each judged
 * as a PR event judges it (src/handlers/unlinked-gate.ts): a head with a run of the app's, a PR the
 * app gated once (either witness), a repository with `gate_every_pr: false` get nothing.
 */
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { describeBackfill, runBackfillCommand } from "../../src/cli/backfill.js";
import { rememberLinked } from "../../src/handlers/pr-snapshot.js";
import { prFacts } from "../../src/handlers/pr-facts.js";
import type { BackfillOptions, BackfillReport } from "../../src/handlers/gate-backfill.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { KeyRing } from "../../src/security/key-ring.js";
import { createTestProbot, INSTALLATION_ID, mockConfig, mockIdentity, mockToken, TEST_KEYS, TEST_SECRET } from "../helpers/app.js";
import { mockGitHub, testPrivateKey, type GitHubMock } from "../helpers/github-api.js";
import { acceptUnlinkedRun, PRODUCT_YAML, pull, SEALED, serveRuns, UNLINKED_RUN, unlinkedRunBody } from "../pr/fixtures.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const sha = (c: string) => c.repeat(40);
const PULLS = "/repos/acme/product/pulls";
const LINKED_GATE = { id: 71, external_id: SEALED, status: "completed", conclusion: "action_required", title: "Waiting for review" };
const creates = () => gh.requests.filter((r) => r.method === "POST" && r.path.endsWith("/check-runs"));

/** The app as `embargo backfill` loads it, with `store` as its memory; the backfill it hands out. */
function backfillApp(store = new MemoryStore()) {
  let backfill!: (owner: string, repo: string, options?: BackfillOptions) => Promise<BackfillReport>;
  createTestProbot(undefined, { store, onBackfill: (b) => (backfill = b) });
  // Probot loads the app a moment later: the backfill is there by the time a test calls it.
  return async (options?: BackfillOptions) => {
    await new Promise((resolve) => setImmediate(resolve));
    return backfill("acme", "product", options);
  };
}

/** The app finds its installation on acme/product (its JWT) on each run, then works as that installation (a token per process). */
function mockInstallation(runs = 1, processes = 1) {
  gh.api.get("/repos/acme/product/installation").times(runs).reply(200, { id: INSTALLATION_ID });
  for (let i = 0; i < processes; i++) mockToken(gh);
}

/** GitHub's open PRs of acme/product, oldest first, in pages as asked; `headers` on each answer (the rate limit). */
function serveOpenPulls(pulls: ReturnType<typeof pull>[], headers: Record<string, string> = {}) {
  gh.api.get(PULLS).query({ state: "open", sort: "created", direction: "asc", per_page: "100", page: "1" }).reply(200, pulls, headers);
}

describe("embargo backfill: the open PRs of a product repository", () => {
  it("gives the passing run only to the PRs a PR event would give it; a second run creates nothing", async () => {
    const store = new MemoryStore();
    const remembered = pull({ number: 44, head: sha("4") });
    // The app gated #44 once (its store says so) and missed a push since: its head has no run.
    await rememberLinked(store, TEST_KEYS, prFacts(remembered, remembered.base.repo));
    const open = [
      pull({ number: 40, head: sha("a") }),
      pull({ number: 41, head: sha("b") }),
      pull({ number: 42, head: sha("c") }),
      pull({ number: 43, head: sha("d"), labels: ["priority: high"] }),
      remembered,
      pull({ number: 45, head: sha("e"), labels: ["priority: high"] }),
    ];
    const backfill = backfillApp(store);
    mockInstallation(2);
    mockIdentity(gh);
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    serveOpenPulls(open);
    serveRuns(gh, "acme/product", sha("a"));
    serveRuns(gh, "acme/product", sha("b"), [UNLINKED_RUN]);
    serveRuns(gh, "acme/product", sha("c"), [LINKED_GATE]);
    serveRuns(gh, "acme/product", sha("d"));
    serveRuns(gh, "acme/product", sha("4"));
    serveRuns(gh, "acme/product", sha("e"));
    // #43's priority label is the app's (a linked PR's, taken for a fix): no passing run; #45's is the project's own.
    const labelled = (login: string) => [{ id: 1, node_id: "LE1", url: "", event: "labeled", actor: { login }, commit_id: null, commit_url: null, created_at: "2026-11-21T10:00:00Z", label: { name: "priority: high", color: "ededed" } }];
    gh.api.get("/repos/acme/product/issues/43/events").query(true).reply(200, labelled("embargo[bot]"));
    gh.api.get("/repos/acme/product/issues/45/events").query(true).reply(200, labelled("maintainer1"));
    const created = acceptUnlinkedRun(gh);
    gh.api.post("/repos/acme/product/check-runs").reply(201, { id: 72 });

    expect(await backfill()).toEqual({ repo: "acme/product", judged: 6, written: 2 });
    expect(created).toEqual([expect.objectContaining({ ...unlinkedRunBody(sha("a")), details_url: "https://github.com/acme/product/pull/40" })]);
    expect(creates().map((r) => (r.body as { head_sha: string }).head_sha)).toEqual([sha("a"), sha("e")]);

    // Run again: every head that got the run carries it; the others are as before. Nothing is written.
    const before = gh.requests.length;
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    serveOpenPulls(open);
    serveRuns(gh, "acme/product", sha("a"), [UNLINKED_RUN]);
    serveRuns(gh, "acme/product", sha("b"), [UNLINKED_RUN]);
    serveRuns(gh, "acme/product", sha("c"), [LINKED_GATE]);
    serveRuns(gh, "acme/product", sha("d"));
    serveRuns(gh, "acme/product", sha("4"));
    serveRuns(gh, "acme/product", sha("e"), [{ ...UNLINKED_RUN, id: 72 }]);
    gh.api.get("/repos/acme/product/issues/43/events").query(true).reply(200, labelled("embargo[bot]"));
    expect(await backfill()).toEqual({ repo: "acme/product", judged: 6, written: 0 });
    expect(gh.requests.slice(before).filter((r) => r.method !== "GET" && !r.path.startsWith("/app"))).toEqual([]);
  });

  it("a repository with `gate_every_pr: false` is left alone: its config read, no PR listed", async () => {
    const backfill = backfillApp();
    mockInstallation();
    mockConfig(gh, "acme", "product", "security_repo: acme/security\npublic_pr:\n  gate_every_pr: false\n");
    expect(await backfill()).toEqual({ repo: "acme/product", judged: 0, written: 0, off: true });
    expect(gh.requests.filter((r) => r.path.startsWith("/repos/acme/product/pulls"))).toEqual([]);
  });

  it("a broken config judges by the defaults, as a PR event does: the gate's default name", async () => {
    const backfill = backfillApp();
    mockInstallation();
    mockIdentity(gh);
    mockConfig(gh, "acme", "product", "public_pr:\n  check_name: ''\n");
    serveOpenPulls([pull({ number: 40, head: sha("a") })]);
    serveRuns(gh, "acme/product", sha("a"));
    const created = acceptUnlinkedRun(gh);
    expect(await backfill()).toEqual({ repo: "acme/product", judged: 1, written: 1 });
    expect(created).toEqual([expect.objectContaining(unlinkedRunBody(sha("a"), "review gate"))]);
  });

  it("stops while the rate limit still leaves the app's events their share, and goes on from where it stopped", async () => {
    const backfill = backfillApp();
    mockInstallation(2);
    mockIdentity(gh);
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    const open = [pull({ number: 40, head: sha("a") }), pull({ number: 41, head: sha("b") })];
    const reset = Math.floor(Date.parse("2026-11-22T12:40:00Z") / 1000);
    serveOpenPulls(open, { "x-ratelimit-remaining": "1200", "x-ratelimit-reset": String(reset) });
    gh.api.get(`/repos/acme/product/commits/${sha("a")}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] }, { "x-ratelimit-remaining": "999", "x-ratelimit-reset": String(reset) });
    const created = acceptUnlinkedRun(gh);
    expect(await backfill()).toEqual({ repo: "acme/product", judged: 1, written: 1, stopped: { at: 41, reset: new Date(reset * 1000) } });
    expect(created.map((b) => b.head_sha)).toEqual([sha("a")]);

    // From #41: #40 is listed (its page) but not judged again.
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    serveOpenPulls(open);
    serveRuns(gh, "acme/product", sha("b"));
    const next = acceptUnlinkedRun(gh);
    expect(await backfill({ from: 41 })).toEqual({ repo: "acme/product", judged: 1, written: 1 });
    expect(next.map((b) => b.head_sha)).toEqual([sha("b")]);
  });

  it("a PR GitHub refuses (its head's runs answer 404) is left to its next event and the others go on; an outage (502) stops at that PR", async () => {
    const backfill = backfillApp();
    mockInstallation();
    mockIdentity(gh);
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    serveOpenPulls([pull({ number: 40, head: sha("a") }), pull({ number: 41, head: sha("b") }), pull({ number: 42, head: sha("c") }), pull({ number: 43, head: sha("d") })]);
    gh.api.get(`/repos/acme/product/commits/${sha("a")}/check-runs`).query(true).reply(404, { message: "No commit found for SHA" });
    serveRuns(gh, "acme/product", sha("b"));
    gh.api.get(`/repos/acme/product/commits/${sha("c")}/check-runs`).query(true).reply(502, { message: "Bad Gateway" });
    const created = acceptUnlinkedRun(gh);
    expect(await backfill()).toEqual({ repo: "acme/product", judged: 1, written: 1, refused: [{ number: 40, status: 404 }], stopped: { at: 42, error: expect.stringContaining("Bad Gateway") } });
    expect(created.map((b) => b.head_sha)).toEqual([sha("b")]);
  });

  it("a repository the app is not installed on is refused, nothing read", async () => {
    const backfill = backfillApp();
    gh.api.get("/repos/acme/product/installation").reply(404, { message: "Not Found" });
    await expect(backfill()).rejects.toThrow("the app is not installed on acme/product");
  });
});

describe("the `embargo backfill` command", () => {
  afterEach(() => nock.cleanAll());
  const quietOctokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { ...(o.throttle as object), enabled: false } }));
  const env = { APP_ID: "1", PRIVATE_KEY: testPrivateKey(), EMBARGO_SECRET: TEST_SECRET };
  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runBackfillCommand(args, { env, out: (t) => out.push(t), err: (t) => err.push(t) }, { Octokit: quietOctokit, logLevel: "fatal" });
    return { code, out, err };
  };

  it("says what it did, and how to go on when it stopped early (exit 1)", async () => {
    mockInstallation(2, 2);
    mockIdentity(gh);
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    serveOpenPulls([pull({ number: 40, head: sha("a") })]);
    serveRuns(gh, "acme/product", sha("a"));
    acceptUnlinkedRun(gh);
    const done = await run(["acme/product"]);
    expect(done.code).toBe(0);
    expect(done.out).toEqual(['embargo backfill acme/product: 1 open PR(s) judged, 1 given the gate\'s passing run ("No review needed"); every open PR now carries a run of the gate or was gated once']);

    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    serveOpenPulls([pull({ number: 40, head: sha("a") })], { "x-ratelimit-remaining": "10", "x-ratelimit-reset": String(Date.parse("2026-11-22T12:40:00Z") / 1000) });
    const stopped = await run(["acme/product"]);
    expect(stopped.code).toBe(1);
    expect(stopped.out).toEqual([
      "embargo backfill acme/product: 0 open PR(s) judged, 0 given the gate's passing run (\"No review needed\"); stopped before #40 to leave the app's events their share of the rate limit: run `embargo backfill acme/product --from 40` after 12:40 UTC, when GitHub's limit resets",
    ]);
  });

  it("names the PRs GitHub refused, and the outage it stopped at", () => {
    expect(describeBackfill({ repo: "acme/product", judged: 1, written: 1, refused: [{ number: 40, status: 404 }], stopped: { at: 42, error: "Bad Gateway" } })).toBe(
      'embargo backfill acme/product: 1 open PR(s) judged, 1 given the gate\'s passing run ("No review needed"); GitHub refused #40 (HTTP 404), left to their next event; stopped at #42 (Bad Gateway): run `embargo backfill acme/product --from 42` to go on',
    );
    const refused = Array.from({ length: 12 }, (_, i) => ({ number: 100 + i, status: 403 }));
    expect(describeBackfill({ repo: "acme/product", judged: 0, written: 0, refused })).toContain("#108 (HTTP 403), #109 (HTTP 403) and 2 more, left to their next event");
    expect(describeBackfill({ repo: "acme/product", judged: 0, written: 0, off: true })).toBe("embargo backfill acme/product: `public_pr.gate_every_pr` is false there, so no PR gets the gate's passing run: nothing done");
  });

  it("refuses bad usage and missing credentials (exit 2)", async () => {
    for (const args of [[], ["acme"], ["acme/product", "--from"], ["acme/product", "--from", "x"], ["acme/product", "extra"]]) {
      const err: string[] = [];
      expect(await main(["backfill", ...args], { env, out: () => undefined, err: (t) => err.push(t) })).toBe(2);
      expect(err).toEqual(["usage: embargo backfill <owner/repo> [--from <pr-number>]"]);
    }
    const err: string[] = [];
    expect(await main(["backfill", "acme/product"], { env: {}, out: () => undefined, err: (t) => err.push(t) })).toBe(2);
    expect(err.join("\n")).toContain("APP_ID");
  });
});

describe("embargo backfill: PRs that close while it runs", () => {
  /** A PR's head, from its number: every head distinct. */
  const headOf = (n: number) => n.toString(16).padStart(40, "0");
  const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => pull({ number: from + i, head: headOf(from + i) }));
  const LIST = { state: "open", sort: "created", direction: "asc", per_page: "100" };
  /** GitHub's open PRs in pages of 100 as `open()` says they are at each request (a first request names no page), with the Link to the next page when full. */
  const serveOpen = (open: () => ReturnType<typeof pull>[]) =>
    gh.api
      .get(PULLS)
      .query((q) => Object.entries(LIST).every(([k, v]) => q[k] === v))
      .times(20)
      .optionally()
      .reply((uri) => {
        const page = Number(new URL(uri, "https://api.github.com").searchParams.get("page") ?? "1");
        const pulls = open().slice((page - 1) * 100, page * 100);
        const next = `<https://api.github.com${PULLS}?state=open&sort=created&direction=asc&per_page=100&page=${page + 1}>; rel="next"`;
        return [200, pulls, pulls.length === 100 ? { link: next } : {}];
      });

  it("a PR closed on an earlier page moves the later ones up a page: the one moved onto the page already read is judged too", async () => {
    const backfill = backfillApp();
    mockInstallation();
    mockIdentity(gh);
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    // #101–#250 open; #101 is merged once page 1 is read, so GitHub's page 2 starts at #202 and #201 is now on page 1.
    let listed = 0;
    serveOpen(() => numbered(listed++ ? 102 : 101, 250));
    gh.api.get(/^\/repos\/acme\/product\/commits\/[0-9a-f]{40}\/check-runs$/).query(true).times(150).reply(200, { total_count: 0, check_runs: [] });
    const created: string[] = [];
    gh.api.post("/repos/acme/product/check-runs", (b: { head_sha: string }) => (created.push(b.head_sha), true)).times(150).reply(201, { id: 70 });

    const report = await backfill();
    expect(created).toContain(headOf(201));
    expect(new Set(created).size).toBe(created.length);
    expect(report).toEqual({ repo: "acme/product", judged: 150, written: 150 });
  });

  it("an outage while listing the open PRs stops there, says how many were done and where to go on", async () => {
    const backfill = backfillApp();
    mockInstallation();
    mockIdentity(gh);
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    // Page 1 (#101–#200) is read and judged; GitHub then fails to give page 2.
    const link = `<https://api.github.com${PULLS}?state=open&sort=created&direction=asc&per_page=100&page=2>; rel="next"`;
    gh.api.get(PULLS).query((q) => q.page === undefined || q.page === "1").reply(200, numbered(101, 200), { link });
    gh.api.get(PULLS).query((q) => q.page === "2").reply(502, { message: "Bad Gateway" });
    gh.api.get(/^\/repos\/acme\/product\/commits\/[0-9a-f]{40}\/check-runs$/).query(true).times(100).reply(200, { total_count: 0, check_runs: [] });
    gh.api.post("/repos/acme/product/check-runs").times(100).reply(201, { id: 70 });

    const report = await backfill();
    expect(report).toEqual({ repo: "acme/product", judged: 100, written: 100, stopped: { at: 201, listing: true, error: expect.stringContaining("Bad Gateway") } });
    expect(describeBackfill(report)).toBe(
      'embargo backfill acme/product: 100 open PR(s) judged, 100 given the gate\'s passing run ("No review needed"); stopped listing the open PRs from #201 on (Bad Gateway): run `embargo backfill acme/product --from 201` to go on',
    );
  });
});

describe("embargo backfill during a rotation of EMBARGO_SECRET", () => {
  it("a PR the app remembered gating under the previous secret still gets no passing run (its push missed, its label taken off)", async () => {
    const store = new MemoryStore();
    const fix = pull({ number: 44, head: sha("4") });
    // Remembered before the rotation, under the secret that is now EMBARGO_SECRET_PREVIOUS.
    await rememberLinked(store, new KeyRing("the-old-secret"), prFacts(fix, fix.base.repo));
    let backfill!: (owner: string, repo: string, options?: BackfillOptions) => Promise<BackfillReport>;
    createTestProbot(undefined, { store, secret: TEST_SECRET, previousSecret: "the-old-secret", onBackfill: (b) => (backfill = b) });
    await new Promise((resolve) => setImmediate(resolve));
    mockInstallation();
    mockIdentity(gh);
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    serveOpenPulls([fix]);
    serveRuns(gh, "acme/product", sha("4"));
    gh.api.post("/repos/acme/product/check-runs").optionally().reply(201, { id: 70 });

    expect(await backfill("acme", "product")).toEqual({ repo: "acme/product", judged: 1, written: 0 });
    expect(creates()).toEqual([]);
  });
});
