/**
 * Commands whose effects go beyond the record (a reply, an assignee GitHub drops, help, a close
 * with a reply to the reporter) under 25 % failing calls, half the failed writes done by GitHub
 * before the answer was lost, each failed delivery redelivered: every reply is there once and the
 * issue is closed, exactly as without faults.
 */
import { beforeAll, expect, it } from "vitest";
import { mockGitHub } from "../helpers/github-api.js";
import { ISSUE, l1World, runL1, SECURITY, START, type EndState, type L1World } from "../lifecycle/lifecycle-l1.js";
import { commentEvent, subscribedExamples } from "../sweep/sweep-world.js";
import { randomFaults } from "./fault-world.js";

const COMMANDS = ["/triage status", "/triage assign @nobody-here", "/triage cwe not-a-cwe", "/help", "/triage invalid duplicate of #3"];
const created = () => subscribedExamples().find((e) => e.label === "issue_comment.created #1")!.payload;

/** The label, /triage confirm and cvss, then the commands above, one comment each. */
function world(): L1World {
  const w = l1World({ gh: mockGitHub() });
  w.steps = w.steps.slice(0, 3);
  for (const c of COMMANDS) w.steps.push({ name: c, at: START, act: () => ({ id: c, name: "issue_comment", payload: commentEvent(created(), w.fake, SECURITY, ISSUE, c, "alice") }) });
  return w;
}

let clean: EndState;
beforeAll(async () => {
  const w = world();
  clean = (await runL1(w)).state;
  w.gh.done();
  const bot = clean.comments[`${SECURITY}#${ISSUE}`]!.filter((c) => c.startsWith("embargo[bot]: "));
  expect(bot).toHaveLength(6); // the response and one reply per command (assign: two)
  expect(clean.issues.find((i) => i.key === `${SECURITY}#${ISSUE}`)).toMatchObject({ state: "closed", state_reason: "not_planned" });
});

for (const seed of [100, 101, 103, 106, 112]) {
  it(`seed ${seed}: every reply once, the close done, as without faults`, async () => {
    const w = world();
    w.fake.fault = randomFaults(seed, 0.25, { applied: 0.5 });
    const { steps, state } = await runL1(w, { attempts: 60 });
    expect(steps.some((s) => s.deliveries > 1)).toBe(true);
    expect(state).toEqual(clean);
    w.gh.done();
  });
}
