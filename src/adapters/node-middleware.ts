import { createNodeMiddleware } from "probot";
import { APP_CREDENTIALS, appForEnv, probotFromEnv, requireEnv, type AdapterOptions } from "./probot-from-env.js";

export type NodeMiddleware = Awaited<ReturnType<typeof createNodeMiddleware>>;

/**
 * embargo as a `(req, res, next)` handler for any Node HTTP platform (Express, Fastify's
 * middie, Google Cloud Functions, a plain `http.createServer`). Probot checks
 * `X-Hub-Signature-256` against WEBHOOK_SECRET before the app sees anything; deliveries to other
 * paths than WEBHOOK_PATH (default /api/github/webhooks) go to `next`.
 */
export async function embargoMiddleware(options: AdapterOptions = {}): Promise<NodeMiddleware> {
  const env = options.env ?? process.env;
  requireEnv(env, [...APP_CREDENTIALS, [["WEBHOOK_SECRET"], "the GitHub App's webhook secret: deliveries not signed with it are refused"]]);
  const probot = probotFromEnv(env, options.probotOptions);
  return createNodeMiddleware(options.appFn ?? appForEnv(options.env), { probot, webhooksPath: env.WEBHOOK_PATH });
}
