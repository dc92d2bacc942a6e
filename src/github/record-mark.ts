import type { ProbotOctokit } from "probot";
import { recordSeq, seqOf } from "../record/markers.js";
import type { ResponseRecord } from "../record/response-record.js";
import type { KeyRing } from "../security/key-ring.js";
import type { Store } from "../store/store.js";
import { currentScope, type EventScope } from "./event-scope.js";
import type { CommentSummary, IssueRef } from "./issue-comments.js";
import { recordScope, responseKey } from "./repo-ids.js";
import { readCommentOfIssue } from "./response-comment.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * The high-water mark of each response's record: the highest write count (`seq`) the app wrote or
 * read verified. Anyone with write access can paste an older signed version back from the comment's
 * edit history; it verifies, but its count is below the mark, so readers take it as damaged. Only a
 * number is kept, nothing of the response. Kept a year, renewed by every write: longer than any
 * embargo, and a response left alone longer only loses this second check. In-process memory
 * (`MemoryStore`) loses it on restart; the edit handler's own check (src/handlers/response-edited.ts)
 * does not need it.
 */
export const MARK_TTL_MS = 365 * 24 * 3_600_000;

let lagPauseMs = 1_000;

/** Tests set the wait to 0: it is for a GitHub replica that has not yet seen the app's last write. */
export function setLagPause(ms: number): void {
  lagPauseMs = ms;
}

/** Before the comment is read once more, when it looked older than the mark. */
function lagPause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, lagPauseMs));
}

/**
 * A response comment whose verified record (count `seq`) looked older than the mark: a listing, or
 * a replica answering a read by id, may lag the app's last write by a moment. It is read alone once
 * more after a pause, and that is GitHub's word: its body and record when newer, else undefined
 * (one more read, only then; a version really put back waits a second for nothing).
 */
export async function readPastLag(octokit: Octokit, issue: IssueRef, own: CommentSummary, botLogin: string, seq: number, verify: (body: string) => ResponseRecord | undefined): Promise<{ body: string; record: ResponseRecord } | undefined> {
  await lagPause();
  const now = await readCommentOfIssue(octokit, issue, own.id);
  const record = now?.login === botLogin ? verify(now.body) : undefined;
  return now && record && seqOf(record) > seq ? { body: now.body, record } : undefined;
}

// By the response's key (its repository's id when known), as its remembered comment is.
const keyOf = (issue: IssueRef) => `record-seq:${responseKey(issue)}`;

/**
 * The mark, read before the comment: a writer raises it only after GitHub took the write, so a
 * comment read after the mark is never behind it unless a person put an older version back.
 */
export async function readMark(store: Store, issue: IssueRef): Promise<number | undefined> {
  const value = await store.get(keyOf(issue));
  const seq = value === undefined ? NaN : Number(value);
  return Number.isSafeInteger(seq) && seq >= 0 ? seq : undefined;
}

/**
 * A verified record's count against the mark read before it: "behind" (an older version put back),
 * or the mark raised to it. A fresh store (no mark) takes any count.
 */
export async function judgeSeq(store: Store, issue: IssueRef, mark: number | undefined, seq: number): Promise<"behind" | "ok"> {
  if (mark !== undefined && seq < mark) return "behind";
  if (mark === undefined || seq > mark) await raiseMark(store, issue, seq);
  return "ok";
}

/**
 * Whether the response was written since `body` was read (by another event, or another instance):
 * the mark is past that body's count. A store read, no GitHub call; a body whose record does not
 * verify counts as written since.
 */
export async function writtenSince(store: Store, issue: IssueRef, body: string | undefined, keys: KeyRing): Promise<boolean> {
  const seq = body === undefined ? undefined : recordSeq(body, keys, recordScope(issue));
  if (seq === undefined) return true;
  const mark = await readMark(store, issue);
  return mark !== undefined && mark > seq;
}

/**
 * Never lowers it, in one store step: a reader outside the response's lock (the tick, on another
 * instance) may raise it with the count it read while a writer raises it with a newer one.
 */
async function raiseMark(store: Store, issue: IssueRef, seq: number): Promise<void> {
  await store.setIfHigher(keyOf(issue), seq, MARK_TTL_MS);
}

/**
 * The stores (and keys) of the responses an event loaded, by response key: a response write
 * in that event (`applyEffects`, through `responseWritten`) raises the mark without every writer
 * passing the store along. Outside an event (the CLI) nothing is marked on write.
 */
const watched = new WeakMap<EventScope, Map<string, { store: Store; keys: KeyRing }>>();

export function watchWrites(issue: IssueRef, store: Store, keys: KeyRing): void {
  const scope = currentScope();
  if (!scope) return;
  let map = watched.get(scope);
  if (!map) watched.set(scope, (map = new Map()));
  map.set(responseKey(issue), { store, keys });
}

/** After GitHub took a response write: the mark follows the count the app just wrote. */
export async function markWritten(issue: IssueRef, body: string): Promise<void> {
  const scope = currentScope();
  const watch = scope && watched.get(scope)?.get(responseKey(issue));
  if (!watch) return;
  const seq = recordSeq(body, watch.keys, recordScope(issue));
  if (seq !== undefined) await raiseMark(watch.store, issue, seq);
}
