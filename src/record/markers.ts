import { createHash } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { KeyRing } from "../security/key-ring.js";
import { Ran } from "./ran.js";
import { parseRecord, recordJson } from "./record-json.js";
import type { ResponseRecord } from "./response-record.js";

/**
 * Hidden markdown markers hold the app's machine state (as Renovate's dashboard does). Only
 * comments written by the app itself are ever read for them, and the record is signed, because
 * anyone with write access can still edit the app's comment.
 */
export const RESPONSE_MARKER = "<!-- embargo:response -->";
export const PUBLIC_NOTICE_MARKER = "<!-- embargo:public-notice -->";
export const CONFIG_ERROR_MARKER = "<!-- embargo:config-error -->";
export const REPLY_MARKER_PREFIX = "<!-- embargo:reply ";

// v3: base64url of the deflated JSON, then an HMAC over the issue's repository id, its number and
// that text; v2, the same over the issue's name (read while the name is the same; every write makes
// v3, so they migrate). v1 records were unsigned: indistinguishable from a forged one, so they are
// read as damaged.
const RECORD_RE = /<!-- embargo:record:v(\d+) ([A-Za-z0-9_-]+)(?: ([A-Za-z0-9_-]+))? -->/;
// Applied to one line at a time, so a body of any shape costs linear time.
const ITEM_RE = /^[ \t]*[-*] \[( |x|X)\] [^\n]*<!-- embargo:item ([a-z0-9_.:/-]{1,200}) -->[ \t\r]*$/;

/** The record's JSON may not inflate past this: a forged marker must not be a zip bomb. */
const MAX_RECORD_JSON = 1_000_000;

/**
 * What a signature is bound to: the record's issue, so a record copied from another issue does not
 * verify. By its repository's id (`repo_id`) when known, which a rename or transfer keeps; else by name.
 */
export type RecordScope = string | { owner: string; repo: string; issue_number: number; repo_id?: number };

/** The name form, `owner/repo#n`: what v2 records are signed over. */
function nameOf(scope: RecordScope): string {
  return (typeof scope === "string" ? scope : `${scope.owner}/${scope.repo}#${scope.issue_number}`).toLowerCase();
}

/** The id form, `repo:<id>#n`, when the scope knows the id: what v3 records are signed over. */
function idOf(scope: RecordScope): string | undefined {
  return typeof scope === "object" && scope.repo_id !== undefined ? `repo:${scope.repo_id}#${scope.issue_number}` : undefined;
}

/** What a record written now is bound to: the id form when known (a v3 record), else the name (v2). */
export function scopeOf(scope: RecordScope): string {
  return idOf(scope) ?? nameOf(scope);
}

function signedText(version: string, bound: string, payload: string): string {
  return `embargo:record:v${version}\n${bound}\n${payload}`;
}

/**
 * Payloads this process wrote or read, with their JSON: the next event on an issue reads the
 * record the last one wrote, and skips inflating it. Keyed by the exact payload text (the JSON is
 * a function of it), so it cannot go stale; consulted only after the signature verified; bounded.
 * With the JSON, its `ran` as a Ran (immutable, so shared safely): not parsed and built again.
 * And the signature this process made or verified for it, with the ring and issue it is bound to:
 * an HMAC is a function of those, so the same signature on the same payload, issue and ring (an
 * immutable KeyRing, compared by identity) verifies without computing it again.
 */
const inflated = new Map<string, Inflated>();
interface Inflated {
  json: string;
  ran: Ran | undefined;
  signed?: { keys: KeyRing; scope: string; signature: string };
  /** The record's write count, once a valid record was read or written with this JSON. */
  seq?: number;
}
const INFLATED_KEPT = 64;
const INFLATED_MAX_JSON = 200_000;

/** `ran`: the Ran written with that JSON, if known (its text is checked against the JSON before use). */
function rememberInflated(payload: string, json: string, ran: Ran | undefined, signed: Inflated["signed"], seq?: number): void {
  if (json.length > INFLATED_MAX_JSON) return;
  inflated.delete(payload);
  inflated.set(payload, { json, ran, signed, seq });
  if (inflated.size > INFLATED_KEPT) inflated.delete(inflated.keys().next().value!);
}

/** `json`: recordJson(record), when the caller has it already. */
export function recordMarker(record: ResponseRecord, keys: KeyRing, scope: RecordScope, json = recordJson(record)): string {
  // zlib's default level: as small as level 9 on records (JSON of a few KB), a third less CPU. A
  // window whose reach (its size less zlib's 262-byte lookahead) covers the whole JSON finds the
  // same matches, so the same bytes, and spares zlib setting up 32 KB of window for a record of a
  // few hundred bytes; any window inflates with the default one.
  const input = Buffer.from(json, "utf8");
  const windowBits = Math.min(15, Math.max(9, Math.ceil(Math.log2(input.length + 263))));
  const payload = deflateRawSync(input, { level: 6, windowBits }).toString("base64url");
  const bound = idOf(scope);
  const version = bound === undefined ? "2" : "3";
  const signature = keys.sign("record", signedText(version, bound ?? nameOf(scope), payload));
  rememberInflated(payload, json, record.ran instanceof Ran ? record.ran : undefined, { keys, scope: `v${version}:${bound ?? nameOf(scope)}`, signature }, isRecord(record) ? seqOf(record) : undefined);
  return `<!-- embargo:record:v${version} ${payload} ${signature} -->`;
}

