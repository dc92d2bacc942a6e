import { ranOf } from "../record/ran.js";
import { forgottenFloor, RAN_COMMENTS_KEPT, RAN_HASHES_KEPT } from "../record/record-budget.js";
import type { ResponseRecord } from "../record/response-record.js";
import type { CommandLine } from "./parse-commands.js";

/**
 * The record remembering `hashes` for one comment; the oldest comments are forgotten first, and
 * the newest of them is kept as `ran_floor`: an event of a comment no newer than it (an edit of an
 * old comment, a late redelivery) must not run again what that comment ran (`retireForgotten`).
 */
export function rememberRan(record: ResponseRecord, commentKey: string, hashes: readonly string[]): ResponseRecord {
  const next = remember(record, commentKey, hashes);
  const after = ranOf(next.ran);
  const floor = forgottenFloor(ranOf(record.ran), after, commentKey);
  // Its own lines forgotten at once (a comment older than every one remembered): forgotten too.
  const own = hashes.length && !after.has(commentKey) ? Number(commentKey) : undefined;
  return withFloor(next, own !== undefined && Number.isSafeInteger(own) && own > (floor ?? 0) ? own : floor);
}

export function withFloor(record: ResponseRecord, floor: number | undefined): ResponseRecord {
  return floor === undefined || (record.ran_floor ?? 0) >= floor ? record : { ...record, ran_floor: floor };
}

/**
 * A comment no newer than the newest one the memory forgot, and not remembered now: what it ran
 * is not known. The lines it held before this event (an edit's `before`; all of them for its
 * `created`, redelivered) are not run again, so they cannot set back what newer comments did
 * (remembering them would not last: the memory forgets its oldest comment first); lines an edit
 * adds still run.
 */
export function forgottenLines(record: ResponseRecord, commentKey: string, lines: CommandLine[], before: CommandLine[] | undefined): Set<string> {
  const id = Number(commentKey);
  if (record.ran_floor === undefined || !(id <= record.ran_floor) || ranOf(record.ran).has(commentKey)) return new Set();
  const was = before && new Set(before.map((l) => l.hash));
  return new Set(lines.filter((l) => !was || was.has(l.hash)).map((l) => l.hash));
}

function remember(record: ResponseRecord, commentKey: string, hashes: readonly string[]): ResponseRecord {
  const before = ranOf(record.ran);
  const old = before.get(commentKey);
  const empties = before.emptyCount - (old?.length === 0 ? 1 : 0) + (hashes.length ? 0 : 1);
  // No empty entry and within the hash bound (the usual case): the walk below would forget only
  // the oldest comments past RAN_COMMENTS_KEPT, which `with` does in the same copy.
  if (!empties && before.hashCount - (old?.length ?? 0) + hashes.length <= RAN_HASHES_KEPT) return { ...record, ran: before.with(commentKey, hashes, RAN_COMMENTS_KEPT) };
  const ran = before.with(commentKey, hashes);
  // Comment ids are integer-like keys, so keys come in id order: oldest first. Kept: the newest
  // non-empty entries, at most RAN_COMMENTS_KEPT, and as many as fit RAN_HASHES_KEPT (the newest
  // one always), walked from the newest.
  const keys = ran.keys();
  let comments = 0;
  let total = 0;
  let from = keys.length;
  for (let i = keys.length - 1; i >= 0 && comments < RAN_COMMENTS_KEPT; i--) {
    const length = ran.get(keys[i]!)!.length;
    if (!length) continue;
    if (comments && total + length > RAN_HASHES_KEPT) break;
    comments++;
    total += length;
    from = i;
  }
  return { ...record, ran: ran.select((_key, kept, position) => (position >= from && kept.length ? kept : undefined)) };
}

/**
 * A line decided and written whose follow-up work (GitHub beyond the response) is not done yet is
 * remembered with this prefix: a redelivery decides it again (a refusal then means its effect is
 * already there) and runs its follow-ups again, which are idempotent.
 */
export const PENDING = "~";

/** The lines, decided and written, whose follow-up work has not finished yet. */
export function markPending(record: ResponseRecord, commentKey: string, hashes: string[]): ResponseRecord {
  if (!hashes.length) return record;
  const kept = forgetRan(record, commentKey, hashes);
  return rememberRan(kept, commentKey, [...(ranOf(kept.ran).get(commentKey) ?? []), ...hashes.map((h) => PENDING + h)]);
}

/** Their follow-up work is done: they count as ran. */
export function markDone(record: ResponseRecord, commentKey: string, hashes: string[]): ResponseRecord {
  if (!hashes.length) return record;
  const kept = forgetRan(record, commentKey, hashes);
  return rememberRan(kept, commentKey, [...(ranOf(kept.ran).get(commentKey) ?? []), ...hashes]);
}

/** Forgets lines whose follow-up work failed, so editing or re-posting the comment runs them again. */
export function forgetRan(record: ResponseRecord, commentKey: string, hashes: string[]): ResponseRecord {
  const drop = new Set([...hashes, ...hashes.map((h) => PENDING + h)]);
  const left = (ranOf(record.ran).get(commentKey) ?? []).filter((h) => !drop.has(h));
  return rememberRan(record, commentKey, left);
}

/**
 * Someone other than the author edited the comment: the command lines that edit added are marked
 * as done without running, so they never run, not even when the author later saves the comment.
 * Lines the author wrote keep their state (a failed one can still be fixed by the author's edit).
 */
export function blockAddedLines(record: ResponseRecord, commentKey: string, lines: CommandLine[], before: CommandLine[] | undefined): { record: ResponseRecord; blocked: number } {
  const ran = ranOf(record.ran).get(commentKey) ?? [];
  const known = new Set([...ran, ...(before ?? []).map((l) => l.hash)]);
  const added = lines.filter((l) => !known.has(l.hash)).map((l) => l.hash);
  if (!added.length) return { record, blocked: 0 };
  return { record: rememberRan(record, commentKey, [...ran, ...added]), blocked: added.length };
}

/**
 * The author edited a command comment: the lines the edit took out, never run, are remembered as
 * done, so an older event of the comment (its `created` delivered late, or redelivered) cannot run
 * what the comment no longer says over what it says now.
 */
export function retireRemovedLines(record: ResponseRecord, commentKey: string, lines: CommandLine[], before: CommandLine[] | undefined): ResponseRecord {
  if (!before?.length) return record;
  const now = new Set(lines.map((l) => l.hash));
  const ran = ranOf(record.ran).get(commentKey) ?? [];
  const removed = before.map((l) => l.hash).filter((h) => !now.has(h) && !ran.includes(h));
  return removed.length ? rememberRan(record, commentKey, [...ran, ...removed]) : record;
}

/**
 * The author edited a command comment: the lines that stood in it before this edit (`before`) and
 * still do, but never ran nor were decided from it. Either they failed (the author's, run again),
 * or an edit the app has not seen put them there (a failed or late delivery), maybe someone else's.
 */
export function keptLinesNotRan(record: ResponseRecord, commentKey: string, lines: CommandLine[], before: CommandLine[] | undefined): CommandLine[] {
  if (!before?.length) return [];
  const was = new Set(before.map((l) => l.hash));
  const known = new Set(ranOf(record.ran).get(commentKey) ?? []);
  return lines.filter((l) => was.has(l.hash) && !known.has(l.hash) && !known.has(PENDING + l.hash));
}
