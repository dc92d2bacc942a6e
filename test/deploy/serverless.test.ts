import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLambdaHandler, type LambdaHttpEvent } from "../../src/adapters/aws-lambda.js";
import { embargoMiddleware, MAX_BODY_BYTES } from "../../src/adapters/node-middleware.js";
import { labeledEvent } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { deployEnv, expectAppReadsConfig, probotOptions, sign, testApp } from "./deploy-helpers.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const delivery = () => {
  const event = labeledEvent();
  return { id: event.id, name: event.name, body: JSON.stringify(event.payload) };
};

function functionUrlEvent(body: string, signature: string | undefined, d = delivery()): LambdaHttpEvent {
  const headers: Record<string, string> = { "content-type": "application/json", "x-github-event": d.name, "x-github-delivery": d.id };
  if (signature) headers["x-hub-signature-256"] = signature;
  return { headers, body: Buffer.from(body).toString("base64"), isBase64Encoded: true, requestContext: { http: { method: "POST" } } };
}

describe("AWS Lambda handler", () => {
  const handler = () => createLambdaHandler({ env: deployEnv(), appFn: testApp, probotOptions });

  it("runs the app on a signed delivery from a function URL (base64 body) and answers 200", async () => {
    const d = delivery();
    const seen = expectAppReadsConfig(gh);
    const result = await handler()(functionUrlEvent(d.body, sign(d.body), d));
    expect(result.statusCode).toBe(200);
    expect(seen.authorization).toBe("token ghs_installation_token");
  });

  it("runs the app on a signed API Gateway v1 event (header case as sent, plain body)", async () => {
    const d = delivery();
    const seen = expectAppReadsConfig(gh);
    const event: LambdaHttpEvent = {
      httpMethod: "POST",
      headers: { "Content-Type": "application/json", "X-GitHub-Event": d.name, "X-GitHub-Delivery": d.id, "X-Hub-Signature-256": sign(d.body) },
      body: d.body,
      isBase64Encoded: false,
    };
    expect((await handler()(event)).statusCode).toBe(200);
    expect(seen.authorization).toBe("token ghs_installation_token");
  });

  it("refuses a delivery signed with another secret: 401, the app does nothing", async () => {
    const d = delivery();
    const result = await handler()(functionUrlEvent(d.body, sign(d.body, "not-the-secret"), d));
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body).error).toMatch(/signature/);
    expect(gh.requests).toEqual([]);
  });

  it("refuses a genuine signature replayed with another body: 401", async () => {
    const d = delivery();
    const forged = d.body.replace('"security"', '"security "');
    expect(forged).not.toBe(d.body);
    const result = await handler()(functionUrlEvent(forged, sign(d.body), d));
    expect(result.statusCode).toBe(401);
    expect(gh.requests).toEqual([]);
  });

  it("refuses an unsigned delivery (400) and other methods than POST (405)", async () => {
    const d = delivery();
    const h = handler();
    const unsigned = await h(functionUrlEvent(d.body, undefined, d));
    expect(unsigned.statusCode).toBe(400);
    expect(JSON.parse(unsigned.body).error).toContain("x-hub-signature-256");
    expect((await h({ ...functionUrlEvent(d.body, sign(d.body), d), requestContext: { http: { method: "GET" } } })).statusCode).toBe(405);
    expect(gh.requests).toEqual([]);
  });

  it("will not run without WEBHOOK_SECRET (Probot would accept deliveries signed with 'development')", async () => {
    const env = deployEnv();
    delete env.WEBHOOK_SECRET;
    const d = delivery();
    await expect(createLambdaHandler({ env, appFn: testApp, probotOptions })(functionUrlEvent(d.body, sign(d.body, "development"), d))).rejects.toThrow(/WEBHOOK_SECRET/);
    expect(gh.requests).toEqual([]);
  });
});

