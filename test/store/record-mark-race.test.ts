/**
 * The record's write-count mark (`record-seq:`) raised by two instances at once: the higher count
 * must win whichever lands last, or an older version of the response put back reads as valid.
 */
import { afterAll, expect, it } from "vitest";
import { judgeSeq, readMark } from "../../src/github/record-mark.js";
import { RedisStore } from "../../src/store/redis-store.js";
import type { Store } from "../../src/store/store.js";
import { testRedis } from "../helpers/redis.js";

const redis = await testRedis();
const opened: RedisStore[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
  await redis.stop();
});

/** `store` whose writes (anything but a read) wait for `open`: an instance whose write lands late. */
function slowWrites(store: Store, open: Promise<void>): Store {
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== "function") return value;
      if (name === "get") return value.bind(target);
      return async (...args: unknown[]) => {
        await open;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

it.skipIf(!redis.url)("two instances raising the mark at once (a reader of count 5, a writer of count 6): the mark ends at 6, and a version 5 put back is behind", async () => {
  const prefix = `embargo-test:${Math.random()}:`;
  const [a, b] = [RedisStore.connect(redis.url!, prefix, () => undefined), RedisStore.connect(redis.url!, prefix, () => undefined)];
  opened.push(a, b);
  const issue = { owner: "acme", repo: "security", issue_number: 7 };
  let open!: () => void;
  // A fresh store (Redis restarted): A's tick reads the response at count 5 while B's command writes count 6.
  const reader = judgeSeq(slowWrites(a, new Promise<void>((r) => (open = r))), issue, undefined, 5);
  await new Promise((r) => setTimeout(r, 50));
  expect(await judgeSeq(b, issue, undefined, 6)).toBe("ok");
  open();
  expect(await reader).toBe("ok");
  expect(await readMark(b, issue)).toBe(6);
  // Someone pastes version 5 back from the comment's history: every instance reads it as behind.
  expect(await judgeSeq(a, issue, await readMark(a, issue), 5)).toBe("behind");
});
