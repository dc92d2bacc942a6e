import type { Probot } from "probot";
import { APP_CREDENTIALS, appForEnv, probotFromEnv, requireEnv, type AdapterOptions } from "./probot-from-env.js";

/** The parts of an API Gateway (REST v1, HTTP v2) or Lambda function URL event a webhook needs. */
export interface LambdaHttpEvent {
  headers?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  /** API Gateway v1. */
  httpMethod?: string;
  /** API Gateway v2 and function URLs. */
  requestContext?: { http?: { method?: string } };
}

export interface LambdaHttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export type LambdaHandler = (event: LambdaHttpEvent) => Promise<LambdaHttpResult>;

function reply(statusCode: number, message: string): LambdaHttpResult {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(statusCode < 300 ? { ok: true } : { error: message }) };
}

/** API Gateway v1 keeps the sender's header case; v2 and function URLs lower-case them. */
function lowerCaseHeaders(headers: LambdaHttpEvent["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) if (typeof value === "string") out[name.toLowerCase()] = value;
  return out;
}

/**
 * embargo as an AWS Lambda handler behind API Gateway or a function URL. It answers only after
 * the app has finished with the delivery: a frozen Lambda would otherwise drop the work that
 * Probot's HTTP middleware carries on with after its 9-second "still processing" reply. A
 * delivery whose signature does not match WEBHOOK_SECRET gets 401 and never reaches the app; a
 * failure in the app gets 500, so the delivery shows as failed and can be redelivered.
 */
export function createLambdaHandler(options: AdapterOptions = {}): LambdaHandler {
  let ready: Promise<Probot> | undefined;
  const start = async () => {
    const env = options.env ?? process.env;
    requireEnv(env, [...APP_CREDENTIALS, [["WEBHOOK_SECRET"], "the GitHub App's webhook secret: deliveries not signed with it are refused"]]);
    const probot = probotFromEnv(env, options.probotOptions);
    await probot.load(options.appFn ?? appForEnv(options.env), { cwd: process.cwd(), addHandler: () => undefined });
    return probot.ready();
  };

  return async (event) => {
    const method = (event.requestContext?.http?.method ?? event.httpMethod ?? "POST").toUpperCase();
    if (method !== "POST") return reply(405, `GitHub delivers webhooks with POST, not ${method}`);
    const headers = lowerCaseHeaders(event.headers);
    const missing = ["x-github-event", "x-github-delivery", "x-hub-signature-256"].filter((h) => !headers[h]);
    if (missing.length) return reply(400, `required headers missing: ${missing.join(", ")}`);
    const body = event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64").toString("utf8") : (event.body ?? "");

    ready ??= start().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    const probot = await ready;
    const signed = await probot.webhooks.verify(body, headers["x-hub-signature-256"]!).catch(() => false);
    if (!signed) {
      probot.log.warn({ id: headers["x-github-delivery"] }, "webhook refused: the signature does not match WEBHOOK_SECRET");
      return reply(401, "signature does not match the payload and the webhook secret");
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return reply(400, "the body is not JSON");
    }
    try {
      await probot.receive({ id: headers["x-github-delivery"]!, name: headers["x-github-event"] as never, payload: payload as never });
      return reply(200, "ok");
    } catch (error) {
      probot.log.error({ err: error, id: headers["x-github-delivery"] }, "webhook failed");
      return reply(500, "the app failed on this delivery; GitHub can redeliver it");
    }
  };
}

/** The Lambda entry point: `lib/adapters/aws-lambda.handler`. */
export const handler: LambdaHandler = createLambdaHandler();
