import { Redis } from "ioredis";
import type { Store } from "./store.js";

// Compare-and-act on a key in one step on the server: between a GET and a DEL another instance
// could have taken the lock after ours expired, and we would release theirs.
const DELETE_IF = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;
// A number raised by readers and writers on several instances: a read-then-set would let the lower land last.
const SET_IF_HIGHER = `local held = tonumber(redis.call("GET", KEYS[1])) if held ~= nil and held >= tonumber(ARGV[1]) then return 0 end redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2]) return 1`;
const RENEW_IF = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) else return 0 end`;

/** The key prefix when none is given: several apps (or a staging copy) can share one Redis with their own. */
export const DEFAULT_PREFIX = "embargo:";

/**
 * The store shared by every instance of the app: one Redis (`REDIS_URL`). Every key carries
 * `prefix` and an expiry; the lock operations are single Redis commands or Lua scripts, atomic
 * on the server.
 */
export class RedisStore implements Store {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, prefix = DEFAULT_PREFIX) {
    this.#redis = redis;
    this.#prefix = prefix;
    redis.defineCommand("embargoDeleteIf", { numberOfKeys: 1, lua: DELETE_IF });
    redis.defineCommand("embargoRenewIf", { numberOfKeys: 1, lua: RENEW_IF });
    redis.defineCommand("embargoSetIfHigher", { numberOfKeys: 1, lua: SET_IF_HIGHER });
  }

  /** A store on its own connection to `url` (redis:// or rediss://). */
  static connect(url: string, prefix = DEFAULT_PREFIX, warn: (message: string) => void = (m) => console.warn(m)): RedisStore {
    // Commands wait for the connection (and a reconnection) instead of failing at once; a handler
    // that cannot reach Redis fails after the retries, and GitHub's delivery can be redelivered.
    const redis = new Redis(url, { maxRetriesPerRequest: 3, connectionName: "embargo" });
    // ioredis reports every reconnection attempt: one line per outage is enough.
    let down = false;
    redis.on("error", (error: Error) => {
      if (down) return;
      down = true;
      warn(`Redis (REDIS_URL) unreachable: ${error.message}; retrying, events fail until it is back`);
    });
    redis.on("ready", () => {
      if (down) warn("Redis (REDIS_URL) reachable again");
      down = false;
    });
    return new RedisStore(redis, prefix);
  }

  #key(key: string) {
    return this.#prefix + key;
  }

  async get(key: string) {
    return (await this.#redis.get(this.#key(key))) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number) {
    await this.#redis.set(this.#key(key), value, "PX", ttl(ttlMs));
  }

  async del(key: string) {
    await this.#redis.del(this.#key(key));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number) {
    return (await this.#redis.set(this.#key(key), value, "PX", ttl(ttlMs), "NX")) === "OK";
  }

  async deleteIf(key: string, value: string) {
    return Number(await this.#script("embargoDeleteIf", key, value)) === 1;
  }

  async renewIf(key: string, value: string, ttlMs: number) {
    return Number(await this.#script("embargoRenewIf", key, value, String(ttl(ttlMs)))) === 1;
  }

  async setIfHigher(key: string, value: number, ttlMs: number) {
    return Number(await this.#script("embargoSetIfHigher", key, String(value), String(ttl(ttlMs)))) === 1;
  }

  #script(name: string, key: string, ...args: string[]): Promise<unknown> {
    const run = (this.#redis as unknown as Record<string, (...a: string[]) => Promise<unknown>>)[name]!;
    return run.call(this.#redis, this.#key(key), ...args);
  }

  /** Closes the connection after the commands already sent are answered. */
  async close(): Promise<void> {
    if (this.#redis.status === "end") return;
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}

/** Redis refuses PX 0 and fractions; a key always lives at least a millisecond. */
function ttl(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}
