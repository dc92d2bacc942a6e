import { randomUUID } from "node:crypto";
import type { Lease, Release } from "../tick/lease.js";
import { underHeldKey, type HeldKey } from "./held-key.js";
import type { Store } from "./store.js";

/**
 * The tick's per-repo lease in the shared store (`SET NX PX`): one instance's tick works on a repo,
 * the others skip it. The ttl is the longest a repo's tick may take, so an instance that died
 * holding it frees it then; releasing deletes it only while it still holds our token. Lost before
 * the tick is done (past its ttl, or with a Redis restart), another instance's tick may work on
 * the repo: the work run through `hold` then writes nothing more (src/github/lock-fence.ts).
 */
export class StoreLease implements Lease {
  constructor(private readonly store: Store) {}

  async acquire(key: string, ttlMs: number): Promise<Release | undefined> {
    const token = randomUUID();
    const lease = `lease:${key}`;
    if (!(await this.store.setIfAbsent(lease, token, ttlMs))) return undefined;
    const held: HeldKey = { store: this.store, key: lease, token, released: false };
    const release: Release = async () => {
      held.released = true;
      await this.store.deleteIf(lease, token).catch(() => false);
    };
    release.hold = (work) => underHeldKey(held, work);
    return release;
  }
}