export function itemMarker(id: string): string {
  return `<!-- embargo:item ${id} -->`;
}

export function replyMarker(key: string): string {
  return `${REPLY_MARKER_PREFIX}${key} -->`;
}

/**
 * In an errors reply, a line of comment `commentKey` refused and counted as run (`again`): the
 * reply is posted before the response's write, so when that write is lost the reply still says
 * so, and a redelivery does not decide the line again (src/handlers/commands.ts).
 */
export function refusedMarker(commentKey: string, hash: string): string {
  return `<!-- embargo:refused ${commentKey} ${hash} -->`;
}

/** The line hashes of comment `commentKey` its errors replies say were refused and count as run. */
export function refusedHashes(body: string, commentKey: string): string[] {
  return [...body.matchAll(/<!-- embargo:refused (\S+) ([A-Za-z0-9_-]+) -->/g)].filter((m) => m[1] === commentKey).map((m) => m[2]!);
}

/**
 * `damaged`: the app's response comment has no record it can trust. `forged` says why: the
 * marker is there but its signature does not verify (edited, copied from another issue, or
 * written before records were signed), as opposed to a marker destroyed by an edit.
 */
export type DecodedRecord =
  | { found: true; record: ResponseRecord }
  | { found: false; damaged: boolean; forged?: boolean; fingerprint?: string };

/** What every reader requires of a verified record's JSON. */
function isRecord(value: ResponseRecord | null | undefined): value is ResponseRecord {
  return value?.v === 1 && typeof value.state === "string";
}

/** A short stable id of the bad marker, so each distinct damage gets one reply, not one per event. */
function fingerprint(text: string): string {
  return createHash("sha256").update(text).digest("base64url").slice(0, 10);
}

/** The marker in `body`, what its signature is bound to for `scope`, and what this process knows of it. */
function markerOf(body: string, keys: KeyRing, scope: RecordScope) {
  const match = RECORD_RE.exec(body);
  if (!match) return undefined;
  const [, version, payload, signature] = match as unknown as [string, string, string, string | undefined];
  // A v3 record verifies only where the repository's id is known: by name it could be any repository's.
  const bound = version === "3" ? idOf(scope) : version === "2" ? nameOf(scope) : undefined;
  const known = inflated.get(payload);
  const signed = bound === undefined || !signature ? undefined : { keys, scope: `v${version}:${bound}`, signature };
  const seen = signed !== undefined && known?.signed?.keys === keys && known.signed.scope === signed.scope && known.signed.signature === signature;
  return { match, version, payload, bound, signed, known, seen };
}

export function decodeRecord(body: string, keys: KeyRing, scope: RecordScope): DecodedRecord {
  const marker = markerOf(body, keys, scope);
  if (!marker) {
    const damaged = body.includes(RESPONSE_MARKER);
    return damaged ? { found: false, damaged, fingerprint: "missing" } : { found: false, damaged };
  }
  const { match, version, payload, bound, signed, known, seen } = marker;
  // Made only for a bad marker: hashing a good one's few KB on every read is wasted.
  const forged = () => ({ found: false as const, damaged: true, forged: true, fingerprint: fingerprint(match[0]) });
  if (bound === undefined || !signed) return forged();
  if (!seen && !keys.verify("record", signedText(version, bound, payload), signed.signature)) return forged();
  try {
    const json = known?.json ?? inflateRawSync(Buffer.from(payload, "base64url"), { maxOutputLength: MAX_RECORD_JSON }).toString("utf8");
    const parsed = parseRecord(json, known?.ran) as ResponseRecord;
    const valid = isRecord(parsed);
    rememberInflated(payload, json, parsed?.ran instanceof Ran ? parsed.ran : undefined, signed, valid ? seqOf(parsed) : undefined);
    if (!valid) return { ...forged(), forged: false };
    return { found: true, record: parsed };
  } catch {
    return { ...forged(), forged: false };
  }
}

/** A record's write count (src/record/response-record.ts `seq`): 0 for records from before it counted. */
export function seqOf(record: Pick<ResponseRecord, "seq">): number {
  const seq = record.seq;
  return typeof seq === "number" && Number.isSafeInteger(seq) && seq > 0 ? seq : 0;
}

/** The write count of the record in `body` when that record verifies for `scope`; else undefined. */
export function recordSeq(body: string, keys: KeyRing, scope: RecordScope): number | undefined {
  // A record this process wrote or read (the usual case: the comment it just wrote) is not parsed again.
  const marker = markerOf(body, keys, scope);
  if (marker?.seen && marker.known?.seq !== undefined) return marker.known.seq;
  const decoded = decodeRecord(body, keys, scope);
  return decoded.found ? seqOf(decoded.record) : undefined;
}

/**
 * The task-list boxes as they stand in the comment now: a person may have ticked or unticked
 * them. An id whose box appears twice (a line copied by hand) counts for nothing.
 */
export function readBoxes(body: string): Map<string, boolean> {
  const boxes = new Map<string, boolean>();
  const twice = new Set<string>();
  for (const line of body.split("\n")) {
    if (!line.includes("<!-- embargo:item ")) continue;
    const m = ITEM_RE.exec(line);
    if (!m) continue;
    if (boxes.has(m[2]!)) twice.add(m[2]!);
    boxes.set(m[2]!, m[1] !== " ");
  }
  for (const id of twice) boxes.delete(id);
  return boxes;
}
