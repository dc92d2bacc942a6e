import { performance } from "node:perf_hooks";
import { BenchWorld, SECURITY } from "./fake-world.js";

const COMMANDS = [
  "/triage confirm",
  "/triage cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
  "/triage component api",
  "/triage cwe CWE-89",
  "/triage summary SQL injection in the login form",
  "/triage description The user name reaches the SQL text unescaped.",
  "/triage affects npm/product >=1.0.0,<1.4.2",
  "/triage fixed npm/product 1.4.2",
  "/triage credit @reporter finder",
];

export interface ThroughputResult {
  events: number;
  eventsPerSecond: number;
  /** RSS in MB after each checkpoint (after a GC when `--expose-gc` is on). */
  rss: { after: number; mb: number }[];
  gc: boolean;
}

const gc = (globalThis as { gc?: () => void }).gc;

function rssMb(): number {
  gc?.();
  return process.memoryUsage().rss / 1024 / 1024;
}

/**
 * Events one after the other through one Probot, GitHub answered in-process: cycles of a security
 * label on a new issue and the 9 triage commands on it. The fake forgets each issue after its
 * cycle, so what grows is the app's (and Probot's) memory, not the fake's.
 */
export async function measureThroughput(checkpoints: number[]): Promise<ThroughputResult> {
  const world = new BenchWorld();
  const api = world.api;
  const total = Math.max(...checkpoints);
  const rss: ThroughputResult["rss"] = [];
  // Warm-up: the token, the app's identity, the JIT.
  await world.receive(world.labelEvent(1));
  for (const text of COMMANDS) await world.receive(world.commentEvent(1, text));
  api.dropIssue(api.key(SECURITY, 1));
  let busy = 0;
  let event = 0;
  for (let issue = 100; event < total; issue++) {
    const t0 = performance.now();
    await world.receive(world.labelEvent(issue));
    event++;
    for (let k = 0; k < COMMANDS.length && event < total; k++, event++) await world.receive(world.commentEvent(issue, COMMANDS[k]!));
    busy += performance.now() - t0;
    api.dropIssue(api.key(SECURITY, issue));
    api.calls.length = 0;
    if (api.unknown.length) throw new Error(`unanswered calls: ${api.unknown.join(", ")}`);
    for (const at of checkpoints) if (event >= at && !rss.some((r) => r.after === at)) rss.push({ after: at, mb: rssMb() });
  }
  return { events: total, eventsPerSecond: (total * 1000) / busy, rss, gc: Boolean(gc) };
}
