import { BOT_LOGIN, type Call } from "./fake-api.js";
import { BenchWorld, PRODUCT, SECURITY, type WorldOptions } from "./fake-world.js";
import { SETUP_OPS } from "./measure-cpu.js";

/** The calls of one event: how many, how many answered 304, by operationId, and any request GitHub would reject. */
export interface EventCalls {
  calls: number;
  notModified: number;
  ops: string[];
  errors: string[];
}

export function countCalls(calls: Call[]): EventCalls {
  const counted = calls.filter((c) => !SETUP_OPS.has(c.op));
  return {
    calls: counted.length,
    notModified: counted.filter((c) => c.status === 304).length,
    ops: counted.map((c) => (c.status === 304 ? `${c.op} (304)` : c.op)),
    errors: counted.flatMap((c) => c.errors.map((e) => `${c.method} ${c.path}: ${e}`)),
  };
}

async function counted(world: BenchWorld, event: { id: string; name: string; payload: unknown }): Promise<EventCalls> {
  const from = world.api.calls.length;
  await world.receive(event);
  return countCalls(world.api.calls.slice(from));
}

/** Labelled, confirmed, component set, one triage command already run (the response is known). */
async function triaged(options: WorldOptions): Promise<BenchWorld> {
  const world = new BenchWorld({ validate: true, ...options });
  await world.receive(world.labelEvent(7));
  for (const text of ["/triage confirm", "/triage component api"]) await world.receive(world.commentEvent(7, text));
  return world;
}

/** `/triage cvss …` on an issue with `comments` comments (the response first), after one warm-up command. */
export async function commandCalls(comments: number): Promise<EventCalls> {
  const world = await triaged({});
  const key = `${SECURITY}#7`;
  // The set-up's commands go (as if deleted by their authors): the issue holds the response and fillers.
  for (const c of world.api.commentsOn(key).filter((c) => c.user !== BOT_LOGIN)) world.api.deleteComment(c.id);
  for (let i = world.api.commentsOn(key).length; i < comments; i++) world.api.addComment(key, `comment ${i}: seen in the logs too`, `user${i % 7}`);
  const measured = await counted(world, world.commentEvent(7, "/triage cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
  if (world.api.unknown.length) measured.errors.push(`unanswered: ${world.api.unknown.join(", ")}`);
  return measured;
}

export interface PrCalls {
  unlinkedOpened: EventCalls;
  linkedPush: EventCalls;
  approval: EventCalls;
}

/**
 * PR events with `filler` issues and PRs in each repo and `members` people in the team: an
 * unlinked PR opened; then the fix PR linked by `/triage pr`, a push to it, an approval.
 */
export async function prCalls(filler: number, members: number): Promise<PrCalls> {
  const world = await triaged({ filler, extraMembers: members - 2 });
  const unlinkedOpened = await counted(world, world.prEvent("opened", { number: 43 }));
  await world.receive(world.prEvent("opened"));
  await world.receive(world.commentEvent(7, `/triage pr ${PRODUCT}#42`));
  const { before } = world.push();
  const linkedPush = await counted(world, world.prEvent("synchronize", { before }));
  const approval = await counted(world, world.reviewEvent("sec1"));
  if (world.api.unknown.length) approval.errors.push(`unanswered: ${world.api.unknown.join(", ")}`);
  return { unlinkedOpened, linkedPush, approval };
}
