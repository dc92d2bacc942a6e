import { IncomingWebhook } from "@slack/webhook";
import type { EmbargoConfig } from "../config/config-schema.js";
import { noticeText, type NotifyEvent } from "./notice-text.js";

export type { NotifyEvent } from "./notice-text.js";

/** What sending needs: where the URL is looked up, and a log. */
export interface NotifyDeps {
  env: NodeJS.ProcessEnv;
  log: { info: (message: string) => void; warn: (message: string) => void };
}

/** `sent`; `off` (no webhook configured, or it cannot be used: logged, never retried); `failed` (retry later). */
export type NotifyResult = "sent" | "off" | "failed";

/**
 * The app's own secrets and proxy: a repo config names a variable, and must never make the app
 * send one of these anywhere (they are not webhook URLs anyway, but a smee proxy URL would be).
 */
const NEVER = new Set(["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_SECRET", "WEBHOOK_PROXY_URL", "EMBARGO_SECRET", "EMBARGO_SECRET_PREVIOUS", "EMBARGO_LINK_SECRET", "GITHUB_TOKEN"]);

/** Each unusable variable is logged once per process, not on every event. */
const warned = new Set<string>();

function warnOnce(deps: NotifyDeps, name: string, why: string): void {
  if (warned.has(`${name}:${why}`)) return;
  warned.add(`${name}:${why}`);
  deps.log.warn(`notify: ${why}; no chat message is sent`);
}

/** The webhook URL from the environment variable the config names, or why there is none. */
function webhookUrl(deps: NotifyDeps, config: EmbargoConfig): string | undefined {
  const name = config.notify.slack_webhook_env;
  if (!name) return undefined;
  if (NEVER.has(name)) return warnOnce(deps, name, `notify.slack_webhook_env names ${name}, one of the app's own secrets`), undefined;
  const value = deps.env[name];
  if (!value) return warnOnce(deps, name, `the environment variable ${name} (notify.slack_webhook_env) is not set`), undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return warnOnce(deps, name, `the environment variable ${name} does not hold a URL`), undefined;
  }
  if (url.protocol !== "https:") return warnOnce(deps, name, `the environment variable ${name} does not hold an https URL`), undefined;
  return value;
}

/** Whether chat messages go anywhere for this config (a URL exists), without sending. */
export function notifyConfigured(deps: NotifyDeps, config: EmbargoConfig): boolean {
  return webhookUrl(deps, config) !== undefined;
}

/**
 * Sends one message to the team's chat webhook (Slack's, or any that takes `{"text": …}`). A
 * failure is logged with its status only (the URL is a credential) and reported, never thrown:
 * chat must not fail a security response.
 */
export async function notify(deps: NotifyDeps, config: EmbargoConfig, event: NotifyEvent): Promise<NotifyResult> {
  const url = webhookUrl(deps, config);
  if (!url) return "off";
  try {
    await new IncomingWebhook(url, { timeout: 10_000 }).send({ text: noticeText(event, config) });
    return "sent";
  } catch (error) {
    const e = error as { statusCode?: number; code?: string; original?: { name?: string } };
    deps.log.warn(`notify: the chat webhook failed (${e.statusCode ?? e.original?.name ?? e.code ?? "error"}) for ${event.kind} ${event.repo}#${event.number}; retried on the next event`);
    return "failed";
  }
}
