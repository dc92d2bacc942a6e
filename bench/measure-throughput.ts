import { performance } from "node:perf_hooks";
import type { Replay } from "./fake-api.js";
import { bareApp } from "./bare-app.js";
import { BenchWorld, fakeProbot, SECURITY } from "./fake-world.js";
import { SETUP_OPS } from "./measure-cpu.js";

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
  /** The bare app making the same requests, interleaved event by event. */
  bareEventsPerSecond: number;
  /** Memory in MB before the first counted event (after the warm-up) and after each checkpoint, after a GC when `--expose-gc` is on. */
  memory: { after: number; rss: number; heap: number; external: number }[];
  gc: boolean;
}

const gc = (globalThis as { gc?: () => void }).gc;

function memory(after: number): ThroughputResult["memory"][number] {
  gc?.();
  const m = process.memoryUsage();
  return { after, rss: m.rss / 2 ** 20, heap: m.heapUsed / 2 ** 20, external: m.external / 2 ** 20 };
}

/**
 * Events one after the other through one Probot, GitHub answered in-process: cycles of a security
 * label on a new issue and the 9 triage commands on it, each followed by the bare app making the
 * same requests (its events per second are the baseline the machine's speed cancels against).
 * The fake forgets each issue after its cycle, so what grows is the app's (and Probot's) memory.
 */
export async function measureThroughput(checkpoints: number[]): Promise<ThroughputResult> {
  const world = new BenchWorld();
  const api = world.api;
  api.replayable = true;
  let queue: Replay[] = [];
  const bare = fakeProbot(api, bareApp(() => queue));
  const total = Math.max(...checkpoints);
  const busy = { app: 0, bare: 0 };
  const one = async (event: { id: string; name: string; payload: unknown }) => {
    const from = api.calls.length;
    let t0 = performance.now();
    await world.receive(event);
    busy.app += performance.now() - t0;
    queue = api.calls.slice(from).flatMap((c) => (SETUP_OPS.has(c.op) ? [] : [c.replay!]));
    t0 = performance.now();
    await bare.receive({ ...event, id: `${event.id}-bare` } as never);
    busy.bare += performance.now() - t0;
  };
  const cycle = async (issue: number, events: number) => {
    await one(world.labelEvent(issue));
    for (let k = 0; k < COMMANDS.length && k + 1 < events; k++) await one(world.commentEvent(issue, COMMANDS[k]!));
    api.dropIssue(api.key(SECURITY, issue));
    api.calls.length = 0;
    if (api.unknown.length) throw new Error(`unanswered calls: ${api.unknown.join(", ")}`);
    return Math.min(events, COMMANDS.length + 1);
  };
  // Warm-up: the tokens, the app's identity, the JIT.
  for (let issue = 1; issue <= 10; issue++) await cycle(issue, COMMANDS.length + 1);
  busy.app = busy.bare = 0;
  const memories = [memory(0)];
  let event = 0;
  for (let issue = 100; event < total; issue++) {
    event += await cycle(issue, total - event);
    for (const at of checkpoints) if (event >= at && !memories.some((m) => m.after === at)) memories.push(memory(at));
  }
  return { events: total, eventsPerSecond: (total * 1000) / busy.app, bareEventsPerSecond: (total * 1000) / busy.bare, memory: memories, gc: Boolean(gc) };
}
