import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { runTickCommand } from "../../src/cli/tick.js";
import { TEST_SECRET } from "../helpers/app.js";
import { mockGitHub, testPrivateKey, type GitHubMock } from "../helpers/github-api.js";
import { CONFIG, reminders, tickWorld } from "./tick-world.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => {
  const problems = gh.requests.filter((r) => !r.matched || r.errors.length);
  nock.cleanAll();
  expect(problems).toEqual([]);
});

const quietOctokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { ...(o.throttle as object), enabled: false } }));

describe("embargo tick (npm run tick)", () => {
  /** One `embargo tick` with the app's credentials: its exit code and what it printed. */
  const run = async () => {
    const out: string[] = [];
    const code = await runTickCommand({ env: { APP_ID: "1", PRIVATE_KEY: testPrivateKey(), EMBARGO_SECRET: TEST_SECRET }, out: (t) => out.push(t), err: () => undefined }, { Octokit: quietOctokit, logLevel: "fatal" });
    return { code, out: out.join("\n") };
  };

  it("runs one tick as the app, with the app's credentials, and says what it did", async () => {
    // The CLI runs on the real clock: the response was opened two days before it, so its triage reminder is due.
    const world = await tickWorld(gh, new Date(), { opened_at: new Date(Date.now() - 48 * 3_600_000).toISOString() }, undefined, false);
    const out: string[] = [];
    const err: string[] = [];
    const env = { APP_ID: "1", PRIVATE_KEY: testPrivateKey(), EMBARGO_SECRET: TEST_SECRET };
    const code = await runTickCommand({ env, out: (t) => out.push(t), err: (t) => err.push(t) }, { Octokit: quietOctokit, logLevel: "fatal" });
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out.join("\n")).toBe("embargo tick: 1 security repo(s), 1 open response(s)");
    expect(reminders(world)).toHaveLength(1);
    expect(world.dashboard?.body).toContain("[#7](https://github.com/acme/security/issues/7)");
  });

  it("a security repo that could not be read is a failure: exit 1, named, and the next tick reads it again", async () => {
    const opened_at = new Date(Date.now() - 48 * 3_600_000).toISOString();
    // GitHub fails the first read of acme/security's config (a 502 while the tick looks for security repos).
    gh.scope().get(`/repos/acme/security/contents/${encodeURIComponent(".github/embargo.yml")}`).reply(502, { message: "Bad Gateway" });
    const world = await tickWorld(gh, new Date(), { opened_at }, undefined, false);
    expect(await run()).toEqual({ code: 1, out: "embargo tick: 0 security repo(s), 0 open response(s)\n  acme/security: failed (see the log above)" });
    expect(reminders(world)).toHaveLength(0);
    expect(await run()).toEqual({ code: 0, out: "embargo tick: 1 security repo(s), 1 open response(s)" });
    expect(reminders(world)).toHaveLength(1);
  });

  it("a security repo whose config is invalid is a failure too (exit 1, named), not a repo silently left out; once fixed it is ticked", async () => {
    const opened_at = new Date(Date.now() - 48 * 3_600_000).toISOString();
    // Someone's edit broke the config: no reminder, dashboard or feed until it is fixed, and cron must hear of it.
    gh.scope().get(`/repos/acme/security/contents/${encodeURIComponent(".github/embargo.yml")}`).reply(200, "reminders:\n  triage_hours: 0\n", { "content-type": "text/plain; charset=utf-8" });
    const world = await tickWorld(gh, new Date(), { opened_at }, undefined, false);
    expect(await run()).toEqual({ code: 1, out: "embargo tick: 0 security repo(s), 0 open response(s)\n  acme/security: failed (see the log above)" });
    expect(reminders(world)).toHaveLength(0);
    expect(await run()).toEqual({ code: 0, out: "embargo tick: 1 security repo(s), 1 open response(s)" });
    expect(reminders(world)).toHaveLength(1);
  });

  it("in the app's process, a security repo whose config broke after it was found is a failure, and is ticked again once fixed", async () => {
    const now = new Date();
    const path = `/repos/acme/security/contents/${encodeURIComponent(".github/embargo.yml")}`;
    // Found with a valid config; broken by the time its tick reads it; then fixed.
    gh.scope().get(path).reply(200, CONFIG, { "content-type": "text/plain; charset=utf-8" });
    gh.scope().get(path).reply(200, "reminders:\n  triage_hours: 0\n", { "content-type": "text/plain; charset=utf-8" });
    const world = await tickWorld(gh, now, { opened_at: new Date(now.getTime() - 48 * 3_600_000).toISOString() });
    await expect(world.tick()).rejects.toThrow("the tick failed on acme/security");
    expect(reminders(world)).toHaveLength(0);
    expect((await world.tick()).repos).toEqual(["acme/security"]);
    expect(reminders(world)).toHaveLength(1);
  });

  it("in the app's process, a security repo that could not be read on the first tick is ticked on the next", async () => {
    const now = new Date();
    gh.scope().get(`/repos/acme/security/contents/${encodeURIComponent(".github/embargo.yml")}`).reply(502, { message: "Bad Gateway" });
    const world = await tickWorld(gh, now, { opened_at: new Date(now.getTime() - 48 * 3_600_000).toISOString() });
    await expect(world.tick()).rejects.toThrow("the tick failed on acme/security");
    expect(reminders(world)).toHaveLength(0);
    expect((await world.tick()).repos).toEqual(["acme/security"]);
    expect(reminders(world)).toHaveLength(1);
  });

  it("a private product repo whose config is invalid (no issue carries its label) is not a security repo: the CLI tick exits 0, each time", async () => {
    const opened_at = new Date(Date.now() - 48 * 3_600_000).toISOString();
    const product = { id: 186853009, full_name: "acme/tool", name: "tool", owner: { login: "acme" }, private: true, visibility: "private" };
    const security = { id: 186853002, full_name: "acme/security", name: "security", owner: { login: "acme" }, private: true, visibility: "private" };
    // A product repo's PR settings with a typo: its PRs say so; it holds no response, so the tick has nothing to do there.
    gh.scope().get("/installation/repositories").query(true).times(2).reply(200, { total_count: 2, repositories: [security, product] });
    gh.scope().get(`/repos/acme/tool/contents/${encodeURIComponent(".github/embargo.yml")}`).times(2).reply(200, "security_repo: acme/security\npublic_pr:\n  check_name: ''\n", { "content-type": "text/plain; charset=utf-8" });
    gh.scope().get("/repos/acme/tool/issues").query({ labels: "security", state: "all", per_page: "1" }).times(2).reply(200, []);
    const world = await tickWorld(gh, new Date(), { opened_at }, undefined, false);
    expect(await run()).toEqual({ code: 0, out: "embargo tick: 1 security repo(s), 1 open response(s)" });
    expect(reminders(world)).toHaveLength(1);
    expect(await run()).toEqual({ code: 0, out: "embargo tick: 1 security repo(s), 1 open response(s)" });
  });

  it("in the app's process, a private product repo whose config is invalid neither fails the tick nor makes each tick look for security repos again", async () => {
    const now = new Date();
    const product = { id: 186853009, full_name: "acme/tool", name: "tool", owner: { login: "acme" }, private: true, visibility: "private" };
    const security = { id: 186853002, full_name: "acme/security", name: "security", owner: { login: "acme" }, private: true, visibility: "private" };
    gh.scope().get("/installation/repositories").query(true).reply(200, { total_count: 2, repositories: [security, product] });
    gh.scope().get(`/repos/acme/tool/contents/${encodeURIComponent(".github/embargo.yml")}`).reply(200, "security_repo: acme/security\npublic_pr:\n  check_name: ''\n", { "content-type": "text/plain; charset=utf-8" });
    gh.scope().get("/repos/acme/tool/issues").query({ labels: "security", state: "all", per_page: "1" }).reply(200, []);
    const world = await tickWorld(gh, now, { opened_at: new Date(now.getTime() - 48 * 3_600_000).toISOString() });
    expect((await world.tick()).repos).toEqual(["acme/security"]);
    expect(reminders(world)).toHaveLength(1);
    await world.tick();
    // Found once: the second tick lists no repos of the installation.
    expect(gh.requests.filter((r) => r.path === "/installation/repositories")).toHaveLength(1);
  });

  it("without the app's credentials, says which variables to set and exits 2", async () => {
    const err: string[] = [];
    const code = await main(["tick"], { env: {}, out: () => undefined, err: (t) => err.push(t) });
    expect(code).toBe(2);
    expect(err.join("\n")).toContain("APP_ID");
    expect(err.join("\n")).toContain("PRIVATE_KEY");
  });
});
