import type { IncomingMessage, ServerResponse } from "node:http";
import { createNodeMiddleware } from "probot";
import { APP_CREDENTIALS, appForEnv, probotFromEnv, requireEnv, type AdapterOptions } from "./probot-from-env.js";

export type NodeMiddleware = Awaited<ReturnType<typeof createNodeMiddleware>>;

/** A request as a framework may hand it over after its own body parser ran. */
type ParsedRequest = IncomingMessage & { body?: unknown; rawBody?: unknown };

const DEFAULT_PATH = "/api/github/webhooks";
const trimSlashes = (path: string) => path.replace(/\/+$/, "") || "/";

/** The request's path as @octokit/webhooks compares it; undefined for a URL it refuses itself (422). */
function pathOf(url: string | undefined): string | undefined {
  try {
    return trimSlashes(new URL(url ?? "/", "http://localhost").pathname);
  } catch {
    return undefined;
  }
}

/**
 * Whether the body a delivery was signed over can still be had. A body parser mounted in front
 * (express.json(), express.raw()) has read the request's stream: Probot would then wait for a
 * stream that has ended, answer GitHub 202 "still processing" after 9 s and never run the app,
 * so every delivery would be lost while GitHub shows each as delivered. A Buffer left by a raw
 * parser is the body as signed: it is handed on as `rawBody`, which Probot reads (as on Google
 * Cloud Functions), as is a `rawBody` (Buffer or string) a middleware kept; a string body is read as it is.
 */
function bodyStillThere(req: ParsedRequest): boolean {
  // body-parser's `verify` hook is often told to keep `buf.toString()`: the same bytes, as UTF-8,
  // which Probot decodes them as anyway. The signature is still checked over them.
  if (typeof req.rawBody === "string") req.rawBody = Buffer.from(req.rawBody, "utf8");
  if (req.rawBody instanceof Uint8Array) {
    // Probot reads `rawBody` only beside an object `body`: a raw-body middleware may set none.
    if (req.body === undefined) Object.assign(req, { body: req.rawBody });
    return true;
  }
  if (typeof req.body === "string") return true;
  if (Buffer.isBuffer(req.body)) {
    req.rawBody = req.body;
    return true;
  }
  return !req.readableEnded;
}

/** GitHub caps a delivery's payload at 25 MB: a larger body is not one of its deliveries. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024;

/**
 * The body, read here with a cap: @octokit/webhooks reads all of it into memory before it checks
 * the signature, so anyone could post gigabytes to the webhook URL and exhaust the process's
 * memory. Undefined when it is over the cap (the rest is left unread, the connection closed).
 */
function readCapped(req: IncomingMessage): Promise<Buffer | undefined> {
  if (Number(req.headers["content-length"]) > MAX_BODY_BYTES) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (body: Buffer | undefined) => {
      req.off("data", onData).off("end", onEnd).off("error", reject);
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      req.pause();
      stop(undefined);
    };
    const onEnd = () => stop(Buffer.concat(chunks));
    req.on("data", onData).on("end", onEnd).on("error", reject);
  });
}

/**
 * embargo as a `(req, res, next)` handler for any Node HTTP platform (Express, Fastify's
 * middie, Google Cloud Functions, a plain `http.createServer`). Probot checks
 * `X-Hub-Signature-256` against WEBHOOK_SECRET before the app sees anything; deliveries to other
 * paths than WEBHOOK_PATH (default /api/github/webhooks) go to `next`. A delivery whose body a
 * parser in front consumed gets 500 naming the cause (GitHub shows it failed; redeliver it once fixed);
 * one over GitHub's 25 MB cap gets 413 without being read.
 */
export async function embargoMiddleware(options: AdapterOptions = {}): Promise<NodeMiddleware> {
  const env = options.env ?? process.env;
  requireEnv(env, [...APP_CREDENTIALS, [["WEBHOOK_SECRET"], "the GitHub App's webhook secret: deliveries not signed with it are refused"]]);
  const probot = probotFromEnv(env, options.probotOptions);
  const middleware = await createNodeMiddleware(options.appFn ?? appForEnv(options.env), { probot, webhooksPath: env.WEBHOOK_PATH });
  const path = trimSlashes(env.WEBHOOK_PATH || DEFAULT_PATH);
  return async (req: IncomingMessage, res: ServerResponse, next?: () => void) => {
    const onPath = pathOf(req.url) === path;
    if (onPath && req.method === "POST" && !bodyStillThere(req)) {
      probot.log.error({ id: req.headers["x-github-delivery"] }, "webhook refused: a body parser mounted before embargo's middleware consumed the request body");
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: "the request body was consumed by a body parser mounted before embargo's middleware: mount it first, or use a raw body parser" }));
      return true;
    }
    const parsed = req as ParsedRequest;
    if (onPath && req.method === "POST" && !(parsed.rawBody instanceof Uint8Array) && typeof parsed.body !== "string") {
      const body = await readCapped(req);
      if (!body) {
        res.writeHead(413, { "content-type": "application/json", connection: "close" }).end(JSON.stringify({ error: `the body is larger than GitHub's ${MAX_BODY_BYTES} bytes` }));
        return true;
      }
      // Probot reads a `rawBody` Buffer as the body as signed.
      Object.assign(req, { body, rawBody: body });
    }
    return middleware(req, res, next);
  };
}
