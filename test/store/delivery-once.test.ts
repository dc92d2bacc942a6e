import { Redis } from "ioredis";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Probot } from "probot";
import { RESPONSE_MARKER } from "../../src/record/markers.js";
import type { Store } from "../../src/store/store.js";
import { commentEvent, createTestProbot, labeledEvent } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { storeKinds, testRedis } from "../helpers/redis.js";
import type { RedisStore } from "../../src/store/redis-store.js";
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
beforeEach(() => {
  gh = mockGitHub();
  fake = seededFake();
  fake.install(gh);
});
afterEach(() => {
  expect(fake.unknown).toEqual([]);
  gh.done();
});

/** Two instances of the app, each its own Probot (own queue, own caches), sharing one store. */
function twoInstances(store: Store): [Probot, Probot] {
  return [createTestProbot(undefined, { store, shared: true }), createTestProbot(undefined, { store, shared: true })];
}

const responses = () => fake.comments(SECURITY, ISSUE).filter((c) => c.body.includes(RESPONSE_MARKER));
const writes = () => gh.requests.filter((r) => r.method !== "GET" && !r.path.endsWith("/access_tokens")).length;

const kinds = storeKinds(redis, opened, "a MemoryStore marked shared");

describe.each(kinds)("the delivery-id memory through the app, on %s", (_name, make, available) => {
  it.skipIf(!available)("the same delivery reaching both instances at once acts once; a later redelivery of it does nothing", async () => {
    const [a, b] = twoInstances(make());
    const label = labeledEvent();
    await Promise.all([a.receive(label), b.receive(label)]);
    expect(responses()).toHaveLength(1);

    const command = commentEvent({ commentId: 5001, commentBody: "/triage cwe CWE-89" });
    await Promise.all([b.receive(command), a.receive(command)]);
    const afterCommand = writes();
    const eyes = gh.requests.filter((r) => r.method === "POST" && r.path.endsWith("/comments/5001/reactions") && (r.body as { content?: string }).content === "eyes");
    expect(eyes).toHaveLength(1);
    expect(responses()[0]!.body).toContain("CWE-89");

    await a.receive(command);
    await b.receive(label);
    expect(writes()).toBe(afterCommand);
  });

  it.skipIf(!available)("a delivery whose handler failed runs again when redelivered (same delivery id), on either instance", async () => {
    const [a, b] = twoInstances(make());
    const label = labeledEvent();
    fake.fail("POST", /\/issues\/7\/comments$/, 502, { message: "Bad Gateway" });
    await expect(a.receive(label)).rejects.toThrow();
    expect(responses()).toHaveLength(0);

    fake.failures.length = 0;
    await b.receive(label);
    expect(responses()).toHaveLength(1);
  });
});

it("without a shared store (one replica), a delivery received twice runs twice, as before: the handlers' own idempotency is what holds", async () => {
  const probot = createTestProbot();
  const command = commentEvent({ commentId: 5002, commentBody: "/triage cwe CWE-89" });
  await probot.receive(labeledEvent());
  await probot.receive(command);
  await probot.receive(command);
  const eyes = gh.requests.filter((r) => r.method === "POST" && r.path.endsWith("/comments/5002/reactions") && (r.body as { content?: string }).content === "eyes");
  expect(eyes).toHaveLength(2);
  expect(responses()).toHaveLength(1);
});

describe.skipIf(!redis.url)("REDIS_URL", () => {
  it("makes the app's store a Redis one, shared by every instance given the same URL (keys under EMBARGO_REDIS_PREFIX)", async () => {
    const prefix = `embargo-test:${Math.random()}:`;
    const env = { REDIS_URL: redis.url!, EMBARGO_REDIS_PREFIX: prefix };
    const a = createTestProbot(undefined, { env });
    const b = createTestProbot(undefined, { env });
    const label = labeledEvent();
    await Promise.all([a.receive(label), b.receive(label)]);
    expect(responses()).toHaveLength(1);
    const client = new Redis(redis.url!);
    try {
      const keys = await client.keys(`${prefix}*`);
      expect(keys).toContain(`${prefix}delivery:${label.id}:intake:done`);
      expect(await client.pttl(`${prefix}delivery:${label.id}:intake:done`)).toBeGreaterThan(24 * 3_600_000);
    } finally {
      client.disconnect();
    }
  });
});
