import type { Store } from "./store.js";

/**
 * One process's store: a Map in insertion order, bounded so memory follows the work, not the
 * history (the oldest keys are dropped first; every caller treats a missing key as "read GitHub").
 */
export class MemoryStore implements Store {
  readonly #entries = new Map<string, { value: string; until: number }>();
  constructor(
    private readonly maxKeys = 50_000,
    private readonly clock: () => number = Date.now,
  ) {}

  #live(key: string) {
    const entry = this.#entries.get(key);
    if (entry && entry.until <= this.clock()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  async get(key: string) {
    return this.#live(key)?.value;
  }

  async set(key: string, value: string, ttlMs: number) {
    this.#entries.delete(key);
    this.#entries.set(key, { value, until: this.clock() + ttlMs });
    while (this.#entries.size > this.maxKeys) this.#entries.delete(this.#entries.keys().next().value!);
  }

  async del(key: string) {
    this.#entries.delete(key);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number) {
    if (this.#live(key)) return false;
    await this.set(key, value, ttlMs);
    return true;
  }

  async deleteIf(key: string, value: string) {
    if (this.#live(key)?.value !== value) return false;
    this.#entries.delete(key);
    return true;
  }

  async setIfHigher(key: string, value: number, ttlMs: number) {
    const held = Number(this.#live(key)?.value);
    if (Number.isFinite(held) && held >= value) return false;
    await this.set(key, String(value), ttlMs);
    return true;
  }

  async renewIf(key: string, value: string, ttlMs: number) {
    const entry = this.#live(key);
    if (entry?.value !== value) return false;
    entry.until = this.clock() + ttlMs;
    return true;
  }
}
