import { performance } from "node:perf_hooks";
import type { Call, MadeRequest } from "./fake-api.js";
import { bareApp, madeAsApp, sameRequests } from "./bare-app.js";
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
  /** The app alone, over all the events. */
  eventsPerSecond: number;
  /** Over `ratioEvents` events, the app and the bare app making the same requests the same way (the app's routes and parameters), interleaved event by event. */
  ratioEvents: number;
  pairedEventsPerSecond: number;
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

type Event = { id: string; name: string; payload: unknown };

/** Cycles of a security label on a new issue and the 9 triage commands on it, through `one`. */
async function cycles(world: BenchWorld, first: number, total: number, one: (e: Event) => Promise<void>, after: (events: number) => void = () => {}) {
  const api = world.api;
  let event = 0;
  for (let issue = first; event < total; issue++) {
    await one(world.labelEvent(issue));
    event++;
    for (let k = 0; k < COMMANDS.length && event < total; k++, event++) await one(world.commentEvent(issue, COMMANDS[k]!));
    // The fake forgets each issue after its cycle: what grows is the app's (and Probot's) memory.
    api.dropIssue(api.key(SECURITY, issue));
    api.calls.length = 0;
    if (api.unknown.length) throw new Error(`unanswered calls: ${api.unknown.join(", ")}`);
    after(event);
  }
}

/**
 * Events one after the other through one Probot, GitHub answered in-process. First the app alone
 * for `max(checkpoints)` events (its rate, and its memory at each checkpoint); then, on a fresh
 * world, `ratioEvents` events each followed by the bare app making the same requests as the app
 * made them (routes and parameters, as row 2's baseline; the run fails if they differ), so that
 * the machine's speed cancels in the ratio of their rates.
 */
export async function measureThroughput(checkpoints: number[], ratioEvents: number): Promise<ThroughputResult> {
  const total = Math.max(...checkpoints);
  const world = new BenchWorld();
  const alone = (e: Event) => world.receive(e);
  await cycles(world, 1, 10 * (COMMANDS.length + 1), alone);
  const memories = [memory(0)];
  const t0 = performance.now();
  let paused = 0;
  await cycles(world, 1000, total, alone, (event) => {
    const due = checkpoints.filter((at) => at <= event && !memories.some((m) => m.after === at));
    const p0 = performance.now();
    // A checkpoint inside a cycle is read at the cycle's end, a few events later.
    for (const at of due) memories.push(memory(at));
    paused += performance.now() - p0;
  });
  const eventsPerSecond = (total * 1000) / (performance.now() - t0 - paused);

  const paired = new BenchWorld();
  const api = paired.api;
  api.replayable = true;
  api.capture = true;
  let queue: MadeRequest[] = [];
  const bare = fakeProbot(api, bareApp(() => queue));
  const busy = { app: 0, bare: 0 };
  const made = (from: number): Call[] => api.calls.slice(from).filter((c) => !SETUP_OPS.has(c.op));
  const both = async (event: Event) => {
    let from = api.calls.length;
    let t = performance.now();
    await paired.receive(event);
    busy.app += performance.now() - t;
    const app = made(from);
    queue = madeAsApp(app);
    from = api.calls.length;
    t = performance.now();
    await bare.receive({ ...event, id: `${event.id}-bare` } as never);
    busy.bare += performance.now() - t;
    sameRequests("the app's routes", app, made(from));
  };
  await cycles(paired, 1, 10 * (COMMANDS.length + 1), both);
  busy.app = busy.bare = 0;
  await cycles(paired, 1000, ratioEvents, both);
  return {
    events: total,
    eventsPerSecond,
    ratioEvents,
    pairedEventsPerSecond: (ratioEvents * 1000) / busy.app,
    bareEventsPerSecond: (ratioEvents * 1000) / busy.bare,
    memory: memories,
    gc: Boolean(gc),
  };
}
