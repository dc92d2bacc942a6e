/**
 * A create GitHub made but answered 502 (its answer lost), with Probot's retries ON as in
 * production: the app never makes the object twice. Without that, @octokit/plugin-retry sends
 * the POST again and GitHub holds two response comments (the team's later work lands in one, a
 * restart's listing picks the other), two replies, two packs, two issues.
 */
import { beforeAll, expect, it } from "vitest";
import { PACK_MARKER } from "../../src/announce/pack.js";
import { DASHBOARD_MARKER } from "../../src/dashboard/dashboard-index.js";
import { CONFIG_ERROR_MARKER, REPLY_MARKER_PREFIX, RESPONSE_MARKER } from "../../src/record/markers.js";
import type { Fault, FaultRequest } from "../lifecycle/lifecycle-github.js";
import { ISSUE, l1World, runL1, SECURITY, START, type EndState, type L1World } from "../lifecycle/lifecycle-l1.js";
import { BOT_LOGIN } from "../sweep/fake-json.js";
import { commentEvent, subscribedExamples } from "../sweep/sweep-world.js";

const BAD_GATEWAY: Fault = { kind: "status", status: 502, body: { message: "Server Error" }, applied: true };
const text = (r: FaultRequest) => (typeof r.body === "string" ? r.body : JSON.stringify(r.body ?? ""));

/** 502 (or `fault`) to the first POST that `match`es, after GitHub made it. */
function lostAnswer(match: (r: FaultRequest) => boolean, fault: Fault = BAD_GATEWAY) {
  let done = false;
  return (r: FaultRequest): Fault | undefined => {
    if (done || r.method !== "POST" || !match(r)) return undefined;
    done = true;
    return fault;
  };
}

const created = () => subscribedExamples().find((e) => e.label === "issue_comment.created #1")!.payload;

/** The label, /triage confirm and cvss, then `/help` (answered with a reply). */
function replyWorld(options: Parameters<typeof l1World>[0] = {}): L1World {
  const w = l1World(options);
  w.steps = w.steps.slice(0, 3);
  w.steps.push({ name: "help", at: START, act: () => ({ id: "help", name: "issue_comment", payload: commentEvent(created(), w.fake, SECURITY, ISSUE, "/help", "alice") }) });
  return w;
}

const own = (w: L1World, number: number, marker: string) => w.fake.comments(SECURITY, number).filter((c) => c.login === BOT_LOGIN && c.body.includes(marker));
const ownIssues = (w: L1World, marker: string) => [...w.fake.repo(SECURITY).issues.values()].filter((i) => i.author === BOT_LOGIN && i.body.includes(marker));

let clean: EndState;
let cleanReplies: EndState;
let cleanDashboard: EndState;
beforeAll(async () => {
  const states: EndState[] = [];
  // One at a time: nock's interceptors are process-wide.
  for (const make of [() => l1World(), () => replyWorld(), () => l1World({ app: { dashboard: true } })]) {
    const w = make();
    states.push((await runL1(w)).state);
    w.gh.done();
  }
  [clean, cleanReplies, cleanDashboard] = states as [EndState, EndState, EndState];
});

/** Runs `w` with no redelivery (a failed event fails the test) and checks the fault was met, once. */
async function run(w: L1World) {
  const { state } = await runL1(w);
  expect(w.fake.log.filter((l) => l.fault)).toHaveLength(1);
  w.gh.done();
  return state;
}

it("the response comment: one on the issue, and every later event writes to it", async () => {
  const w = l1World({ retries: true });
  w.fake.fault = lostAnswer((r) => r.path === `/repos/${SECURITY}/issues/${ISSUE}/comments` && text(r).includes(RESPONSE_MARKER));
  const state = await run(w);
  expect(own(w, ISSUE, RESPONSE_MARKER)).toHaveLength(1);
  // Every command, the PR's link, the announce and the publish reached that one comment.
  expect(state).toEqual(clean);
});

it("the response comment, the connection reset after GitHub made it: one on the issue", async () => {
  const w = l1World({ retries: true });
  w.fake.fault = lostAnswer((r) => r.path === `/repos/${SECURITY}/issues/${ISSUE}/comments` && text(r).includes(RESPONSE_MARKER), { kind: "reset", applied: true });
  const state = await run(w);
  expect(own(w, ISSUE, RESPONSE_MARKER)).toHaveLength(1);
  expect(state).toEqual(clean);
});

it("a reply: posted once", async () => {
  const w = replyWorld({ retries: true });
  w.fake.fault = lostAnswer((r) => r.delivery === "help" && r.path.endsWith("/comments") && text(r).includes(REPLY_MARKER_PREFIX));
  const state = await run(w);
  expect(state).toEqual(cleanReplies);
});

it("the announcement pack: one comment", async () => {
  const w = l1World({ retries: true });
  w.fake.fault = lostAnswer((r) => text(r).includes(PACK_MARKER));
  const state = await run(w);
  expect(own(w, ISSUE, PACK_MARKER)).toHaveLength(1);
  expect(state).toEqual(clean);
});

it("the process-review issue: opened once", async () => {
  const w = l1World({ retries: true });
  w.fake.fault = lostAnswer((r) => r.path === `/repos/${SECURITY}/issues` && text(r).includes("embargo:process-review"));
  const state = await run(w);
  expect(ownIssues(w, "embargo:process-review")).toHaveLength(1);
  expect(state).toEqual(clean);
});

it("the dashboard issue: opened once, and kept up to date", async () => {
  const w = l1World({ retries: true, app: { dashboard: true } });
  w.fake.fault = lostAnswer((r) => r.path === `/repos/${SECURITY}/issues` && text(r).includes(DASHBOARD_MARKER));
  const state = await run(w);
  expect(ownIssues(w, DASHBOARD_MARKER)).toHaveLength(1);
  expect(state).toEqual(cleanDashboard);
});

it("the config-problem comment: posted once", async () => {
  const w = l1World({ retries: true });
  w.fake.repo(SECURITY).config = "colour: red\n";
  w.steps = w.steps.slice(0, 1);
  w.fake.fault = lostAnswer((r) => text(r).includes(CONFIG_ERROR_MARKER));
  await run(w);
  expect(own(w, ISSUE, CONFIG_ERROR_MARKER)).toHaveLength(1);
  expect(own(w, ISSUE, CONFIG_ERROR_MARKER)[0]!.body).toContain("`colour` is not a known key");
});
