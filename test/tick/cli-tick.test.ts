import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { runTickCommand } from "../../src/cli/tick.js";
import { TEST_SECRET } from "../helpers/app.js";
import { mockGitHub, testPrivateKey, type GitHubMock } from "../helpers/github-api.js";
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

const quietOctokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { ...(o.throttle as object), enabled: false } }));

describe("embargo tick (npm run tick)", () => {
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

  it("without the app's credentials, says which variables to set and exits 2", async () => {
    const err: string[] = [];
    const code = await main(["tick"], { env: {}, out: () => undefined, err: (t) => err.push(t) });
    expect(code).toBe(2);
    expect(err.join("\n")).toContain("APP_ID");
    expect(err.join("\n")).toContain("PRIVATE_KEY");
  });
});
