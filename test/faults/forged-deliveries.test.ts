/**
 * Issue 14: forged, unsigned and replayed-with-another-body deliveries are refused on the HTTP
 * path, before the app sees them: a real HTTP request (raw socket, so nock's client interception
 * is not involved) to a real server running the app's middleware (src/adapters/node-middleware.ts,
 * Probot's `X-Hub-Signature-256` check). 4xx, no GitHub call, nothing changed; the same delivery
 * correctly signed does change the response, so the path is live.
 */
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { embargoMiddleware } from "../../src/adapters/node-middleware.js";
import { createApp } from "../../src/index.js";
import { subscribedExamples, commentEvent } from "../sweep/sweep-world.js";
import { deployEnv, probotOptions, sign } from "../deploy/deploy-helpers.js";
import { TEST_SECRET } from "../helpers/app.js";
import { endState } from "../lifecycle/end-state.js";
import { ISSUE, l1World, runL1, SECURITY, type L1World } from "../lifecycle/lifecycle-l1.js";

let w: L1World;
let server: Server;
let port: number;

beforeAll(async () => {
  w = l1World();
  w.steps = w.steps.slice(0, 3); // the label, /triage confirm, /triage cvss: a response to attack
  await runL1(w);
  const middleware = await embargoMiddleware({ env: deployEnv(), appFn: createApp({ now: () => w.clock.now, secret: TEST_SECRET, dashboard: false, tickMinutes: 0 }), probotOptions });
  server = createServer((req, res) => {
    void middleware(req, res, () => res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  w.gh.done();
});

/** One HTTP/1.1 POST over a plain socket; resolves with the status code and body. */
function post(body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString("utf8")));
    socket.on("error", reject);
    socket.on("end", () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
      resolve({ status, body: answer.slice(answer.indexOf("\r\n\r\n") + 4) });
    });
    const head = Object.entries({ host: `127.0.0.1:${port}`, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), connection: "close", ...headers })
      .map(([k, v]) => `${k}: ${v}`)
      .join("\r\n");
    // write, not end: a half-closed socket makes Node's server drop the answer of a slow handler.
    socket.write(`POST /api/github/webhooks HTTP/1.1\r\n${head}\r\n\r\n${body}`);
  });
}

const created = () => subscribedExamples().find((e) => e.label === "issue_comment.created #1")!.payload;

/** A delivery from a team member that would close the response as invalid. */
function attack(text = "/triage invalid not a real bug") {
  const payload = commentEvent(created(), w.fake, SECURITY, ISSUE, text, "alice");
  return { id: `forged-${Math.random()}`, body: JSON.stringify(payload) };
}

function headers(id: string, signature?: string): Record<string, string> {
  return { "x-github-event": "issue_comment", "x-github-delivery": id, ...(signature ? { "x-hub-signature-256": signature } : {}) };
}

async function expectRefused(body: string, h: Record<string, string>): Promise<string> {
  const before = endState(w.fake);
  const calls = w.fake.log.length;
  const answer = await post(body, h);
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(w.fake.log.length, "no GitHub call").toBe(calls);
  expect(endState(w.fake)).toEqual(before);
  return answer.body;
}

it("refuses a delivery signed with another secret", async () => {
  const d = attack();
  expect(await expectRefused(d.body, headers(d.id, sign(d.body, "guessed-secret")))).toMatch(/signature/i);
});

it("refuses an unsigned delivery", async () => {
  const d = attack();
  expect(await expectRefused(d.body, headers(d.id))).toMatch(/x-hub-signature-256/i);
});

it("refuses a genuine signature replayed with another body", async () => {
  const genuine = attack("/triage cwe CWE-89");
  const forged = attack();
  expect(forged.body).not.toBe(genuine.body);
  await expectRefused(forged.body, headers(genuine.id, sign(genuine.body)));
});

it("refuses a signature over the body with a byte changed (the sender's login)", async () => {
  const d = attack("/triage cwe CWE-89");
  const changed = d.body.replace(/"login":"alice"/g, '"login":"alicf"');
  expect(changed).not.toBe(d.body);
  await expectRefused(changed, headers(d.id, sign(d.body)));
});

it("the same delivery, correctly signed, is run (the path is live)", async () => {
  const d = attack();
  const calls = w.fake.log.length;
  const answer = await post(d.body, headers(d.id, sign(d.body)));
  expect(answer.status).toBe(200);
  expect(w.fake.log.length).toBeGreaterThan(calls);
  expect(endState(w.fake).record?.state).toBe("invalid");
});
