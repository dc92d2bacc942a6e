/**
 * Issue 14: 10,000 generated command lines (fast-check). None crashes the decider; a line that
 * fails changes nothing (record, labels, assignees, close, follow-up work; a line refused for the
 * response's state is only remembered as run) and gets a reply that
 * quotes it and says what was wrong (with the usage when the command exists); every command line
 * is either applied or answered. A sample goes through probot.receive against the lifecycle's
 * GitHub, where a failed line must leave the response as it was and answer in the issue.
 */
import fc from "fast-check";
import Handlebars from "handlebars";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { decideCommands } from "../../src/commands/decide-commands.js";
import { parseCommands } from "../../src/commands/parse-commands.js";
import { validateConfig } from "../../src/config/load-config.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { neutralize } from "../../src/render/neutralize.js";
import { renderTemplate } from "../../src/render/templates.js";
import { readyRecord } from "../announce/world.js";
import { commentEvent, subscribedExamples } from "../sweep/sweep-world.js";
import { endState } from "../lifecycle/end-state.js";
import { ISSUE, l1World, runL1, SECURITY, SECURITY_YAML, START } from "../lifecycle/lifecycle-l1.js";
import { ranOf } from "../../src/record/ran.js";

const parsed = validateConfig(parseYaml(SECURITY_YAML));
if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
const config = parsed.config;

const SUBS = ["confirm", "cvss", "component", "affects", "fixed", "cwe", "summary", "credit", "description", "mitigation", "severity", "embargo", "cve", "pr", "invalid", "no-action", "owner", "assign", "ticket", "upstream", "reproduced", "upgrade", "breach", "status", "help", "publish", "preview", "Confirm", "bogus", "cwe:79", ""];
const ARGS = [
  "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
  "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N",
  "CVSS:3.1/AV:X",
  "CWE-79",
  "CWE-",
  "npm/widget >=1.0.0,<1.3.1",
  "npm/widget 1.3.1",
  "maven/org.example:x [1.0,2.0)",
  "@reporter finder",
  "@acme/sec",
  "<!-- embargo:response -->",
  "acme/product#42",
  "https://example.org/ticket/1",
  "2026-12-01",
  "2019-13-45",
  "critical",
  "--force because the reporter agreed",
  "`code` **bold** | pipe",
  "api",
  "x".repeat(2100),
];
const oneLine = (s: string) => s.replace(/[\r\n]+/g, " ");
const word = fc.constantFrom(...SUBS);
const arg = fc.oneof(fc.constantFrom(...ARGS), fc.string({ maxLength: 60 }).map(oneLine), fc.string({ maxLength: 40, unit: "binary" }).map(oneLine), fc.array(fc.constantFrom(...ARGS), { maxLength: 3 }).map((a) => a.join(" ")));
/** Lines that are commands: a group, a (mostly known) sub-command, arguments of every shape. */
const commandLine = fc.tuple(fc.constantFrom("/triage", "/TRIAGE", "/announce", "/help", "/triage  "), word, arg, fc.constantFrom(" ", "\t", "")).map(([g, w, a, sep]) => `${g} ${w}${sep}${a}`.trimEnd());
/** And lines that only look like one, or are nothing at all. */
const anyLine = fc.oneof({ weight: 8, arbitrary: commandLine }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((s) => `/${oneLine(s)}`) }, { weight: 1, arbitrary: fc.string({ maxLength: 50 }).map(oneLine) });

const NOW = START;
const RECORDS: [string, ResponseRecord][] = [
  ["triage", newRecord(new Date("2026-11-20T09:30:00Z"), NOW)],
  ["fixed", readyRecord({ components: ["api"] })],
  ["announced", readyRecord({ components: ["api"], state: "announced" })],
];

const quoted = (text: string) => Handlebars.Utils.escapeExpression(neutralize(text.slice(0, 300)));