/** A request as Node's HTTP server hands it over, and a response that records what was written. */
function nodeRequest(body: string, headers: Record<string, string>) {
  const req = Object.assign(Readable.from([Buffer.from(body)]), { method: "POST", url: "/api/github/webhooks", headers });
  const res = {
    status: 0,
    body: "",
    writeHead(status: number) {
      res.status = status;
      return res;
    },
    end(chunk?: string) {
      res.body = chunk ?? "";
      return res;
    },
  };
  return { req: req as never, res };
}

describe("Node (req, res) middleware", () => {
  it("runs the app on a signed delivery and answers 200", async () => {
    const d = delivery();
    const seen = expectAppReadsConfig(gh);
    const middleware = await embargoMiddleware({ env: deployEnv(), appFn: testApp, probotOptions });
    const { req, res } = nodeRequest(d.body, { "content-type": "application/json", "x-github-event": d.name, "x-github-delivery": d.id, "x-hub-signature-256": sign(d.body) });
    expect(await middleware(req, res as never)).toBe(true);
    expect(res.status).toBe(200);
    expect(seen.authorization).toBe("token ghs_installation_token");
  });

  it("refuses a forged delivery before the app sees it", async () => {
    const d = delivery();
    const middleware = await embargoMiddleware({ env: deployEnv(), appFn: testApp, probotOptions });
    const { req, res } = nodeRequest(d.body, { "content-type": "application/json", "x-github-event": d.name, "x-github-delivery": d.id, "x-hub-signature-256": sign(d.body, "guessed") });
    await middleware(req, res as never);
    expect(res.status).toBe(400);
    expect(res.body).toMatch(/signature does not match/);
    expect(gh.requests).toEqual([]);
  });

  // express.json() in front: the stream is read, `req.body` is the parsed object, the signed bytes are gone.
  it("refuses at once, saying why, a delivery whose body a parser in front consumed (Probot would answer 202 and never run the app)", async () => {
    const d = delivery();
    const middleware = await embargoMiddleware({ env: deployEnv(), appFn: testApp, probotOptions });
    const { req, res } = nodeRequest(d.body, { "content-type": "application/json", "x-github-event": d.name, "x-github-delivery": d.id, "x-hub-signature-256": sign(d.body) });
    for await (const chunk of req as unknown as Readable) void chunk;
    Object.assign(req, { body: JSON.parse(d.body) });
    const started = Date.now();
    expect(await middleware(req, res as never)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body).error).toMatch(/consumed by a body parser mounted before embargo's middleware/);
    expect(gh.requests).toEqual([]);
  }, 15_000);

  it("runs the app on a delivery whose body a raw parser in front kept as a Buffer (express.raw())", async () => {
    const d = delivery();
    const seen = expectAppReadsConfig(gh);
    const middleware = await embargoMiddleware({ env: deployEnv(), appFn: testApp, probotOptions });
    const { req, res } = nodeRequest(d.body, { "content-type": "application/json", "x-github-event": d.name, "x-github-delivery": d.id, "x-hub-signature-256": sign(d.body) });
    for await (const chunk of req as unknown as Readable) void chunk;
    Object.assign(req, { body: Buffer.from(d.body) });
    expect(await middleware(req, res as never)).toBe(true);
    expect(res.status).toBe(200);
    expect(seen.authorization).toBe("token ghs_installation_token");
  }, 15_000);

  // A raw-body middleware in front (`req.rawBody = await getRawBody(req)`, body-parser's `verify`
  // hook) keeps the signed bytes as `rawBody` and may set no `body`: Probot reads `rawBody` only
  // beside an object `body`, else it waits for a stream that has ended (202 after 9 s, app never run).
  it("runs the app on a delivery whose signed bytes a middleware in front kept as rawBody only", async () => {
    const d = delivery();
    const seen = expectAppReadsConfig(gh);
    const middleware = await embargoMiddleware({ env: deployEnv(), appFn: testApp, probotOptions });
    const { req, res } = nodeRequest(d.body, { "content-type": "application/json", "x-github-event": d.name, "x-github-delivery": d.id, "x-hub-signature-256": sign(d.body) });
    for await (const chunk of req as unknown as Readable) void chunk;
    Object.assign(req, { rawBody: Buffer.from(d.body) });
    const started = Date.now();
    expect(await middleware(req, res as never)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.status).toBe(200);
    expect(seen.authorization).toBe("token ghs_installation_token");
  }, 15_000);

  // express.json({ verify: (req, _res, buf) => (req.rawBody = buf.toString()) }): the signed bytes kept as text.
  it("runs the app on a delivery a JSON parser in front consumed but kept as a rawBody string (body-parser's verify hook)", async () => {
    const d = delivery();
    const seen = expectAppReadsConfig(gh);
    const middleware = await embargoMiddleware({ env: deployEnv(), appFn: testApp, probotOptions });
    const { req, res } = nodeRequest(d.body, { "content-type": "application/json", "x-github-event": d.name, "x-github-delivery": d.id, "x-hub-signature-256": sign(d.body) });
    for await (const chunk of req as unknown as Readable) void chunk;
    Object.assign(req, { body: JSON.parse(d.body), rawBody: d.body });
    expect(await middleware(req, res as never)).toBe(true);
    expect(res.status).toBe(200);
    expect(seen.authorization).toBe("token ghs_installation_token");
  }, 15_000);

  it("refuses a delivery whose rawBody string is not the body as signed", async () => {
    const d = delivery();
    const middleware = await embargoMiddleware({ env: deployEnv(), appFn: testApp, probotOptions });
    const { req, res } = nodeRequest(d.body, { "content-type": "application/json", "x-github-event": d.name, "x-github-delivery": d.id, "x-hub-signature-256": sign(d.body) });
    for await (const chunk of req as unknown as Readable) void chunk;
    Object.assign(req, { body: JSON.parse(d.body), rawBody: JSON.stringify(JSON.parse(d.body), null, 1) });
    expect(await middleware(req, res as never)).toBe(true);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(gh.requests).toEqual([]);
  }, 15_000);

  // Anyone can post to the webhook URL: @octokit/webhooks would read all of it before checking the signature.
  it("answers 413 to a body over GitHub's 25 MB cap without reading the rest of it, and the app does nothing", async () => {
    const d = delivery();
    const middleware = await embargoMiddleware({ env: deployEnv(), appFn: testApp, probotOptions });
    const mib = Buffer.alloc(1024 * 1024, "a");
    let sent = 0;
    const chunks = (function* () {
      for (; sent < 64; ) sent++, yield mib;
    })();
    // Chunked, as a client that names no length sends it.
    const req = Object.assign(Readable.from(chunks), {
      method: "POST",
      url: "/api/github/webhooks",
      headers: { "content-type": "application/json", "x-github-event": d.name, "x-github-delivery": d.id, "x-hub-signature-256": sign(d.body) },
    });
    const { res } = nodeRequest("", {});
    expect(await middleware(req as never, res as never)).toBe(true);
    expect(res.status).toBe(413);
    expect(sent * mib.length).toBeLessThan(MAX_BODY_BYTES + 4 * mib.length);
    expect(gh.requests).toEqual([]);

    // A length named over the cap: nothing is read at all.
    const declared = nodeRequest(d.body, { "content-type": "application/json", "content-length": String(MAX_BODY_BYTES + 1), "x-github-event": d.name, "x-github-delivery": d.id, "x-hub-signature-256": sign(d.body) });
    await middleware(declared.req, declared.res as never);
    expect(declared.res.status).toBe(413);
    expect((declared.req as unknown as Readable).readableEnded).toBe(false);
  });

  it("will not start without WEBHOOK_SECRET", async () => {
    const env = deployEnv();
    delete env.WEBHOOK_SECRET;
    await expect(embargoMiddleware({ env, appFn: testApp, probotOptions })).rejects.toThrow(/WEBHOOK_SECRET: the GitHub App's webhook secret/);
  });
});
