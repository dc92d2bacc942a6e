import { decodeRecord, RESPONSE_MARKER, seqOf, type RecordScope } from "../record/markers.js";
import type { ResponseRecord } from "../record/response-record.js";
import type { KeyRing } from "../security/key-ring.js";
import type { CommentSummary } from "./issue-comments.js";

const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * The latest moment a record names (its ticks, acts, opening, publish steps…): the app writes
 * each as `toISOString()`, so they compare as text. Signed with the record, so only the app set them.
 */
export function latestStamp(value: unknown): string {
  if (typeof value === "string") return STAMP.test(value) ? value : "";
  if (Array.isArray(value)) return value.reduce<string>((max, v) => maxOf(max, latestStamp(v)), "");
  if (value === null || typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return "";
  let max = "";
  for (const [key, v] of Object.entries(value)) if (key !== "ran") max = maxOf(max, latestStamp(v));
  return max;
}

const maxOf = (a: string, b: string) => (b > a ? b : a);

/**
 * The response among the app's own comments that carry the response marker. One is the rule;
 * two come from an older version of the app (a create GitHub made but answered 5xx, then retried)
 * or a copy by hand. Then, deterministically: a comment whose record verifies beats one whose
 * record does not (edited by a person, or not the app's); among those that verify, the record
 * written last wins: the most writes (its `seq`; an older copy pasted into the other comment has
 * fewer), then its latest own timestamp (for records from before the count); the app alone sets
 * both. A tie, or none that
 * verifies, goes to the highest comment id (GitHub's ids grow with time: the newest comment,
 * which is also the one a retried create returned and the app remembered). The others are left
 * out of `comments`, so every later look at this list (`findOwnComment`) sees the same one; they
 * are never written to again, for a person to delete.
 */
export function chooseResponse(comments: CommentSummary[], botLogin: string, verify: (body: string) => Pick<ResponseRecord, "seq"> | undefined): { own?: CommentSummary; comments: CommentSummary[] } {
  const mine = comments.filter((c) => c.login === botLogin && c.body.includes(RESPONSE_MARKER));
  if (mine.length < 2) return { own: mine[0], comments };
  const ranked = mine.map((c) => {
    const record = verify(c.body);
    return { c, ok: record !== undefined, seq: record === undefined ? 0 : seqOf(record), at: record === undefined ? "" : latestStamp(record) };
  });
  ranked.sort((a, b) => Number(b.ok) - Number(a.ok) || b.seq - a.seq || (a.at === b.at ? 0 : a.at < b.at ? 1 : -1) || b.c.id - a.c.id);
  const own = ranked[0]!.c;
  return { own, comments: comments.filter((c) => c === own || !mine.includes(c)) };
}

/** The record of the response among listed `comments`, chosen as `chooseResponse` chooses; undefined when none verifies. */
export function chosenRecord(comments: CommentSummary[], botLogin: string, keys: KeyRing, scope: RecordScope): ResponseRecord | undefined {
  const verify = (body: string) => {
    const decoded = decodeRecord(body, keys, scope);
    return decoded.found ? decoded.record : undefined;
  };
  const { own } = chooseResponse(comments, botLogin, verify);
  return own && verify(own.body);
}
