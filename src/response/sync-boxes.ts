import { checklistFor } from "../checklist/checklist-items.js";
import type { EmbargoConfig } from "../config/config-schema.js";
import { readBoxes } from "../record/markers.js";
import type { ResponseRecord, Tick } from "../record/response-record.js";

function setBox(id: string, checked: boolean, act: Tick, ticks: ResponseRecord["ticks"], unticked: Record<string, Tick>): void {
  if (checked) {
    // A tick folded in earlier without knowing who ("hand") gets its author now.
    if (!ticks[id] || ticks[id]!.by === "hand") ticks[id] = act;
    delete unticked[id];
  } else if (ticks[id]) {
    delete ticks[id];
    unticked[id] = act;
  }
}

/**
 * Folds a person's edits of the checklist into the record. The record in a comment was written
 * together with its boxes, so any box that differs from the record was changed by hand since:
 * a new tick is kept for good, and an untick of an app tick is respected. Only the boxes of the
 * response's checklist count: anyone with write access can add lines with made-up ids, and
 * those would be recorded out of sight and swell the record until its budget drops the team's data.
 */
export function syncBoxes(record: ResponseRecord, body: string, now: Date, config: EmbargoConfig, by = "hand"): ResponseRecord {
  const ticks = { ...record.ticks };
  const unticked = { ...record.unticked };
  const act = { by, at: now.toISOString() };
  // Read only when a box differs from the record: most events find none.
  let known: Set<string> | undefined;
  for (const [id, checked] of readBoxes(body)) {
    if (checked !== Boolean(ticks[id]) || (checked && ticks[id]?.by === "hand" && by !== "hand")) {
      known ??= new Set(checklistFor(config, record).map((item) => item.id));
      if (known.has(id)) setBox(id, checked, act, ticks, unticked);
    }
  }
  return { ...record, ticks, ...(Object.keys(unticked).length ? { unticked } : { unticked: undefined }) };
}

const RESERVED = new Set(["app", "hand"]);

/**
 * One `issue_comment.edited` of the response comment by a person: the boxes that edit changed
 * (`before` → `after`, from GitHub's payload) are theirs, with who and when, as long as the
 * comment still shows them so (`current`: a redelivered or stale edit cannot undo a newer one).
 * Only boxes of `known` items count; any other box changes still showing are folded as "hand".
 */
export function foldBoxEdits(
  record: ResponseRecord,
  edit: { before?: string; after: string; current: string },
  known: Set<string>,
  sender: string,
  now: Date,
): { record: ResponseRecord; changed: string[] } {
  const current = readBoxes(edit.current);
  const after = readBoxes(edit.after);
  const before = edit.before !== undefined ? readBoxes(edit.before) : undefined;
  const ticks = { ...record.ticks };
  const unticked = { ...record.unticked };
  const changed: string[] = [];
  const at = now.toISOString();
  // "app" and "hand" are the record's words for the app and for nobody known: a person whose
  // login spells one of them must not pass for the app (the publish gate trusts the app's ticks).
  const who = RESERVED.has(sender.toLowerCase()) ? "hand" : sender;
  for (const [id, checked] of current) {
    if (!known.has(id)) continue;
    const mine = after.get(id) === checked && (before ? before.get(id) !== checked : Boolean(ticks[id]) !== checked);
    const differs = checked !== Boolean(ticks[id]);
    if (!differs && !(mine && checked && ticks[id]?.by === "hand")) continue;
    setBox(id, checked, { by: mine ? who : "hand", at }, ticks, unticked);
    changed.push(id);
  }
  return { record: { ...record, ticks, unticked: Object.keys(unticked).length ? unticked : undefined }, changed };
}

/**
 * One `issue_comment.edited` whose text holds an older version (`stale`) than the app's latest
 * (`record`): a person who opened the editor before the app wrote again saves their whole text,
 * the older version with their ticks. The boxes that differ from what the app rendered for the
 * older record are theirs; only those are folded onto the latest, with who and when, and only as
 * the comment still shows them (`current`), as foldBoxEdits (one a later save made, as "hand"). The
 * rest of the older text is not theirs: a box the app changed since keeps the latest's state.
 * `known`: the items both versions list.
 */
export function foldStaleEdits(
  record: ResponseRecord,
  edit: { stale: ResponseRecord; after: string; current: string },
  known: Set<string>,
  sender: string,
  now: Date,
): { record: ResponseRecord; changed: string[] } {
  const after = readBoxes(edit.after);
  const ticks = { ...record.ticks };
  const unticked = { ...record.unticked };
  const changed: string[] = [];
  const at = now.toISOString();
  const who = RESERVED.has(sender.toLowerCase()) ? "hand" : sender;
  for (const [id, checked] of readBoxes(edit.current)) {
    // The app renders a box ticked exactly when its record holds a tick (src/response/response-view.ts).
    if (!known.has(id) || Boolean(edit.stale.ticks[id]) === checked) continue;
    // A box a later save changed (not this edit's): the app's write would erase it for good, and its
    // own event could no longer find it. Kept as "hand", as foldBoxEdits keeps it; that event names who.
    const mine = after.get(id) === checked;
    if (checked === Boolean(ticks[id]) && !(mine && checked && ticks[id]?.by === "hand")) continue;
    setBox(id, checked, { by: mine ? who : "hand", at }, ticks, unticked);
    changed.push(id);
  }
  return { record: { ...record, ticks, unticked: Object.keys(unticked).length ? unticked : undefined }, changed };
}

/** Ticks items the app saw done; a tick already there (by hand or earlier) keeps its author and date. */
export function tick(record: ResponseRecord, ids: string[], now: Date): ResponseRecord {
  const ticks = { ...record.ticks };
  for (const id of ids) ticks[id] ??= { by: "app", at: now.toISOString() };
  return { ...record, ticks };
}
