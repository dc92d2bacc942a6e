/**
 * The proof for several instances: two app processes (real HTTP servers on loopback, each its own
 * Node process) and one Redis receive the same signed deliveries at the same time. nock cannot
 * reach another process, so GitHub is the sweep's fake (test/sweep/fake-github.ts) served over
 * HTTP on loopback, and the instances find it through GHE_HOST/GHE_PROTOCOL as a GitHub
 * Enterprise Server. Asserted on what users see: one response comment, every command's effect in
 * the record, each command handled once (one 👀 and one 👍 per command comment, no reply twice).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RESPONSE_MARKER } from "../../src/record/markers.js";
import { commentEvent, labeledEvent, recordOf, TEST_SECRET } from "../helpers/app.js";
import { testPrivateKey } from "../helpers/github-api.js";
import { testRedis } from "../helpers/redis.js";
import type { FakeGitHub } from "../sweep/fake-github.js";
import { SECURITY, seededFake } from "../sweep/sweep-world.js";
import { ranOf } from "../../src/record/ran.js";

const redis = await testRedis();
const ROOT = new URL("../../", import.meta.url).pathname;
const WEBHOOK_SECRET = "two-instances-webhook-secret";
const CVSS = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
const COMMANDS = [
  "/triage cwe CWE-89",
  `/triage cvss ${CVSS}`,
  "/triage mitigation Escape the user name before it reaches SQL.",
  "/triage credit @reporter finder",
  "/triage component api",
  "/triage reproduced yes",
  "/triage affects npm/acme-api <2.4.1",
  "/triage owner @sec1",
];
const SPLIT = [
  "/triage cwe CWE-20",
  "/triage mitigation Rate-limit the login form.",
  "/triage affects npm/acme-web <1.0.2",
  "/triage credit @sec1 remediation_developer",
  "/triage cwe CWE-943",
  "/triage mitigation Disable the legacy login endpoint.",
];

interface Seen {
  /** Which instance made the request (its user agent). */
  by: string;
  method: string;
  path: string;
  body: any;
}

let fake: FakeGitHub;
const seen: Seen[] = [];
let github: Server;
const instances: { child: ChildProcess; port: number }[] = [];
let buildDir = "";

/** The fake GitHub on loopback: `/api/v3/…` (REST) and `/api/graphql`, as on GitHub Enterprise Server. */
function serveFake(): Promise<number> {
  github = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const url = (req.url ?? "/").replace(/^\/api\/v3(?=\/)/, "").replace(/^\/api\/graphql/, "/graphql");
      const method = req.method ?? "GET";
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        // not JSON: as sent
      }
      const by = /embargo-instance-(\w+)/.exec(req.headers["user-agent"] ?? "")?.[1] ?? "?";
      seen.push({ by, method, path: url.split("?")[0]!, body });
      // The dashboard issue is pinned (on by default in production; the sweep's fake runs without it).
      const pin = typeof (body as { query?: string }).query === "string" && (body as { query: string }).query.includes("pinIssue");
      const [status, data, headers] = pin ? [200, { data: { pinIssue: { issue: { id: (body as any).variables?.id } } } }, undefined] : fake.handle(method, url, raw);
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(typeof data === "string" ? data : JSON.stringify(data ?? null));
    });
  });
  return new Promise((resolve) => github.listen(0, "127.0.0.1", () => resolve((github.address() as { port: number }).port)));
}

/** The child's source bundled into one file two levels below the repo, so `templates/` resolves as from lib/. */
async function buildChild(): Promise<string> {
  buildDir = join(ROOT, ".proof-build", `${process.pid}`);
  mkdirSync(buildDir, { recursive: true });
  const { build } = await import("rolldown");
  const file = join(buildDir, "child.mjs");
  await build({
    input: join(ROOT, "test/store/instance-child.ts"),
    platform: "node",
    external: (id: string) => !id.startsWith(".") && !id.startsWith("/") && !id.startsWith("\0"),
    output: { file, format: "esm" },
    logLevel: "silent",
  });
  return file;
}

