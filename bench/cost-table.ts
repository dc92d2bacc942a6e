import { availableParallelism, cpus, totalmem } from "node:os";
import type { CpuResult } from "./measure-cpu.js";
import type { EventCalls, PrCalls } from "./measure-scaling.js";
import type { ThroughputResult } from "./measure-throughput.js";
import { COMMAND_CALLS, LEFT_OUT, MINIMAL_L1, minimalFor, type MinimalCall, type MinimalStep } from "./minimal-calls.js";

/** One L1 step as measured: its name and the operationIds it called ("… (304)" when answered 304). */
export interface L1Step {
  name: string;
  calls: EventCalls;
}

export interface CostResults {
  l1?: L1Step[];
  l1Missing?: string;
  cpu: CpuResult[];
  cpuMissing?: string;
  commands: { comments: number; calls: EventCalls }[];
  prs: { filler: number; members: number; calls: PrCalls }[];
  throughput?: ThroughputResult;
}

const ratio = (a: number, b: number) => (b ? `${(a / b).toFixed(2)}×` : "—");
const meets = (ok: boolean) => (ok ? "yes" : "**no**");
const base = (op: string) => op.replace(/ \(304\)$/, "");

/** Measured minus minimal, as "+n op" and "−n op" (what a reader looks at first). */
function difference(ops: string[], minimal: MinimalStep | undefined): string {
  if (!minimal) return "no minimum written for this step";
  const count = new Map<string, number>();
  for (const op of ops) count.set(base(op), (count.get(base(op)) ?? 0) + 1);
  for (const c of minimal.calls) count.set(c.op, (count.get(c.op) ?? 0) - 1);
  const parts = [...count].filter(([, n]) => n !== 0).map(([op, n]) => `${n > 0 ? "+" : "−"}${Math.abs(n)} ${op}`);
  return parts.join(", ") || "as the minimum";
}

const callsText = (c: EventCalls) => `${c.calls}${c.notModified ? ` (${c.notModified} × 304)` : ""}`;
const problems = (c: EventCalls[]) => c.flatMap((x) => x.errors).slice(0, 3).join("; ");

function l1Rows(r: CostResults, out: string[]): void {
  if (!r.l1) {
    out.push(`| 1 | L1: API calls against the justified minimum | not measured: ${r.l1Missing ?? "not run"} | ≤ 1.1× | — | — | |`);
    return;
  }
  let calls = 0;
  let notModified = 0;
  let minimal = 0;
  for (const step of r.l1) {
    const m = minimalFor(step.name);
    const min = m?.calls.length ?? 0;
    calls += step.calls.calls;
    notModified += step.calls.notModified;
    minimal += min;
    const bad = problems([step.calls]);
    out.push(`| 1 | L1 · ${step.name} | ${callsText(step.calls)} | ${m ? min : "?"} | ${ratio(step.calls.calls, min)} | | ${difference(step.calls.ops, m)}${bad ? `; **${bad}**` : ""} |`);
  }
  const unmatched = MINIMAL_L1.filter((m) => !r.l1!.some((s) => s.name === m.step)).map((m) => m.step);
  const limited = calls - notModified;
  out.push(
    `| 1 | **L1 total** (rate-limited: ${limited}, 304: ${notModified}) | **${calls}** | **${minimal}** | **${ratio(calls, minimal)}** | ≤ 1.1×: ${meets(calls <= 1.1 * minimal)} | ` +
      `rate-limited calls only: ${ratio(limited, minimal)}${unmatched.length ? `; minimum of steps not run: ${unmatched.join(", ")}` : ""} |`,
  );
}

function scalingRow(out: string[], what: string, from: EventCalls, to: EventCalls, labels: [string, string]): void {
  const bad = problems([from, to]);
  out.push(
    `| 3 | ${what}: ${labels[0]} → ${labels[1]} | ${callsText(from)} → ${callsText(to)} | equal | ${ratio(to.calls, from.calls)} | ${meets(to.calls === from.calls)} | ${bad ? `**${bad}**` : ""} |`,
  );
}

const ms = (x: number) => `${x.toFixed(2)} ms`;

/**
 * Measured against the bare app making the app's requests as the app made them (routes and
 * parameters); the older baseline (ready URLs) beside it, so the change of baseline shows.
 */
function cpuRow(c: CpuResult): string {
  const spread = c.windowRatios.length ? `${Math.min(...c.windowRatios).toFixed(2)}–${Math.max(...c.windowRatios).toFixed(2)}×` : "—";
  const window = c.events / Math.max(1, c.windowRatios.length);
  return (
    `| 2 | own CPU per ${c.kind} event, app vs bare Probot app making the same requests the same way (same routes and parameters); ` +
    `${c.warmup.toLocaleString("en")} warm-up + ${c.events.toLocaleString("en")} measured events, each followed by the bare app's | ` +
    `${ms(c.app.own)} | ${ms(c.routes.own)} | ${ratio(c.app.own, c.routes.own)} | ≤ 1.3×: ${meets(c.app.own <= 1.3 * c.routes.own)} | ` +
    `against the bare app making them as ready URLs (the baseline before; on alternate events of the same run): ${ms(c.urls.own)}, ${ratio(c.app.own, c.urls.own)}; ` +
    `ratio per ${window}-event window: ${spread}; the app's own CPU per event over the warm-up, per ${window} events: ${c.curve.map((x) => x.toFixed(2)).join(" → ")} ms; ` +
    `${c.callsPerEvent.toFixed(1)} calls per event; with the in-process GitHub's own CPU: ${ms(c.app.total)} vs ${ms(c.routes.total)} = ${ratio(c.app.total, c.routes.total)} (ready URLs: ${ms(c.urls.total)}) |`
  );
}

