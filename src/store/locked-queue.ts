import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { KeyedQueue } from "../util/keyed-queue.js";
import { backoff, DEFAULT_HOLD, keepRenewed, type HoldTiming } from "./held-key.js";
import type { Store } from "./store.js";

interface HeldLock {
  store: Store;
  key: string;
  token: string;
  released: boolean;
}

/** The shared locks the current task runs under (nested queues of other keys add theirs). */
const holding = new AsyncLocalStorage<readonly HeldLock[]>();

export class LockLostError extends Error {
  constructor(key: string) {
    super(`${key} is no longer held by this instance (expired, or lost with Redis); nothing more is written (a redelivery will try again)`);
    this.name = "LockLostError";
  }
}

/** Whether the current task holds a shared lock: only then has `assertLocksHeld` anything to ask. */
export function holdsLocks(): boolean {
  return (holding.getStore()?.length ?? 0) > 0;
}

/**
 * Before each write to GitHub under a shared lock: every lock the task took still holds its token.
 * A lock can be lost while its work runs (a Redis restart or failover, a partition longer than its
 * ttl); another instance may then have taken it and written the response since this task read it,
 * and this task's write would undo that. Throws LockLostError; Redis unreachable throws too.
 */
export async function assertLocksHeld(): Promise<void> {
  for (const held of holding.getStore() ?? []) {
    if (held.released) continue;
    if ((await held.store.get(held.key)) !== held.token) throw new LockLostError(held.key);
  }
}

/**
 * The per-issue queue across instances. The in-process queue stays the first line (tasks of one
 * process wait in order without polling); the task at its head then takes a lock in the shared
 * store: a random token, an expiry renewed while the task runs, released only while it still
 * holds our token. An instance that finds the lock held waits with a bounded backoff, then runs.
 * Same `run(key, task)` as `KeyedQueue`, so callers do not change.
 */
export class LockedQueue extends KeyedQueue {
  constructor(
    private readonly store: Store,
    private readonly timing: HoldTiming = DEFAULT_HOLD,
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    super();
  }

  override run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return super.run(key, () => this.#locked(`lock:${key}`, task));
  }

  async #locked<T>(lockKey: string, task: () => Promise<T>): Promise<T> {
    const token = randomUUID();
    const wait = backoff(lockKey, this.timing);
    while (!(await this.store.setIfAbsent(lockKey, token, this.timing.ttlMs))) await wait();
    const stop = keepRenewed(this.store, lockKey, token, this.timing, (k) => this.warn(`${k}: the lock expired while its work ran (another instance may have taken it); its next write to GitHub fails`));
    const held: HeldLock = { store: this.store, key: lockKey, token, released: false };
    try {
      return await holding.run([...(holding.getStore() ?? []), held], task);
    } finally {
      held.released = true;
      stop();
      // Not ours any more (expired and taken) or Redis unreachable: the expiry frees it.
      await this.store.deleteIf(lockKey, token).catch(() => false);
    }
  }
}