function startInstance(name: string, file: string, githubPort: number): Promise<{ child: ChildProcess; port: number }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: "test",
    APP_ID: "1",
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET,
    EMBARGO_SECRET: TEST_SECRET,
    EMBARGO_TICK_MINUTES: "0",
    EMBARGO_REDIS_PREFIX: `embargo-proof:${process.pid}:`,
    REDIS_URL: redis.url!,
    GHE_HOST: `127.0.0.1:${githubPort}`,
    GHE_PROTOCOL: "http",
    LOG_LEVEL: "fatal",
    INSTANCE_NAME: name,
  };
  const child = spawn(process.execPath, [file], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance did not start: ${stderr}`)), 15_000);
    child.once("exit", (code) => reject(new Error(`instance exited (${code}): ${stderr}`)));
    child.stdout!.on("data", (d: Buffer) => {
      const m = /listening (\d+)/.exec(d.toString());
      if (!m) return;
      clearTimeout(timer);
      resolve({ child, port: Number(m[1]) });
    });
  });
}

/** One delivery as GitHub sends it: signed with the webhook secret, the same id to every instance. */
function deliver(port: number, event: { id: string; name: string; payload: unknown }): Promise<number> {
  const body = JSON.stringify(event.payload);
  const signature = `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, method: "POST", path: "/api/github/webhooks", headers: { "content-type": "application/json", "x-github-event": event.name, "x-github-delivery": event.id, "x-hub-signature-256": signature } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe.skipIf(!redis.url)("two instances, one Redis", () => {
  beforeAll(async () => {
    fake = seededFake();
    const file = await buildChild();
    const port = await serveFake();
    instances.push(await startInstance("A", file, port), await startInstance("B", file, port));
  }, 60_000);

  afterAll(async () => {
    for (const { child } of instances) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    await new Promise((r) => github?.close(r));
    if (buildDir) rmSync(buildDir, { recursive: true, force: true });
    await redis.stop();
  });

  const orders: Array<[string, number, 0 | 1]> = [
    ["instance A first", 7, 0],
    ["instance B first", 3, 1],
  ];

  it.each(orders)("the same deliveries to both at the same time (%s): one response, every command applied once, no lost update", async (_order, number, first) => {
    const [x, y] = first === 0 ? [instances[0]!, instances[1]!] : [instances[1]!, instances[0]!];
    fake.issue(SECURITY, number, { labels: ["security"] });
    const both = (event: { id: string; name: string; payload: unknown }) => [deliver(x.port, event), deliver(y.port, event)];

    const label = labeledEvent({ number, title: "SQL injection in the login form" });
    expect(await Promise.all(both(label))).toEqual([200, 200]);

    // Every command, each delivered to both instances, all at once: only the per-issue lock keeps
    // one instance's update from overwriting another's, only the delivery memory keeps a command
    // from being handled twice.
    const commentIds = COMMANDS.map((_c, i) => number * 1000 + i + 1);
    const events = COMMANDS.map((body, i) => commentEvent({ number, commentId: commentIds[i], commentBody: body, sender: "alice" }));
    const statuses = await Promise.all(events.flatMap((e, i) => (i % 2 ? both(e).reverse() : both(e))));
    expect(statuses.every((s) => s === 200)).toBe(true);

    // Then more commands, each to one instance only, alternating, all at once: the two instances
    // work on one response at the same moment, and each update must survive the other's.
    const splitIds = SPLIT.map((_c, i) => number * 1000 + 100 + i);
    const split = SPLIT.map((body, i) => commentEvent({ number, commentId: splitIds[i], commentBody: body, sender: "alice" }));
    expect(await Promise.all(split.map((e, i) => deliver((i % 2 ? y : x).port, e)))).toEqual(split.map(() => 200));
    const eyesBy = new Set(seen.filter((r) => r.body?.content === "eyes" && splitIds.some((id) => r.path.endsWith(`/comments/${id}/reactions`))).map((r) => r.by));
    expect([...eyesBy].sort()).toEqual(["A", "B"]);

    const comments = fake.comments(SECURITY, number);
    const responses = comments.filter((c) => c.body.includes(RESPONSE_MARKER));
    expect(responses).toHaveLength(1);
    const record = recordOf(responses[0]!.body, `acme/security#${number}`);
    expect(record.cwes).toContain("CWE-89");
    expect(record.cvss?.vector).toBe(CVSS);
    expect(record.mitigations.join(" ")).toContain("Escape the user name");
    expect(record.credits.map((c) => c.login)).toContain("reporter");
    expect(record.components).toContain("api");
    expect(record.reproduced).toBe(true);
    expect(record.affected.map((a) => a.package)).toContain("acme-api");
    expect(record.triager).toBe("sec1");
    expect(record.cwes).toEqual(expect.arrayContaining(["CWE-89", "CWE-20", "CWE-943"]));
    expect(record.mitigations.join(" ")).toContain("Rate-limit the login form");
    expect(record.mitigations.join(" ")).toContain("Disable the legacy login endpoint");
    expect(record.affected.map((a) => a.package)).toContain("acme-web");
    expect(record.credits.map((c) => c.login)).toContain("sec1");
    for (const id of [...commentIds, ...splitIds]) expect(ranOf(record.ran).get(String(id))).toHaveLength(1);

    const reactions = (id: number, content: string) => seen.filter((r) => r.method === "POST" && r.path.endsWith(`/issues/comments/${id}/reactions`) && r.body?.content === content).length;
    for (const id of [...commentIds, ...splitIds]) {
      expect(reactions(id, "eyes"), `👀 on comment ${id}`).toBe(1);
      expect(reactions(id, "+1"), `👍 on comment ${id}`).toBe(1);
    }
    const bodies = comments.map((c) => c.body);
    expect(new Set(bodies).size).toBe(bodies.length);
    expect(fake.unknown, fake.unknown.join("\n")).toEqual([]);
  }, 60_000);

  it("an instance told to stop (SIGTERM) closes its Redis connection and ends as the signal says", async () => {
    const client = new Redis(redis.url!);
    try {
      const named = async () => (await client.client("LIST") as string).split("\n").filter((l) => / name=embargo /.test(l)).length;
      const before = await named();
      expect(before).toBeGreaterThanOrEqual(2);
      const { child } = instances.pop()!;
      const exited = new Promise<NodeJS.Signals | null>((r) => child.once("exit", (_code, signal) => r(signal)));
      child.kill("SIGTERM");
      expect(await exited).toBe("SIGTERM");
      expect(await named()).toBe(before - 1);
    } finally {
      client.disconnect();
    }
  });
});
