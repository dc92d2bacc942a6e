import type { Replay } from "./fake-api.js";
import { bareApp } from "./bare-app.js";
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

export interface CpuResult {
  kind: "label" | "command";
  events: number;
  /** Mean per event, ms: the process's CPU (user + system) minus what the in-process GitHub spent answering. */
  appOwn: number;
  bareOwn: number;
  /** Mean per event, ms, the answerer included. */
  appTotal: number;
  bareTotal: number;
  callsPerEvent: number;
}

const cpuMicros = (c: NodeJS.CpuUsage) => c.user + c.system;

/**
 * The embargo app and the bare app on the same in-process GitHub, one event each in turn (the
 * bare app replays the requests the app just made), so drift (JIT, GC, the machine) weighs on
 * both alike. Label events open a new issue each; command events run on one issue whose command
 * comments are removed after each event, so the issue stays the same size.
 */
export async function measureCpu(kind: "label" | "command", events: number, warmup = 50): Promise<CpuResult> {
  const world = new BenchWorld();
  const api = world.api;
  api.replayable = true;
  let queue: Replay[] = [];
  const bare = fakeProbot(api, bareApp(() => queue));
  if (kind === "command") await world.receive(world.labelEvent(7));
  const sum = { app: 0, bare: 0, appAns: 0, bareAns: 0, calls: 0 };
  for (let i = 0; i < warmup + events; i++) {
    const n = 1000 + i;
    const event = kind === "label" ? world.labelEvent(n) : world.commentEvent(7, COMMANDS[i % COMMANDS.length]!);
    const from = api.calls.length;
    let a0 = api.answererMicros;
    let c0 = process.cpuUsage();
    await world.receive(event);
    const app = cpuMicros(process.cpuUsage(c0));
    const appAns = api.answererMicros - a0;
    const made = api.calls.slice(from).filter((c) => !SETUP_OPS.has(c.op));
    queue = made.map((c) => c.replay!);
    const again = { ...event, id: `${event.id}-bare` };
    a0 = api.answererMicros;
    c0 = process.cpuUsage();
    await bare.receive(again as never);
    const bareCpu = cpuMicros(process.cpuUsage(c0));
    const bareAns = api.answererMicros - a0;
    if (kind === "label") api.dropIssue(api.key(SECURITY, n));
    else api.deleteComment(event.payload.comment.id);
    api.calls.length = 0;
    if (i < warmup) continue;
    sum.app += app;
    sum.bare += bareCpu;
    sum.appAns += appAns;
    sum.bareAns += bareAns;
    sum.calls += made.length;
  }
  const ms = (micros: number) => micros / 1000 / events;
  return {
    kind,
    events,
    appOwn: ms(sum.app - sum.appAns),
    bareOwn: ms(sum.bare - sum.bareAns),
    appTotal: ms(sum.app),
    bareTotal: ms(sum.bare),
    callsPerEvent: sum.calls / events,
  };
}
