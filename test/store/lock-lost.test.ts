/**
 * The per-issue lock lost while its work runs (a Redis restart, a failover, a partition longer
 * than the lock's ttl): the work must not write past it, or another instance's update in between
 * is overwritten.
 */
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeEach, expect, it } from "vitest";
import { RESPONSE_MARKER } from "../../src/record/markers.js";
import { commentEvent, createTestProbot, labeledEvent, recordOf } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { testRedis } from "../helpers/redis.js";
import { RedisStore } from "../../src/store/redis-store.js";
import type { FakeGitHub } from "../sweep/fake-github.js";
import { ISSUE, SECURITY, seededFake } from "../sweep/sweep-world.js";

const redis = await testRedis();
const opened: RedisStore[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
  await redis.stop();
});

let gh: GitHubMock;
let fake: FakeGitHub;
/** A request matching `held` waits for `release` before the fake GitHub answers it (`fail`: with that status, undone). */
let held: { method: string; path: RegExp; reached: () => void; release: Promise<void>; fail?: number } | undefined;
beforeEach(() => {
  gh = mockGitHub();
  fake = seededFake();
  const scope = gh.scope();
  scope.persist();
  for (const method of ["GET", "POST", "PATCH", "PUT", "DELETE"]) {
    scope
      .intercept(() => true, method)
      .optionally()
      .reply((uri: string, body: unknown, answer: (e: null, r: [number, never, Record<string, string>]) => void) => {
        const gate = held && held.method === method && held.path.test(new URL(uri, "https://x").pathname) ? held : undefined;
        if (gate) held = undefined;
        gate?.reached();
        void (gate?.release ?? Promise.resolve()).then(() => {
          const [status, data, headers] = gate?.fail ? [gate.fail, { message: "Bad Gateway" }, {}] : fake.handle(method, uri, body);
          answer(null, [status, data as never, { "content-type": "application/json; charset=utf-8", ...headers }]);
        });
      });
  }
});
afterEach(() => {
  expect(fake.unknown).toEqual([]);
  gh.done();
});

const response = () => fake.comments(SECURITY, ISSUE).filter((c) => c.body.includes(RESPONSE_MARKER));

it.skipIf(!redis.url)("a Redis restart while one instance's command runs: another instance's command in between is not overwritten, and the first one's redelivery applies it", async () => {
  const prefix = `embargo-test:${Math.random()}:`;
  const store = RedisStore.connect(redis.url!, prefix, () => undefined);
  opened.push(store);
  const a = createTestProbot(undefined, { store, shared: true });
  const b = createTestProbot(undefined, { store, shared: true });
  await a.receive(labeledEvent());

  // A has read the response and is reading the issue (a slow GitHub) when Redis restarts empty.
  let reached!: () => void;
  const atRead = new Promise<void>((r) => (reached = r));
  let release!: () => void;
  held = { method: "GET", path: /\/issues\/7$/, reached, release: new Promise<void>((r) => (release = r)) };
  const first = commentEvent({ commentId: 5001, commentBody: "/triage cwe CWE-89" });
  const running = a.receive(first).then(
    () => "ok",
    (e: Error) => e,
  );
  await atRead;
  const client = new Redis(redis.url!);
  try {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length) await client.del(...keys);
  } finally {
    client.disconnect();
  }
  // Meanwhile B takes the free lock and applies another command.
  await b.receive(commentEvent({ commentId: 5002, commentBody: "/triage component api" }));
  expect(recordOf(response()[0]!.body)).toMatchObject({ components: ["api"] });
  release();
  const outcome = await running;
  // A's delivery either wrote nothing (it failed, and GitHub shows it failed) or kept B's update.
  if (outcome !== "ok") await a.receive(first);
  expect(response()).toHaveLength(1);
  expect(recordOf(response()[0]!.body)).toMatchObject({ components: ["api"], cwes: ["CWE-89"] });
});

it.skipIf(!redis.url)("a write GitHub answered 502 is retried only while the lock is still ours: Redis restarted during the retry's wait, another instance's command in between is not overwritten", async () => {
  const prefix = `embargo-test:${Math.random()}:`;
  const store = RedisStore.connect(redis.url!, prefix, () => undefined);
  opened.push(store);
  // A runs with Probot's own retries (3 retries of a 5xx, any method), as in production.
  const a = createTestProbot(undefined, { store, shared: true }, { retries: true });
  const b = createTestProbot(undefined, { store, shared: true });
  await a.receive(labeledEvent());

  // A's update of the response gets a 502 (GitHub did not take it), answered once Redis has restarted.
  let reached!: () => void;
  const atWrite = new Promise<void>((r) => (reached = r));
  let release!: () => void;
  held = { method: "PATCH", path: /\/issues\/comments\/\d+$/, reached, release: new Promise<void>((r) => (release = r)), fail: 502 };
  const first = commentEvent({ commentId: 5001, commentBody: "/triage cwe CWE-89" });
  const running = a.receive(first).then(
    () => "ok",
    (e: Error) => e,
  );
  await atWrite;
  const client = new Redis(redis.url!);
  try {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length) await client.del(...keys);
  } finally {
    client.disconnect();
  }
  await b.receive(commentEvent({ commentId: 5002, commentBody: "/triage component api" }));
  expect(recordOf(response()[0]!.body)).toMatchObject({ components: ["api"] });
  release();
  const outcome = await running;
  if (outcome !== "ok") await a.receive(first);
  expect(response()).toHaveLength(1);
  expect(recordOf(response()[0]!.body)).toMatchObject({ components: ["api"], cwes: ["CWE-89"] });
});
