/**
 * The tick's per-repo lease lost while a tick works on the repo (a Redis restart, or a tick past
 * the lease's 30 minutes): another instance's tick then works on it too, and the first one must
 * not write past its lease (here: a second issue for one CVE feed entry).
 */
import { readFileSync } from "node:fs";
import { Redis } from "ioredis";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { afterAll, afterEach, beforeEach, expect, it, vi } from "vitest";
import { RedisStore } from "../../src/store/redis-store.js";
import type { Store } from "../../src/store/store.js";
import type { TickReport } from "../../src/tick/run-tick.js";
import { createTestProbot, TEST_SECRET } from "../helpers/app.js";
import { mockGitHub, testPrivateKey, type GitHubMock } from "../helpers/github-api.js";
import { testRedis } from "../helpers/redis.js";
import { CONFIG, reminders, tickWorld } from "../tick/tick-world.js";
import { commentList } from "../helpers/app.js";

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
  nock.cleanAll();
});

const NOW = new Date("2026-11-22T12:00:00Z");
const RSS_URL = "https://nvd.example/feeds/xml/cve/misc/nvd-rss.xml";
const rss = readFileSync(new URL("../fixtures/feeds/nvd-recent.rss.xml", import.meta.url), "utf8");
const FEED_CONFIG = `${CONFIG}components:\n  upload: { package: { ecosystem: npm, name: acme-upload } }\nfeeds:\n  - url: ${RSS_URL}\n`;


/** An instance in its own copy of the app's modules, as another process would be (nothing in memory shared). */
async function otherProcess(store: Store): Promise<() => Promise<TickReport>> {
  vi.resetModules();
  const { createApp } = await import("../../src/index.js");
  (await import("../../src/github/create-once.js")).setCreatePause(0);
  (await import("../../src/github/record-mark.js")).setLagPause(0);
  let tick: (() => Promise<TickReport>) | undefined;
  const probot = new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { ...(o.throttle as object), enabled: false } })),
    logLevel: "fatal",
  });
  await probot.load(createApp({ now: () => NOW, secret: TEST_SECRET, dashboard: false, tickMinutes: 0, store, shared: true, onTick: (t) => (tick = t) }));
  return () => tick!();
}

it.skipIf(!redis.url)("Redis restarted while one instance's tick reads a feed entry's issues: the other instance's tick opens its issue, and the first one does not open a second", async () => {
  const prefix = `embargo-test:${Math.random()}:`;
  const store = RedisStore.connect(redis.url!, prefix, () => undefined);
  opened.push(store);
  // A's look for the entry's issue (GitHub answers: none yet) reaches A only once B's tick is done.
  let armed = true;
  let reached!: () => void;
  const atLook = new Promise<void>((r) => (reached = r));
  let answer!: () => void;
  const answered = new Promise<void>((r) => (answer = r));
  gh.api
    .persist()
    .get("/repos/acme/security/issues")
    .query((q) => armed && q.state === "all" && typeof q.since === "string")
    .reply((_uri: string, _body: unknown, cb: (e: null, r: [number, unknown[]]) => void) => {
      armed = false;
      reached();
      void answered.then(() => cb(null, [200, []]));
    });
  const world = await tickWorld(gh, NOW, {}, FEED_CONFIG, false);
  nock("https://nvd.example").persist().get("/feeds/xml/cve/misc/nvd-rss.xml").reply(200, rss);

  let tickA: (() => Promise<TickReport>) | undefined;
  const a = createTestProbot(NOW, { store, shared: true, onTick: (t) => (tickA = t) });
  await a.load(() => undefined);
  const b = await otherProcess(store);

  const first = tickA!();
  await atLook;
  const client = new Redis(redis.url!);
  try {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length) await client.del(...keys);
  } finally {
    client.disconnect();
  }
  const second = await b();
  expect(second.repos).toEqual(["acme/security"]);
  expect(world.opened).toHaveLength(1);
  answer();
  // A's tick says it failed on the repo (cron sees it; the next tick works on it again).
  expect((await first).failed).toEqual(["acme/security"]);
  expect(world.opened.map((i) => i.title)).toEqual([expect.stringMatching(/^CVE-2026-41001: /)]);
});

it.skipIf(!redis.url)("Redis restarted while a tick reconciles a response: its refused reminder is not a success, the tick reports the repo failed", async () => {
  const prefix = `embargo-test:${Math.random()}:`;
  const store = RedisStore.connect(redis.url!, prefix, () => undefined);
  opened.push(store);
  // The response's comments, read under its lock, reach the tick only once Redis has restarted.
  let armed = true;
  let reached!: () => void;
  const atRead = new Promise<void>((r) => (reached = r));
  let answer!: () => void;
  const answered = new Promise<void>((r) => (answer = r));
  let world!: Awaited<ReturnType<typeof tickWorld>>;
  gh.api
    .persist()
    .get("/repos/acme/security/issues/7/comments")
    .query(() => armed)
    .reply((_uri: string, _body: unknown, cb: (e: null, r: [number, unknown[]]) => void) => {
      armed = false;
      const list = commentList(world.comments);
      reached();
      void answered.then(() => cb(null, [200, list]));
    });
  // No dashboard: the reminder is the tick's only write on the repo.
  world = await tickWorld(gh, new Date("2026-11-21T10:30:00Z"), {}, `${CONFIG}dashboard:\n  enabled: false\n`, false);
  let tickA: (() => Promise<TickReport>) | undefined;
  const a = createTestProbot(new Date("2026-11-21T10:30:00Z"), { store, shared: true, onTick: (t) => (tickA = t) });
  await a.load(() => undefined);

  const first = tickA!();
  await atRead;
  const client = new Redis(redis.url!);
  try {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length) await client.del(...keys);
  } finally {
    client.disconnect();
  }
  answer();
  const report = await first;
  expect(reminders(world)).toEqual([]);
  // Cron must hear of it: nothing was written, the next tick tries again.
  expect(report.failed).toEqual(["acme/security"]);
  expect(report.repos).toEqual([]);
});
