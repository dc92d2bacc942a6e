import { createServer, type Server } from "node:http";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { probotFromEnv } from "../../src/adapters/probot-from-env.js";
import { testPrivateKey } from "../helpers/github-api.js";
import { testRedis } from "../helpers/redis.js";

const redis = await testRedis();
let server: Server | undefined;
afterAll(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  await redis.stop();
});

describe.skipIf(!redis.url)("Probot's own use of REDIS_URL", () => {
  it("every way of running builds Probot from the same environment, and with REDIS_URL its rate limiter (Bottleneck) keeps its state in that Redis", async () => {
    // A GitHub on loopback that answers the one request made (as GitHub Enterprise Server).
    server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: 1, slug: "embargo" }));
    });
    const port = await new Promise<number>((resolve) => server!.listen(0, "127.0.0.1", () => resolve((server!.address() as { port: number }).port)));
    const client = new Redis(redis.url!);
    try {
      // Bottleneck's keys have fixed names: a run shortly before (their expiry is minutes) left them,
      // so they are cleared first, and this run must write them again.
      const left = await client.keys("b_octokit-*");
      if (left.length) await client.del(...left);
      const probot = probotFromEnv({ APP_ID: "1", PRIVATE_KEY: testPrivateKey(), REDIS_URL: redis.url!, GHE_HOST: `127.0.0.1:${port}`, GHE_PROTOCOL: "http", LOG_LEVEL: "fatal" });
      const octokit = await probot.auth();
      const { data } = await octokit.request("GET /app");
      expect(data?.slug).toBe("embargo");
      expect(await client.keys("b_octokit-*")).not.toEqual([]);
    } finally {
      client.disconnect();
    }
  });
});
