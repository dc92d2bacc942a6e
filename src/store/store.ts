/**
 * The small key-value memory the app keeps between events: where each response comment is, the
 * ETag and content of each config and override read, which deliveries were handled, the per-issue
 * lock and the tick's per-repo lease. One process uses `MemoryStore`; several instances share one
 * Redis (`REDIS_URL`, src/store/redis-store.ts) through the same interface, so every caller is
 * written once. Values are strings (JSON where structured); every key expires.
 */
export interface Store {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  del(key: string): Promise<void>;
  /** Sets only when the key is absent (Redis `SET NX PX`); true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Deletes only while the key still holds `value` (a lock's token); true when it did. */
  deleteIf(key: string, value: string): Promise<boolean>;
  /** Extends the expiry only while the key still holds `value`; true when it did. */
  renewIf(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Sets the number `value` only while the key is absent or holds a lower one, in one step; true when it did. */
  setIfHigher(key: string, value: number, ttlMs: number): Promise<boolean>;
}
