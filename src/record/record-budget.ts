import type { KeyRing } from "../security/key-ring.js";
import { recordMarker, type RecordScope } from "./markers.js";
import { ranOf, type Ran } from "./ran.js";
import type { ResponseRecord } from "./response-record.js";

// The record travels in the response comment, so it has a size budget. `ran` (hashes of command
// lines already applied) is memory the app may forget: its oldest comments go first. Everything
// else is the team's data; it is dropped only as a last resort, and then visibly (`trimmed`).

/** How many comments' worth of "already ran" the record keeps: older comments are rarely edited. */
export const RAN_COMMENTS_KEPT = 100;
/**
 * And how many line hashes in all (about 13 characters each in the record, so about 6.5 KB),
 * whatever the history: the bound the worst-case record is checked against the budget with.
 * The memory lives only in the record, so rememberRan keeps to these same bounds as it changes it
 * (forgetting whole comments, oldest first); boundRan below is the write's guarantee, with work
 * left only when one comment alone holds more (edited many times).
 */
export const RAN_HASHES_KEPT = 500;

/** Keeps the newest comments' hashes, at most RAN_COMMENTS_KEPT comments and RAN_HASHES_KEPT hashes in all. */
export function boundRan(ran: ResponseRecord["ran"]): Ran {
  const all = ranOf(ran);
  // Within both bounds (the usual case) nothing is forgotten: the same entries in the same order.
  if (all.size <= RAN_COMMENTS_KEPT && all.hashCount <= RAN_HASHES_KEPT) return all;
  // Comment ids are integer keys, so keys come oldest first. From the newest: whole lists while
  // they fit, then the newest part of the list that reaches the bound.
  const keys = all.keys();
  const first = Math.max(0, keys.length - RAN_COMMENTS_KEPT);
  const room = new Map<number, number>();
  let total = 0;
  for (let i = keys.length - 1; i >= first && total < RAN_HASHES_KEPT; i--) {
    const length = all.get(keys[i]!)!.length;
    room.set(i, RAN_HASHES_KEPT - total);
    total += Math.min(length, RAN_HASHES_KEPT - total);
  }
  return all.select((_key, hashes, position) => {
    const left = room.get(position);
    if (left === undefined) return undefined;
    return hashes.length > left ? hashes.slice(-left) : hashes;
  });
}

/**
 * The newest comment (an id) whose lines `after` no longer remembers but `before` did. `except`:
 * the comment being written, whose lines were changed on purpose (emptied to run again).
 */
export function forgottenFloor(before: Ran, after: Ran, except?: string): number | undefined {
  // Nothing can have gone when `after` holds as many entries (a changed entry keeps its key).
  if (after.size >= before.size + (except !== undefined && !before.has(except) ? 1 : 0)) return undefined;
  let floor: number | undefined;
  for (const [key, hashes] of before) {
    if (key === except || !hashes.length || after.has(key)) continue;
    const id = Number(key);
    if (Number.isSafeInteger(id) && (floor === undefined || id > floor)) floor = id;
  }
  return floor;
}

type ListField = "tickets" | "upstream" | "credits" | "affected" | "fixed" | "experts" | "cwes" | "components" | "mitigations" | "prs";
const LIST_FIELDS: ListField[] = ["tickets", "upstream", "credits", "affected", "fixed", "experts", "cwes", "components", "mitigations", "prs"];
const TEXT_FIELDS = ["description", "summary", "upgrade", "fixed_upstream", "reason"] as const;

/**
 * One step of the last resort: halve the longest list, or shorten the longest text. False when
 * nothing is left. It replaces the record's fields with new values and never edits one in place,
 * so `fitRecord`'s own copy of the record is all it needs (lists and texts stay shared with the caller's).
 */
function shrink(record: ResponseRecord, notes: Map<string, number>): boolean {
  const ran = ranOf(record.ran);
  if (ran.size) {
    const half = Math.ceil(ran.size / 2);
    record.ran = ran.select((_key, hashes, position) => (position >= half ? hashes : undefined));
    return true;
  }
  if (record.prs.some((p) => p.requested?.length)) {
    record.prs = record.prs.map(({ requested: _requested, ...pr }) => pr);
    return true;
  }
  const longest = LIST_FIELDS.map((f) => [f, JSON.stringify(record[f]).length] as const).sort((a, b) => b[1] - a[1])[0]!;
  const text = TEXT_FIELDS.map((f) => [f, record[f]?.length ?? 0] as const).sort((a, b) => b[1] - a[1])[0]!;
  if (text[1] > 200 && text[1] >= longest[1]) {
    (record as unknown as Record<string, string>)[text[0]] = `${record[text[0]]!.slice(0, Math.floor(text[1] / 2))}…`;
    notes.set(text[0], 0);
    return true;
  }
  const list = record[longest[0]] as unknown[];
  if (!list.length) return false;
  const keep = Math.floor(list.length / 2);
  notes.set(longest[0], (notes.get(longest[0]) ?? 0) + list.length - keep);
  (record as unknown as Record<string, unknown[]>)[longest[0]] = list.slice(0, keep);
  return true;
}

/**
 * The record as it will be written, and its signed marker, within RECORD_BUDGET characters.
 * `shrunk` false: the record differs from the one given in `ran` at most (old hashes forgotten).
 */
export function fitRecord(
  record: ResponseRecord,
  keys: KeyRing,
  scope: RecordScope,
  budget: number,
  /** recordJson(record), when the caller has it already. */
  json?: string,
): { record: ResponseRecord; marker: string; shrunk: boolean } {
  // A copy of its own: `shrink` below replaces its fields.
  const fitted: ResponseRecord = { ...record, ran: boundRan(record.ran) };
  // Nothing forgotten from `ran`: the same keys in the same order, so the same JSON.
  let marker = recordMarker(fitted, keys, scope, fitted.ran === record.ran ? json : undefined);
  if (marker.length <= budget) return { record: fitted, marker, shrunk: false };
  const notes = new Map<string, number>();
  while (marker.length > budget && shrink(fitted, notes)) {
    // Forgetting old `ran` hashes is not news for the team; dropping their data is.
    if (notes.size) fitted.trimmed = [...new Set([...(record.trimmed ?? []), ...[...notes].map(([f, n]) => (n ? `${f}: ${n} dropped` : `${f}: shortened`))])].slice(0, 20);
    marker = recordMarker(fitted, keys, scope);
  }
  // The memory it had to forget is remembered as forgotten (src/commands/ran-memory.ts).
  const floor = forgottenFloor(ranOf(record.ran), ranOf(fitted.ran));
  if (floor !== undefined && floor > (fitted.ran_floor ?? 0)) {
    fitted.ran_floor = floor;
    marker = recordMarker(fitted, keys, scope);
  }
  return { record: fitted, marker, shrunk: true };
}
