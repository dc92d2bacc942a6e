import { AsyncLocalStorage } from "node:async_hooks";
import type { IssueRef } from "./issue-comments.js";
import { markWritten } from "./record-mark.js";

/** A response comment the app just created or changed. */
export interface ResponseWrite {
  issue: IssueRef;
  body: string;
  /** The comment's html_url as GitHub returned it (the issue's link is this without its fragment). */
  commentUrl?: string;
}

export type AfterResponseWrite = (write: ResponseWrite) => Promise<void>;

// One hook for every writer of a response (commands, PR syncs, edits, closes, /announce, the tick):
// set once around each event in src/index.ts, so no handler has to thread a callback through.
const scope = new AsyncLocalStorage<AfterResponseWrite>();

/** Runs `task` with `hook` called after each response write inside it. */
export function withResponseWrites<T>(hook: AfterResponseWrite, task: () => T): T {
  return scope.run(hook, task);
}

/** Called by `applyEffects` once a response comment was written: its record's mark, then the hook in scope (if any). */
export async function responseWritten(write: ResponseWrite): Promise<void> {
  await markWritten(write.issue, write.body);
  await scope.getStore()?.(write);
}
