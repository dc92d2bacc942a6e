import { randomUUID } from "node:crypto";
import { KeyedQueue } from "../util/keyed-queue.js";
import { backoff, DEFAULT_HOLD, keepRenewed, underHeldKey, type HeldKey, type HoldTiming } from "./held-key.js";
import type { Store } from "./store.js";

/**
 * The per-issue queue across instances. The in-process queue stays the first line (tasks of one
 * process wait in order without polling); the task at its head then takes a lock in the shared
 * store: a random token, an expiry renewed while the task runs, released only while it still
 * holds our token. An instance that finds the lock held waits with a bounded backoff, then runs.
 * The task runs under the lock as a held key: a write to GitHub after the lock was lost fails
 * (src/github/lock-fence.ts). Same `run(key, task)` as `KeyedQueue`, so callers do not change.
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
    const held: HeldKey = { store: this.store, key: lockKey, token, released: false };
    try {
      return await underHeldKey(held, task);
    } finally {
      held.released = true;
      stop();
      // Not ours any more (expired and taken) or Redis unreachable: the expiry frees it.
      await this.store.deleteIf(lockKey, token).catch(() => false);
    }
  }
}
