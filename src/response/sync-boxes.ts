import { readBoxes } from "../record/markers.js";
import type { ResponseRecord } from "../record/response-record.js";

/**
 * Folds a person's edits of the checklist into the record. The record in a comment was written
 * together with its boxes, so any box that differs from the record was changed by hand since:
 * a new tick is kept for good, and an untick of an app tick is respected.
 */
export function syncBoxes(record: ResponseRecord, body: string, now: Date, by = "hand"): ResponseRecord {
  const boxes = readBoxes(body);
  const ticks = { ...record.ticks };
  for (const [id, checked] of boxes) {
    if (checked && !ticks[id]) ticks[id] = { by, at: now.toISOString() };
    if (!checked && ticks[id]) delete ticks[id];
  }
  return { ...record, ticks };
}

/** Ticks items the app saw done; a tick already there (by hand or earlier) keeps its author and date. */
export function tick(record: ResponseRecord, ids: string[], now: Date): ResponseRecord {
  const ticks = { ...record.ticks };
  for (const id of ids) ticks[id] ??= { by: "app", at: now.toISOString() };
  return { ...record, ticks };
}