/** The one table of `npm run bench`, the machine it ran on, and the minimum's reasons under it. */
export function costReport(r: CostResults): string {
  const out: string[] = [];
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  out.push(
    `## npm run bench — ${new Date().toISOString().slice(0, 10)}, ${availableParallelism()} CPUs (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`,
    "",
    "| # | measure | measured | minimum / baseline | ratio | target | notes |",
    "|---|---|---:|---:|---:|---|---|",
  );
  l1Rows(r, out);
  for (const c of r.cpu) out.push(cpuRow(c));
  if (r.cpuMissing) out.push(`| 2 | own CPU per event against a bare Probot app | not measured: ${r.cpuMissing} | | | ≤ 1.3× | |`);
  const [c1, c2] = r.commands;
  if (c1 && c2) scalingRow(out, "calls per `/triage cvss`", c1.calls, c2.calls, [`${c1.comments} comment`, `${c2.comments.toLocaleString("en")} comments`]);
  const small = r.prs.find((p) => p.filler === Math.min(...r.prs.map((x) => x.filler)) && p.members === Math.min(...r.prs.map((x) => x.members)));
  const manyIssues = r.prs.find((p) => p.filler > (small?.filler ?? 0));
  const manyMembers = r.prs.find((p) => p.members > (small?.members ?? 0));
  if (small && manyIssues) {
    const labels: [string, string] = [`${small.filler}`, `${manyIssues.filler.toLocaleString("en")} issues and PRs`];
    scalingRow(out, "calls per unlinked PR opened", small.calls.unlinkedOpened, manyIssues.calls.unlinkedOpened, labels);
    scalingRow(out, "calls per push to a linked PR", small.calls.linkedPush, manyIssues.calls.linkedPush, labels);
    scalingRow(out, "calls per approval of a linked PR", small.calls.approval, manyIssues.calls.approval, labels);
  }
  if (small && manyMembers) scalingRow(out, "calls per approval", small.calls.approval, manyMembers.calls.approval, [`${small.members}`, `${manyMembers.members.toLocaleString("en")} team members`]);
  const t = r.throughput;
  if (!t) out.push("| 4 | events per second and RSS | not measured in this run | | | | |");
  else {
    out.push(
      `| 4 | events per second, GitHub answered in-process (cycles of a label and 9 triage commands), the app alone over ${t.events.toLocaleString("en")} events | ${Math.round(t.eventsPerSecond)} /s | | | | one event at a time, the in-process GitHub's time included |`,
      `| 4 | the same, ${t.ratioEvents.toLocaleString("en")} events, app vs bare app making the same requests the same way (same routes and parameters), interleaved | ${Math.round(t.pairedEventsPerSecond)} /s | ${Math.round(t.bareEventsPerSecond)} /s | ${ratio(t.bareEventsPerSecond, t.pairedEventsPerSecond)} | | the ratio is the app's time per event over the bare app's |`,
    );
  }
  const mem = (t?.memory ?? []).map((m) => m.after.toLocaleString("en")).join(" → ");
  // Growth between the first checkpoint and the last: the first events also pay the JIT and warm caches.
  const [first, last] = [t?.memory[1] ?? t?.memory[0], t?.memory.at(-1)];
  if (t && first && last) {
    out.push(
      `| 4 | RSS after ${mem} events | ${t.memory.map((m) => m.rss.toFixed(0)).join(" → ")} MB | | ${ratio(last.rss, first.rss)} | | ` +
        `ratio: after ${last.after.toLocaleString("en")} over after ${first.after.toLocaleString("en")}; heap used ${t.memory.map((m) => m.heap.toFixed(0)).join(" → ")} MB (${ratio(last.heap, first.heap)}), external ${t.memory.map((m) => m.external.toFixed(0)).join(" → ")} MB; ${t.gc ? "each after a GC (`--expose-gc`)" : "no `--expose-gc`: without a GC first"}; the app alone; the whole bench process (vitest included) |`,
    );
  }
  out.push("", "### The justified minimum of L1 (bench/minimal-calls.ts; a reason is given once)", "");
  const said = new Set<string>();
  const say = (c: MinimalCall) => {
    const key = `${c.op} ${c.reason}`;
    if (said.has(key)) return `\`${c.op}\``;
    said.add(key);
    return `\`${c.op}\` (${c.why}: ${c.reason})`;
  };
  const leftOut = (step: string) => (LEFT_OUT[step] ? `. Left out: ${LEFT_OUT[step]!.join("; ")}` : "");
  out.push(`- **every step**${leftOut("every step")}`);
  out.push(`- **every command** (${COMMAND_CALLS.length}): ${COMMAND_CALLS.map(say).join("; ")}`);
  for (const m of MINIMAL_L1) {
    const own = m.command ? m.calls.slice(COMMAND_CALLS.length) : m.calls;
    out.push(`- **${m.step}** (${m.calls.length}${m.command ? ` = the command's ${COMMAND_CALLS.length} + ${own.length}` : ""})${own.length ? `: ${own.map(say).join("; ")}` : ""}${leftOut(m.step)}`);
  }
  return out.join("\n");
}
