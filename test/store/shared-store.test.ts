import { afterAll, describe, expect, it } from "vitest";
import { oncePerDelivery } from "../../src/store/delivery-memory.js";
import { HeldTooLongError, type HoldTiming } from "../../src/store/held-key.js";
import { LockedQueue } from "../../src/store/locked-queue.js";
import { RedisStore } from "../../src/store/redis-store.js";
import { StoreLease } from "../../src/store/store-lease.js";
import { InProcessLease, stackLeases } from "../../src/tick/lease.js";
import { storeKinds, testRedis } from "../helpers/redis.js";

const redis = await testRedis();
const opened: RedisStore[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
  await redis.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FAST: HoldTiming = { ttlMs: 150, renewMs: 40, maxWaitMs: 5_000, firstBackoffMs: 5, maxBackoffMs: 30 };

// Two "instances": each has its own queue (its own process's first line), both share one store.
const kinds = storeKinds(redis, opened, "one MemoryStore shared in-process");

describe.each(kinds)("across instances, on %s", (_name, make, available) => {
  it.skipIf(!available)("the per-issue lock: tasks of two instances on one issue never overlap, and all run", async () => {
    const store = make();
    const a = new LockedQueue(store, FAST);
    const b = new LockedQueue(store, FAST);
    let inside = 0;
    let most = 0;
    const ran: string[] = [];
    const task = (name: string) => async () => {
      inside++;
      most = Math.max(most, inside);
      await sleep(15);
      ran.push(name);
      inside--;
      return name;
    };
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).run("acme/security#7", task(`t${i}`))));
    expect(results).toEqual(Array.from({ length: 12 }, (_, i) => `t${i}`));
    expect(ran.sort()).toEqual(results.sort());
    expect(most).toBe(1);
  });

  it.skipIf(!available)("different issues do not wait for each other", async () => {
    const store = make();
    const a = new LockedQueue(store, FAST);
    const b = new LockedQueue(store, FAST);
    let inside = 0;
    let most = 0;
    const task = async () => {
      inside++;
      most = Math.max(most, inside);
      await sleep(60);
      inside--;
    };
    await Promise.all([a.run("acme/security#1", task), b.run("acme/security#2", task)]);
    expect(most).toBe(2);
  });

  it.skipIf(!available)("the lock is renewed while a task outlives its ttl: the other instance still waits", async () => {
    const store = make();
    const a = new LockedQueue(store, FAST);
    const b = new LockedQueue(store, FAST);
    const events: string[] = [];
    const long = a.run("k", async () => {
      events.push("a start");
      await sleep(FAST.ttlMs * 4);
      events.push("a end");
    });
    await sleep(20);
    await b.run("k", async () => void events.push("b"));
    await long;
    expect(events).toEqual(["a start", "a end", "b"]);
  });

  it.skipIf(!available)("a lock left by an instance that died frees itself after its ttl; a task that throws releases it at once", async () => {
    const store = make();
    await store.set("lock:k", "a dead instance's token", FAST.ttlMs);
    const started = Date.now();
    const q = new LockedQueue(store, FAST);
    await q.run("k", async () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(FAST.ttlMs - 20);
    await expect(q.run("k", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await store.get("lock:k")).toBeUndefined();
  });

  it.skipIf(!available)("waiting is bounded: a lock held past maxWait fails the task with a reason", async () => {
    const store = make();
    await store.set("lock:k", "someone", 60_000);
    const q = new LockedQueue(store, { ...FAST, maxWaitMs: 100 });
    let ran = false;
    await expect(q.run("k", async () => void (ran = true))).rejects.toBeInstanceOf(HeldTooLongError);
    expect(ran).toBe(false);
  });

  it.skipIf(!available)("one delivery reaching two instances at once runs its handler once", async () => {
    const store = make();
    let runs = 0;
    const handler = async () => {
      runs++;
      await sleep(30);
    };
    const outcomes = await Promise.all([
      oncePerDelivery(store, { id: "d-1", handler: "commands" }, handler, FAST),
      oncePerDelivery(store, { id: "d-1", handler: "commands" }, handler, FAST),
    ]);
    expect(runs).toBe(1);
    expect(outcomes.sort()).toEqual(["done before", "ran"]);
    // Later, a redelivery of the same (succeeded) delivery: nothing to do.
    expect(await oncePerDelivery(store, { id: "d-1", handler: "commands" }, handler, FAST)).toBe("done before");
    // Another handler of the same event is its own entry.
    expect(await oncePerDelivery(store, { id: "d-1", handler: "intake" }, handler, FAST)).toBe("ran");
    expect(runs).toBe(2);
  });

  it.skipIf(!available)("a failed handler is not remembered: the instance waiting runs it, and so does a redelivery", async () => {
    const store = make();
    let runs = 0;
    const failsOnce = async () => {
      runs++;
      await sleep(30);
      if (runs === 1) throw new Error("GitHub answered 502");
    };
    const [first, second] = await Promise.allSettled([
      oncePerDelivery(store, { id: "d-2", handler: "commands" }, failsOnce, FAST),
      sleep(5).then(() => oncePerDelivery(store, { id: "d-2", handler: "commands" }, failsOnce, FAST)),
    ]);
    expect(first.status).toBe("rejected");
    expect(second).toEqual({ status: "fulfilled", value: "ran" });
    expect(runs).toBe(2);

    let again = 0;
    const alwaysFails = async () => {
      again++;
      throw new Error("down");
    };
    await expect(oncePerDelivery(store, { id: "d-3", handler: "commands" }, alwaysFails, FAST)).rejects.toThrow("down");
    await expect(oncePerDelivery(store, { id: "d-3", handler: "commands" }, alwaysFails, FAST)).rejects.toThrow("down");
    expect(again).toBe(2);
  });

  it.skipIf(!available)("the tick's lease: one instance holds a repo, the other skips it until released", async () => {
    const store = make();
    const a = stackLeases(new StoreLease(store), new InProcessLease());
    const b = stackLeases(new StoreLease(store), new InProcessLease());
    const release = await a.acquire("tick:acme/security", 60_000);
    expect(release).toBeDefined();
    expect(await b.acquire("tick:acme/security", 60_000)).toBeUndefined();
    expect(await b.acquire("tick:acme/other", 60_000)).toBeDefined();
    await release!();
    const next = await b.acquire("tick:acme/security", 60_000);
    expect(next).toBeDefined();
    // A release after the lease expired and was taken by another does not free the other's.
    await next!();
    const short = await a.acquire("tick:x", 50);
    await sleep(100);
    const taken = await b.acquire("tick:x", 60_000);
    await short!();
    expect(await a.acquire("tick:x", 60_000)).toBeUndefined();
    await taken!();
  });
});
