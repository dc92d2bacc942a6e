import { randomUUID } from "node:crypto";
import type { Lease, Release } from "../tick/lease.js";
import type { Store } from "./store.js";

/**
 * The tick's per-repo lease in the shared store (`SET NX PX`): one instance's tick works on a repo,
 * the others skip it. The ttl is the longest a repo's tick may take, so an instance that died
 * holding it frees it then; releasing deletes it only while it still holds our token.
 */
export class StoreLease implements Lease {
  constructor(private readonly store: Store) {}

  async acquire(key: string, ttlMs: number): Promise<Release | undefined> {
    const token = randomUUID();
    const lease = `lease:${key}`;
    if (!(await this.store.setIfAbsent(lease, token, ttlMs))) return undefined;
    return async () => {
      await this.store.deleteIf(lease, token).catch(() => false);
    };
  }
}
