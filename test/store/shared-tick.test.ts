import nock from "nock";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RedisStore } from "../../src/store/redis-store.js";
import type { Store } from "../../src/store/store.js";
import type { TickReport } from "../../src/tick/run-tick.js";
import { createTestProbot } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { storeKinds, testRedis } from "../helpers/redis.js";
import { tickWorld } from "../tick/tick-world.js";

const redis = await testRedis();
const opened: RedisStore[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
  await redis.stop();
});

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => {
  const problems = gh.requests.filter((r) => !r.matched || r.errors.length);
  nock.cleanAll();
  expect(problems).toEqual([]);
});

const NOW = new Date("2026-11-22T12:00:00Z");

async function instanceTick(store: Store): Promise<() => Promise<TickReport>> {
  let tick: (() => Promise<TickReport>) | undefined;
  const probot = createTestProbot(NOW, { store, shared: true, onTick: (t) => (tick = t) });
  await probot.load(() => undefined);
  return () => tick!();
}

const kinds = storeKinds(redis, opened, "a MemoryStore marked shared");

describe.each(kinds)("the tick's lease across instances, on %s", (_name, make, available) => {
  it.skipIf(!available)("two instances ticking at once: one works on the security repo, the other skips it; later ticks take turns", async () => {
    const world = await tickWorld(gh, NOW, {}, undefined, false);
    const store = make();
    const [a, b] = [await instanceTick(store), await instanceTick(store)];
    const [ra, rb] = await Promise.all([a(), b()]);
    expect([...ra.repos, ...rb.repos]).toEqual(["acme/security"]);
    expect([...ra.skipped, ...rb.skipped]).toEqual(["acme/security"]);
    expect(world.dashboard).toBeDefined();
    // Released when done: the next tick, on either instance, works on it again.
    expect((await b()).repos).toEqual(["acme/security"]);
    expect((await a()).repos).toEqual(["acme/security"]);
  });
});
