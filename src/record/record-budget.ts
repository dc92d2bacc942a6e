import type { KeyRing } from "../security/key-ring.js";
import { recordMarker, type RecordScope } from "./markers.js";
import type { ResponseRecord } from "./response-record.js";

/**
 * The record travels in the response comment, so it has a size budget. `ran` (hashes of command
 * lines already applied) is memory the app may forget: its oldest comments go first. Everything
 * else is the team's data; it is dropped only as a last resort, and then visibly (`trimmed`).
 */
export const RAN_COMMENTS_KEPT = 100;
export const RAN_HASHES_KEPT = 500;

/** Keeps the newest comments' hashes, at most RAN_COMMENTS_KEPT comments and RAN_HASHES_KEPT hashes in all. */
export function boundRan(ran: ResponseRecord["ran"]): ResponseRecord["ran"] {
  // Within both bounds (the usual case) nothing is forgotten: the same entries in the same order.
  let comments = 0;
  let hashes = 0;
  for (const id in ran) {
    comments++;
    hashes += ran[id]!.length;
  }
  if (comments <= RAN_COMMENTS_KEPT && hashes <= RAN_HASHES_KEPT) return ran;
  // Comment ids are integer keys, so objects list them oldest first.
  const entries = Object.entries(ran).slice(-RAN_COMMENTS_KEPT);
  const kept: [string, string[]][] = [];
  let total = 0;
  for (let i = entries.length - 1; i >= 0 && total < RAN_HASHES_KEPT; i--) {
    const [id, hashes] = entries[i]!;
    const room = RAN_HASHES_KEPT - total;
    const part = hashes.length > room ? hashes.slice(-room) : hashes;
    kept.unshift([id, part]);
    total += part.length;
  }
  return Object.fromEntries(kept);
}

type ListField = "tickets" | "upstream" | "credits" | "affected" | "fixed" | "experts" | "cwes" | "components" | "mitigations" | "prs";
const LIST_FIELDS: ListField[] = ["tickets", "upstream", "credits", "affected", "fixed", "experts", "cwes", "components", "mitigations", "prs"];
const TEXT_FIELDS = ["description", "summary", "upgrade", "fixed_upstream", "reason"] as const;

/** One step of the last resort: halve the longest list, or shorten the longest text. False when nothing is left. */
function shrink(record: ResponseRecord, notes: Map<string, number>): boolean {
  if (Object.keys(record.ran).length) {
    const entries = Object.entries(record.ran);
    record.ran = Object.fromEntries(entries.slice(Math.ceil(entries.length / 2)));
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
  /** JSON.stringify(record), when the caller has it already. */
  json?: string,
): { record: ResponseRecord; marker: string; shrunk: boolean } {
  let fitted: ResponseRecord = { ...record, ran: boundRan(record.ran) };
  // Nothing forgotten from `ran`: the same keys in the same order, so the same JSON.
  let marker = recordMarker(fitted, keys, scope, fitted.ran === record.ran ? json : undefined);
  if (marker.length <= budget) return { record: fitted, marker, shrunk: false };
  fitted = structuredClone(fitted);
  const notes = new Map<string, number>();
  while (marker.length > budget && shrink(fitted, notes)) {
    // Forgetting old `ran` hashes is not news for the team; dropping their data is.
    if (notes.size) fitted.trimmed = [...new Set([...(record.trimmed ?? []), ...[...notes].map(([f, n]) => (n ? `${f}: ${n} dropped` : `${f}: shortened`))])].slice(0, 20);
    marker = recordMarker(fitted, keys, scope);
  }
  return { record: fitted, marker, shrunk: true };
}
