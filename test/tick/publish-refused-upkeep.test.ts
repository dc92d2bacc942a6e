/**
 * A response whose publish GitHub refused at a step (`publish_refused`) is left to `/announce publish`
 * by the tick, but only its publish steps are: the rest of the tick's upkeep (a chat message the
 * webhook refused before, the response re-rendered) still happens, since nothing else may visit it.
 */
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordOf } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { CONFIG, tickWorld } from "./tick-world.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => {
  const problems = gh.requests.filter((r) => !r.matched || r.errors.length);
  nock.cleanAll();
  expect(problems).toEqual([]);
});

describe("a response whose publish step GitHub refused", () => {
  it("still gets the tick's other upkeep: a chat message waiting is sent, and no publish step is tried", async () => {
    const sent: string[] = [];
    const env = { SECURITY_SLACK_URL: "https://hooks.slack.example/services/T/B/x" };
    const yaml = `${CONFIG}notify:\n  slack_webhook_env: SECURITY_SLACK_URL\n`;
    const world = await tickWorld(gh, new Date("2026-12-20T12:00:00Z"), {
      state: "fixed",
      publish_steps: { advisory: "2026-12-19T10:00:00.000Z" },
      publish_refused: { step: "changelog", at: "2026-12-19T10:00:00.000Z", status: 422 },
      notify_pending: [{ key: "confirmed", event: { kind: "confirmed", login: "alice" }, tries: 1 }],
    }, yaml, true, env);
    nock("https://hooks.slack.example").post("/services/T/B/x", (b) => (sent.push(JSON.stringify(b)), true)).reply(200, "ok");
    await world.tick();
    await world.tick();
    expect(sent).toHaveLength(1);
    const record = recordOf(world.comments.find((c) => c.id === 555)!.body);
    expect(record.notify_pending).toBeUndefined();
    expect(record.publish_refused).toMatchObject({ step: "changelog", status: 422 });
    expect(record.publish_steps).toEqual({ advisory: "2026-12-19T10:00:00.000Z" });
    expect(gh.requests.filter((r) => r.method !== "GET" && /\/pulls|\/git\/|security-advisories/.test(r.path))).toEqual([]);
  });
});
