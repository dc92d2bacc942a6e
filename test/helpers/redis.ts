import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { Redis } from "ioredis";
import { RedisStore } from "../../src/store/redis-store.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import type { Store } from "../../src/store/store.js";

/**
 * A Redis for the tests that need one. `.ci/run` starts one for the whole run and exports
 * EMBARGO_TEST_REDIS_URL; a local run without it starts its own redis-server (one per test file)
 * when the binary is installed. In CI (`CI=true`) a missing Redis fails the file; locally it skips
 * with the message in `skip`.
 */
export interface TestRedis {
  url?: string;
  skip?: string;
  stop: () => Promise<void>;
}

export const INSTALL_HINT = "Redis tests skipped: no EMBARGO_TEST_REDIS_URL and no redis-server on PATH. Install it (Debian/Ubuntu: `sudo apt-get install redis-server`) or run `bash .ci/run`.";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPing(url: string, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => undefined);
    try {
      await client.connect();
      if ((await client.ping()) === "PONG") return;
    } catch {
      // not up yet
    } finally {
      client.disconnect();
    }
    if (Date.now() > deadline) throw new Error(`no Redis answered PING at ${url} within 10 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function testRedis(): Promise<TestRedis> {
  const given = process.env.EMBARGO_TEST_REDIS_URL;
  if (given) {
    await waitForPing(given);
    return { url: given, stop: async () => undefined };
  }
  const found = spawnSync("redis-server", ["--version"], { stdio: "ignore" });
  if (found.error || found.status !== 0) {
    if (process.env.CI === "true") {
      throw new Error("CI=true: the Redis tests never skip, and there is no Redis: run them through `bash .ci/run` (it installs and starts one), or set EMBARGO_TEST_REDIS_URL, or install redis-server (`sudo apt-get install redis-server`).");
    }
    console.warn(INSTALL_HINT);
    return { skip: INSTALL_HINT, stop: async () => undefined };
  }
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"], { stdio: "ignore" });
  const url = `redis://127.0.0.1:${port}`;
  await waitForPing(url, child);
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** A store on `url` with a prefix of its own, so test files and tests sharing one Redis never meet. */
export function isolatedStore(url: string): RedisStore {
  return RedisStore.connect(url, `embargo-test:${randomUUID()}:`);
}

/**
 * The stores a shared-store test runs on: a MemoryStore (always) and a Redis one (when a Redis is
 * up), as `describe.each` rows `[name, make, available]`. Redis stores made are pushed on `opened`
 * so the file can close them.
 */
export function storeKinds(redis: TestRedis, opened: RedisStore[], memoryName: string, redisName = "Redis"): Array<[string, () => Store, boolean]> {
  return [
    [memoryName, () => new MemoryStore(), true],
    [
      redisName,
      () => {
        const s = isolatedStore(redis.url!);
        opened.push(s);
        return s;
      },
      Boolean(redis.url),
    ],
  ];
}
