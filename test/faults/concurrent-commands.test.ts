/**
 * Issue 14: 10 commands on one issue, their 10 comments delivered at the same time: every one is
 * applied (no lost update of the response record), each once.
 */
import { expect, it } from "vitest";
import { commentEvent, subscribedExamples } from "../sweep/sweep-world.js";
import { CVSS, ISSUE, l1World, runL1, SECURITY, SUMMARY } from "../lifecycle/lifecycle-l1.js";
import { endState } from "../lifecycle/end-state.js";
import { ranOf } from "../../src/record/ran.js";

const COMMANDS = [
  "/triage confirm",
  `/triage cvss ${CVSS}`,
  "/triage component api",
  "/triage affects npm/widget >=1.0.0,<1.3.1",
  "/triage fixed npm/widget 1.3.1",
  "/triage cwe CWE-89",
  `/triage summary ${SUMMARY}`,
  "/triage credit @reporter finder",
  "/triage description The user name reaches the SQL query unescaped.",
  "/triage mitigation Put the login form behind the VPN.",
];

it("10 commands delivered at once on one issue: all 10 applied, each once", async () => {
  const w = l1World();
  w.steps = w.steps.slice(0, 1); // the label: the response exists
  await runL1(w);
  const created = subscribedExamples().find((e) => e.label === "issue_comment.created #1")!.payload;
  const deliveries = COMMANDS.map((text, i) => ({ id: `concurrent-${i}`, name: "issue_comment", payload: commentEvent(created, w.fake, SECURITY, ISSUE, text, "alice") }));
  const failures = await Promise.all(deliveries.map((d) => w.deliver(d)));
  expect(failures).toEqual(COMMANDS.map(() => undefined));

  const { record, comments } = endState(w.fake);
  expect(record).toMatchObject({
    state: "confirmed",
    severity: "critical",
    cvss: { vector: CVSS },
    components: ["api"],
    affected: [{ ecosystem: "npm", package: "widget", range: ">= 1.0.0, < 1.3.1" }],
    fixed: [{ ecosystem: "npm", package: "widget", version: "1.3.1" }],
    cwes: ["CWE-89"],
    summary: SUMMARY,
    credits: [{ login: "reporter", type: "finder" }],
    description: "The user name reaches the SQL query unescaped.",
  });
  expect(record!.mitigations).toHaveLength(1);
  // Each comment remembered as ran, once; no reply says something failed.
  const keys = deliveries.map((d) => String(d.payload.comment.id));
  expect([...ranOf(record!.ran).keys()].sort()).toEqual(keys.sort());
  const bot = comments[`${SECURITY}#${ISSUE}`]!.filter((c) => c.startsWith("embargo[bot]: "));
  expect(bot).toHaveLength(1); // the response comment, and no error reply
  // The same 10 again (a redelivery of all of them at once) changes nothing.
  const before = endState(w.fake);
  expect(await Promise.all(deliveries.map((d) => w.deliver(d)))).toEqual(COMMANDS.map(() => undefined));
  expect(endState(w.fake)).toEqual(before);
  w.gh.done();
});