describe("10,000 generated command lines through the decider", () => {
  it("no crash; a failed line changes nothing and is answered with the line and what was wrong", async () => {
    let failedLines = 0;
    let appliedLines = 0;
    let notCommands = 0;
    let rememberedLines = 0;
    const renders: Promise<void>[] = [];
    fc.assert(
      fc.property(anyLine, fc.constantFrom(...RECORDS), (text, [, record]) => {
        const lines = parseCommands(text);
        if (!lines.length) {
          notCommands++;
          return;
        }
        const labels = ["security", "security: triage"];
        const d = decideCommands({ lines, record, commentKey: "5000", labels, config, now: NOW, actor: "alice", reporter: "reporter" });
        const ran = new Set(ranOf(d.record.ran).get("5000") ?? []);
        for (const line of lines) {
          const failure = d.failures.find((f) => f.line.hash === line.hash);
          // Applied, or answered; answered and counted as run when refused for the response's state (`again`).
          expect(failure ? Boolean(failure.again) === ran.has(line.hash) : ran.has(line.hash), `applied or answered: ${line.text}`).toBe(true);
          if (failure?.again) rememberedLines++;
          if (failure) failedLines++;
          else appliedLines++;
        }
        if (d.failures.length === lines.length) {
          // Nothing changed but the memory of the lines refused for the response's state.
          expect({ ...d.record, ran: undefined }).toEqual({ ...record, ran: undefined });
          expect(ran).toEqual(new Set(d.failures.filter((f) => f.again).map((f) => f.line.hash)));
          expect(d.followUps).toEqual([]);
          expect(d.assign).toEqual([]);
          expect(d.close).toBeUndefined();
          const unchanged = decideCommands({ lines: [], record, commentKey: "5000", labels, config, now: NOW, actor: "alice", reporter: "reporter" }).labels;
          expect(d.labels).toEqual(unchanged);
        }
        if (d.failures.length) {
          const reply = d.replies.find((r) => r.template === "command-errors")!;
          expect(reply).toBeDefined();
          renders.push(
            renderTemplate("command-errors", reply.view!).then(({ text: body }) => {
              for (const f of d.failures.slice(0, 20)) {
                expect(body).toContain(`> ${quoted(f.line.text)}`);
                if (f.usage) expect(body).toContain(`Usage: \`${f.usage}\``);
              }
              // No ping outside code spans (where GitHub does not link mentions).
              expect(body.replace(/`[^`\n]*`/g, "")).not.toMatch(/(^|[^\w@\u200b])@[A-Za-z0-9]/);
            }),
          );
        }
      }),
      { numRuns: 10_000, seed: 1414 },
    );
    await Promise.all(renders);
    // The generator reaches every outcome.
    expect(failedLines).toBeGreaterThan(1000);
    expect(appliedLines).toBeGreaterThan(200);
    expect(notCommands).toBeGreaterThan(100);
    expect(rememberedLines).toBeGreaterThan(0);
  });
});

describe("a sample through probot.receive", () => {
  it("a failed line leaves the response and labels as they were and is answered in the issue", async () => {
    const w = l1World();
    w.steps = w.steps.slice(0, 3); // the response, confirmed and scored
    await runL1(w);
    const created = subscribedExamples().find((e) => e.label === "issue_comment.created #1")!.payload;
    const sample = fc.sample(commandLine, { numRuns: 60, seed: 1414 });
    let failedComments = 0;
    for (const [i, text] of sample.entries()) {
      const before = endState(w.fake);
      const lines = parseCommands(text);
      const predicted = decideCommands({ lines, record: before.record!, commentKey: "x", labels: before.labels[`${SECURITY}#${ISSUE}`]!, config, now: NOW, actor: "alice", reporter: "reporter" });
      const payload = commentEvent(created, w.fake, SECURITY, ISSUE, text, "alice");
      expect(await w.deliver({ id: `generated-${i}`, name: "issue_comment", payload }), text).toBeUndefined();
      const after = endState(w.fake);
      if (lines.length && predicted.failures.length === lines.length) {
        failedComments++;
        // A line refused for the response's state is remembered as run: only `ran` may change.
        expect({ ...after.record, ran: undefined }, text).toEqual({ ...before.record, ran: undefined });
        if (!predicted.failures.some((f) => f.again)) expect(after.record, text).toEqual(before.record);
        expect(after.labels).toEqual(before.labels);
        expect(after.issues).toEqual(before.issues);
        const reply = after.comments[`${SECURITY}#${ISSUE}`]!.at(-1)!;
        expect(reply, text).toMatch(/^embargo\[bot\]: Some commands were not applied/);
        expect(reply).toContain(`> ${quoted(lines[0]!.text)}`);
      }
    }
    expect(failedComments).toBeGreaterThan(10);
    expect(w.fake.unknown).toEqual([]);
    w.gh.done();
  });
});
