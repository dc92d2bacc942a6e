import type { ResponseRecord } from "./response-record.js";

/**
 * Hidden markdown markers hold the app's machine state (as Renovate's dashboard does). Only
 * comments written by the app itself are ever read for them, so a reporter cannot forge one.
 */
export const RESPONSE_MARKER = "<!-- embargo:response -->";
export const PUBLIC_NOTICE_MARKER = "<!-- embargo:public-notice -->";
export const CONFIG_ERROR_MARKER = "<!-- embargo:config-error -->";
export const REPLY_MARKER_PREFIX = "<!-- embargo:reply ";

const RECORD_RE = /<!-- embargo:record:v1 ([A-Za-z0-9_-]+) -->/;
const ITEM_RE = /^\s*[-*] \[( |x|X)\] .*<!-- embargo:item ([a-z0-9_.:-]+) -->\s*$/gm;

export function recordMarker(record: ResponseRecord): string {
  return `<!-- embargo:record:v1 ${Buffer.from(JSON.stringify(record), "utf8").toString("base64url")} -->`;
}

export function itemMarker(id: string): string {
  return `<!-- embargo:item ${id} -->`;
}

export function replyMarker(key: string): string {
  return `${REPLY_MARKER_PREFIX}${key} -->`;
}

export type DecodedRecord = { found: true; record: ResponseRecord } | { found: false; damaged: boolean };

export function decodeRecord(body: string): DecodedRecord {
  const match = RECORD_RE.exec(body);
  if (!match) return { found: false, damaged: body.includes(RESPONSE_MARKER) };
  try {
    const parsed = JSON.parse(Buffer.from(match[1]!, "base64url").toString("utf8")) as ResponseRecord;
    if (parsed?.v !== 1 || typeof parsed.state !== "string") return { found: false, damaged: true };
    return { found: true, record: parsed };
  } catch {
    return { found: false, damaged: true };
  }
}

/** The task-list boxes as they stand in the comment now: a person may have ticked or unticked them. */
export function readBoxes(body: string): Map<string, boolean> {
  const boxes = new Map<string, boolean>();
  for (const m of body.matchAll(ITEM_RE)) boxes.set(m[2]!, m[1] !== " ");
  return boxes;
}
