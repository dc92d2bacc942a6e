import { afterAll, describe, expect, it } from "vitest";
import { RedisStore } from "../../src/store/redis-store.js";
import { freePort, isolatedStore, storeKinds, testRedis } from "../helpers/redis.js";

const redis = await testRedis();
const opened: RedisStore[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
  await redis.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const kinds = storeKinds(redis, opened, "MemoryStore", "RedisStore");

describe.each(kinds)("the Store contract: %s", (_name, make, available) => {
  it.skipIf(!available)("get / set / del, and a missing key reads as undefined", async () => {
    const store = make();
    expect(await store.get("a")).toBeUndefined();
    await store.set("a", "one", 10_000);
    expect(await store.get("a")).toBe("one");
    await store.set("a", "two", 10_000);
    expect(await store.get("a")).toBe("two");
    await store.del("a");
    expect(await store.get("a")).toBeUndefined();
    await store.del("never-there");
  });

  it.skipIf(!available)("every key expires after its ttl", async () => {
    const store = make();
    await store.set("short", "x", 60);
    await store.set("long", "y", 10_000);
    await sleep(150);
    expect(await store.get("short")).toBeUndefined();
    expect(await store.get("long")).toBe("y");
  });

  it.skipIf(!available)("setIfAbsent sets only once while the key lives, again once it expired", async () => {
    const store = make();
    expect(await store.setIfAbsent("lock", "t1", 80)).toBe(true);
    expect(await store.setIfAbsent("lock", "t2", 80)).toBe(false);
    expect(await store.get("lock")).toBe("t1");
    await sleep(150);
    expect(await store.setIfAbsent("lock", "t2", 10_000)).toBe(true);
    expect(await store.get("lock")).toBe("t2");
  });

  it.skipIf(!available)("setIfAbsent: of many concurrent callers exactly one wins", async () => {
    const store = make();
    const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent("race", `t${i}`, 10_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it.skipIf(!available)("deleteIf deletes only while the key holds the value", async () => {
    const store = make();
    await store.set("lock", "mine", 10_000);
    expect(await store.deleteIf("lock", "theirs")).toBe(false);
    expect(await store.get("lock")).toBe("mine");
    expect(await store.deleteIf("lock", "mine")).toBe(true);
    expect(await store.get("lock")).toBeUndefined();
    expect(await store.deleteIf("lock", "mine")).toBe(false);
  });

  it.skipIf(!available)("renewIf extends the expiry only while the key holds the value", async () => {
    const store = make();
    await store.set("lock", "mine", 100);
    expect(await store.renewIf("lock", "theirs", 10_000)).toBe(false);
    expect(await store.renewIf("lock", "mine", 10_000)).toBe(true);
    await sleep(200);
    expect(await store.get("lock")).toBe("mine");
    await store.set("other", "x", 60);
    await sleep(150);
    expect(await store.renewIf("other", "x", 10_000)).toBe(false);
    expect(await store.get("other")).toBeUndefined();
  });

  it.skipIf(!available)("setIfHigher sets a number only over an absent, expired or lower one, and then renews its expiry; many at once leave the highest", async () => {
    const store = make();
    expect(await store.setIfHigher("seq", 5, 100)).toBe(true);
    expect(await store.setIfHigher("seq", 4, 10_000)).toBe(false);
    expect(await store.setIfHigher("seq", 5, 10_000)).toBe(false);
    expect(await store.get("seq")).toBe("5");
    expect(await store.setIfHigher("seq", 6, 10_000)).toBe(true);
    await sleep(200);
    expect(await store.get("seq")).toBe("6");
    await store.set("gone", "9", 60);
    await sleep(150);
    expect(await store.setIfHigher("gone", 1, 10_000)).toBe(true);
    expect(await store.get("gone")).toBe("1");
    await Promise.all([3, 9, 1, 7, 8, 2].map((n) => store.setIfHigher("many", n, 10_000)));
    expect(await store.get("many")).toBe("9");
  });
});

describe.skipIf(!redis.url)("RedisStore", () => {
  it("keeps each prefix apart, so two apps (or two test files) can share one Redis", async () => {
    const a = isolatedStore(redis.url!);
    const b = isolatedStore(redis.url!);
    opened.push(a, b);
    await a.set("k", "from a", 10_000);
    expect(await b.get("k")).toBeUndefined();
    expect(await b.setIfAbsent("k", "from b", 10_000)).toBe(true);
    expect(await a.get("k")).toBe("from a");
  });

  it("two connections see one store: what one instance sets, the other reads", async () => {
    const a = RedisStore.connect(redis.url!, "embargo-test:shared:");
    const b = RedisStore.connect(redis.url!, "embargo-test:shared:");
    opened.push(a, b);
    const key = `k-${Math.random()}`;
    expect(await a.setIfAbsent(key, "a", 10_000)).toBe(true);
    expect(await b.setIfAbsent(key, "b", 10_000)).toBe(false);
    expect(await b.deleteIf(key, "a")).toBe(true);
    expect(await a.get(key)).toBeUndefined();
  });
});

describe("RedisStore without a Redis", () => {
  it("fails the command after a few retries (the delivery fails and can be redelivered) and says so once, not per reconnection", async () => {
    const warnings: string[] = [];
    const store = RedisStore.connect(`redis://127.0.0.1:${await freePort()}`, "embargo-test:", (m) => warnings.push(m));
    try {
      await expect(store.setIfAbsent("lock:acme/security#7", "t", 1000)).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 300));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/Redis \(REDIS_URL\) unreachable/);
    } finally {
      await store.close();
    }
  });
});
