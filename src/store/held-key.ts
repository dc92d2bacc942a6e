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
