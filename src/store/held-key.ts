import { AsyncLocalStorage } from "node:async_hooks";
import type { Store } from "./store.js";

/** How a key held by this instance (a lock, a delivery's "running" claim) is kept and waited for. */
export interface HoldTiming {
  /** The key's expiry: how long it outlives an instance that died holding it. */
  ttlMs: number;
  /** How often the holder renews it while its work runs (well under `ttlMs`). */
  renewMs: number;
  /** The longest another instance waits for it before the work fails (and GitHub can redeliver). */
  maxWaitMs: number;
  /** Waiting polls at this interval, doubling up to `maxBackoffMs`, with jitter. */
  firstBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_HOLD: HoldTiming = { ttlMs: 30_000, renewMs: 10_000, maxWaitMs: 120_000, firstBackoffMs: 25, maxBackoffMs: 1_000 };

export class HeldTooLongError extends Error {
  constructor(key: string, waitedMs: number) {
    super(`${key} stayed held by another instance for ${Math.round(waitedMs / 1000)} s; giving up (a redelivery will try again)`);
    this.name = "HeldTooLongError";
  }
}

/**
 * Keeps `key` (holding `token`) alive while the work runs: renewed every `renewMs`. A renewal
 * that finds the key gone or taken over is reported once through `lost`; the work cannot be
 * stopped halfway: under the per-issue lock, its next write to GitHub fails (src/github/lock-fence.ts).
 */
export function keepRenewed(store: Store, key: string, token: string, timing: HoldTiming, lost: (key: string) => void): () => void {
  let reported = false;
  const timer = setInterval(() => {
    store.renewIf(key, token, timing.ttlMs).then(
      (held) => {
        if (!held && !reported) {
          reported = true;
          lost(key);
        }
      },
      () => undefined,
    );
  }, timing.renewMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Waits between tries: bounded exponential backoff with jitter; throws once `maxWaitMs` is spent. */
export function backoff(key: string, timing: HoldTiming): () => Promise<void> {
  const start = Date.now();
  let delay = timing.firstBackoffMs;
  return async () => {
    const waited = Date.now() - start;
    if (waited >= timing.maxWaitMs) throw new HeldTooLongError(key, waited);
    const jittered = delay / 2 + Math.random() * (delay / 2);
    delay = Math.min(timing.maxBackoffMs, delay * 2);
    await new Promise((r) => setTimeout(r, Math.min(jittered, timing.maxWaitMs - waited)));
  };
}

/** A key this instance took with `token` for some work (a per-issue lock, a tick's lease). */
export interface HeldKey {
  store: Store;
  key: string;
  token: string;
  released: boolean;
  /** A write under it was refused (KeyLostError): set even when the work caught that error and went on. */
  lost?: boolean;
}

/** The keys the current work runs under (nested work of other keys adds theirs). */
const holding = new AsyncLocalStorage<readonly HeldKey[]>();

export class KeyLostError extends Error {
  constructor(key: string) {
    super(`${key} is no longer held by this instance (expired, or lost with Redis); nothing more is written (a redelivery or the next tick will try again)`);
    this.name = "KeyLostError";
  }
}

/**
 * Runs `work` under `held`: its writes to GitHub check first that the key is still ours. A refused
 * write fails the work even when something in it caught the error and went on (a tick's response
 * "not reconciled", a dashboard row "not updated"): else the delivery would be marked done, or the
 * tick report the repo ticked, while a write was left undone.
 */
export async function underHeldKey<T>(held: HeldKey, work: () => Promise<T>): Promise<T> {
  const result = await holding.run([...(holding.getStore() ?? []), held], work);
  if (held.lost) throw new KeyLostError(held.key);
  return result;
}

/** The keys the current work runs under, for a check made later outside its context (a retry). */
export function heldKeys(): readonly HeldKey[] {
  return holding.getStore() ?? [];
}

/** Whether the current work runs under a held key: only then has `assertKeysHeld` anything to ask. */
export function holdsKeys(): boolean {
  return (holding.getStore()?.length ?? 0) > 0;
}

/**
 * Before each write to GitHub under held keys: each still holds its token. A key can be lost
 * while its work runs (a Redis restart or failover, a partition or a tick longer than its ttl);
 * another instance may then have taken it and written since this work read, and this work's write
 * would undo or repeat that. Throws KeyLostError; Redis unreachable throws too.
 */
export async function assertKeysHeld(keys: readonly HeldKey[] = heldKeys()): Promise<void> {
  for (const held of keys) {
    if (held.released) continue;
    if ((await held.store.get(held.key)) === held.token) continue;
    held.lost = true;
    throw new KeyLostError(held.key);
  }
}
