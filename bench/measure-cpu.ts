import type { Call, FakeApi, MadeRequest } from "./fake-api.js";
import { bareApp, madeAsApp, readyUrl, sameRequests } from "./bare-app.js";
import { BenchWorld, fakeProbot, SECURITY } from "./fake-world.js";

/** Calls any fresh Probot pays once (token, who am I): never replayed, paid by both in the warm-up. */
export const SETUP_OPS = new Set(["apps/create-installation-access-token", "apps/get-authenticated"]);

/**
 * Field commands that each change their field (every third event sets the other value), so every
 * command event writes, as a real one does.
 */
const COMMANDS = [
  "/triage cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
  "/triage cwe CWE-89",
  "/triage summary SQL injection in the login form",
  "/triage cvss CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N",
  "/triage cwe CWE-79",
  "/triage summary Injection through the user name",
];

/** Mean per event, ms: the process's CPU (user + system) minus what the in-process GitHub spent answering, and with it. */
export interface PartyCpu {
  own: number;
  total: number;
}

export interface CpuResult {
  kind: "label" | "command";
  /** Events each party received before the measured ones, and the measured ones. */
  warmup: number;
  events: number;
  app: PartyCpu;
  /** The bare app making the app's requests as the app made them: the same routes and parameters. */
  routes: PartyCpu;
  /** The bare app making the app's requests as ready URLs (the baseline before routes). */
  urls: PartyCpu;
  /** Own CPU, app over bare app with routes, in each measured window: how much the ratio moves within the run. */
  windowRatios: number[];
  callsPerEvent: number;
  /** The app's own CPU per event in each warm-up window, ms: how it fell until it stopped falling. */
  curve: number[];
}

export interface CpuOptions {
  /** Measured events: half with each baseline. */
  events: number;
  window: number;
  minWarmup: number;
  maxWarmup: number;
}

/**
 * Each party is measured warm. V8 compiles a function's optimized code only after it ran hot, on
 * its own threads, which `process.cpuUsage()` counts; the app has far more code than the bare
 * app, so a short warm-up (it was 50 events) mostly measured the app's compilation, a one-time
 * cost for a long-running app. Measured on a 2-CPU machine, the app's own CPU per event falls
 * until about 1,200 (label) to 1,700 (command) events, then stays. The warm-up is at least
 * `minWarmup` events, then goes on a window at a time while the app's own CPU per event over the
 * last two windows is still more than this share below the two before (one window moves by
 * ±5 % on a busy machine: a single one could stop it on a chance dip), up to `maxWarmup`.
 */
const STILL_FALLING = 0.03;

export const CPU_DEFAULTS: CpuOptions = { events: 1200, window: 240, minWarmup: 1200, maxWarmup: 4800 };

const cpuMicros = (c: NodeJS.CpuUsage) => c.user + c.system;

interface EventRun {
  cpu: number;
  answerer: number;
  /** The calls it made, less the once-per-process ones. */
  calls: Call[];
}

async function timed(api: FakeApi, receive: () => Promise<void>): Promise<EventRun> {
  const from = api.calls.length;
  const a0 = api.answererMicros;
  const c0 = process.cpuUsage();
  await receive();
  const cpu = cpuMicros(process.cpuUsage(c0));
  return { cpu, answerer: api.answererMicros - a0, calls: api.calls.slice(from).filter((c) => !SETUP_OPS.has(c.op)) };
}

type Party = "app" | "routes" | "urls";

/** Sums over events, µs. */
interface Sums {
  cpu: number;
  answerer: number;
  events: number;
}

const sums = (): Record<Party, Sums> => ({ app: { cpu: 0, answerer: 0, events: 0 }, routes: { cpu: 0, answerer: 0, events: 0 }, urls: { cpu: 0, answerer: 0, events: 0 } });
const add = (to: Sums, from: Sums | EventRun) => {
  to.cpu += from.cpu;
  to.answerer += from.answerer;
  to.events += "events" in from ? from.events : 1;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Mean per event, ms. */
const own = (s: Sums) => (s.cpu - s.answerer) / 1000 / s.events;
const party = (s: Sums): PartyCpu => ({ own: own(s), total: s.cpu / 1000 / s.events });

/**
 * The embargo app and a bare app on the same in-process GitHub, one event each in turn (the bare
 * app makes the requests the app just made), so drift (JIT, GC, the machine) weighs on both
 * alike. On every other event the bare app makes them as the app made them (routes), on the
 * others as ready URLs (urls): both baselines are measured in the same run, each right after the
 * app as the one baseline used to be, on the same mix of events. Label events open a new issue
 * each; command events run on one issue whose command comments are removed after each event, so
 * the issue stays the same size.
 */
export async function measureCpu(kind: "label" | "command", options: Partial<CpuOptions> = {}): Promise<CpuResult> {
  const { events, window, minWarmup, maxWarmup } = { ...CPU_DEFAULTS, ...options };
  const block = COMMANDS.length;
  if (window % (2 * block) || events % window || minWarmup % window || maxWarmup % window) {
    throw new Error(`measureCpu: the window must hold whole pairs of rounds of commands (${2 * block} events), and events and warm-up bounds whole windows`);
  }
  const world = new BenchWorld();
  const api = world.api;
  api.replayable = true;
  api.capture = true;
  let queue: MadeRequest[] = [];
  const bare = fakeProbot(api, bareApp(() => queue));
  if (kind === "command") await world.receive(world.labelEvent(7));
  const total = sums();
  let win = sums();
  let calls = 0;
  const curve: number[] = [];
  const windowRatios: number[] = [];
  let warmup: number | undefined;
  for (let i = 0; warmup === undefined || i < warmup + events; i++) {
    const n = 1000 + i;
    const event = kind === "label" ? world.labelEvent(n) : world.commentEvent(7, COMMANDS[i % block]!);
    const app = await timed(api, () => world.receive(event));
    // Every other event, shifted by one each round of COMMANDS, so each baseline gets every command.
    const who = (i + Math.floor(i / block)) % 2 ? "urls" : "routes";
    queue = who === "routes" ? madeAsApp(app.calls) : app.calls.map((c) => readyUrl(c.replay!));
    const ran = await timed(api, () => bare.receive({ ...event, id: `${event.id}-bare` } as never));
    sameRequests(who === "routes" ? "the app's routes" : "ready URLs", app.calls, ran.calls);
    if (kind === "label") api.dropIssue(api.key(SECURITY, n));
    else api.deleteComment(event.payload.comment.id);
    api.calls.length = 0;
    add(win.app, app);
    add(win[who], ran);
    if (warmup !== undefined) calls += app.calls.length;
    if ((i + 1) % window !== 0) continue;
    if (warmup === undefined) {
      curve.push(own(win.app));
      const [recent, before] = [mean(curve.slice(-2)), mean(curve.slice(-4, -2))];
      if (i + 1 >= maxWarmup || (i + 1 >= minWarmup && curve.length >= 4 && recent >= before * (1 - STILL_FALLING))) warmup = i + 1;
    } else {
      windowRatios.push(own(win.app) / own(win.routes));
      for (const p of ["app", "routes", "urls"] as const) add(total[p], win[p]);
    }
    win = sums();
  }
  return {
    kind,
    warmup: warmup!,
    events,
    app: party(total.app),
    routes: party(total.routes),
    urls: party(total.urls),
    windowRatios,
    callsPerEvent: calls / events,
    curve,
  };
}
