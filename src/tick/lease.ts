/**
 * Gives up a lease. `hold`, a shared lease's: runs the tick's work on the repo so that its writes to
 * GitHub fail once the lease is lost (src/store/held-key.ts).
 */
export type Release = (() => Promise<void>) & { hold?: <T>(work: () => Promise<T>) => Promise<T> };

/**
 * A lease on one security repo for one tick: whoever holds it reconciles the repo and posts its
 * reminders; another tick that finds it held skips the repo. A shared lease (several processes,
 * e.g. Redis `SET key NX PX ttl`) implements the same interface and is stacked in front of the
 * in-process one with `stackLeases`.
 */
export interface Lease {
  acquire(key: string, ttlMs: number): Promise<Release | undefined>;
}

/** One process: a map of keys held, each expiring after its ttl in case a tick dies holding it. */
export class InProcessLease implements Lease {
  readonly #held = new Map<string, number>();
  constructor(private readonly clock: () => number = Date.now) {}

  async acquire(key: string, ttlMs: number): Promise<Release | undefined> {
    const now = this.clock();
    const until = this.#held.get(key);
    if (until !== undefined && until > now) return undefined;
    const mine = now + ttlMs;
    this.#held.set(key, mine);
    return async () => {
      if (this.#held.get(key) === mine) this.#held.delete(key);
    };
  }
}

/** Leases taken in order (the shared one first); all or none is held. */
export function stackLeases(...leases: Lease[]): Lease {
  return {
    async acquire(key, ttlMs) {
      const taken: Release[] = [];
      for (const lease of leases) {
        const release = await lease.acquire(key, ttlMs);
        if (!release) {
          for (const r of taken.reverse()) await r();
          return undefined;
        }
        taken.push(release);
      }
      const holds = taken.flatMap((r) => (r.hold ? [r.hold] : []));
      const release: Release = async () => {
        for (const r of taken.reverse()) await r();
      };
      if (holds.length) release.hold = <T>(work: () => Promise<T>) => holds.reduce<() => Promise<T>>((inner, hold) => () => hold(inner), work)();
      return release;
    },
  };
}
