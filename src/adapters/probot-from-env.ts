import { createProbot, type ApplicationFunction, type Options, type Probot } from "probot";
import app, { createApp } from "../index.js";

/** What every adapter accepts: the environment to read, and test seams for the app and Probot. */
export interface AdapterOptions {
  env?: NodeJS.ProcessEnv;
  /** The app to run; default: embargo as `npm start` runs it. */
  appFn?: ApplicationFunction;
  /** Probot options that win over the environment's (tests pass an Octokit without retries). */
  probotOptions?: Options;
}

export const defaultApp: ApplicationFunction = app;

/** embargo reading `env` (REDIS_URL, secrets, tick) when an adapter is given one, else as `npm start` runs it. */
export function appForEnv(env: NodeJS.ProcessEnv | undefined): ApplicationFunction {
  return env ? createApp({ env }) : app;
}

/**
 * The variables an adapter cannot run without, as one error naming each one missing and what it
 * is for. Probot itself would fall back to the webhook secret "development" and accept any
 * delivery signed with it, so an adapter that serves HTTP refuses to start without a secret.
 */
export function requireEnv(env: NodeJS.ProcessEnv, needs: Array<[names: string[], why: string]>): void {
  const missing = needs.filter(([names]) => !names.some((n) => env[n]?.trim()));
  if (!missing.length) return;
  const lines = missing.map(([names, why]) => `${names.join(" or ")}: ${why}`);
  throw new Error(`embargo cannot start; set these environment variables (see .env.example):\n  ${lines.join("\n  ")}`);
}

export const APP_CREDENTIALS: Array<[string[], string]> = [
  [["APP_ID"], "the GitHub App's id (its settings page)"],
  [["PRIVATE_KEY", "PRIVATE_KEY_PATH"], "the GitHub App's private key (.pem contents, or a path to the file)"],
];

/** A Probot configured from the environment exactly as `probot run` does, with `overrides` on top. */
export function probotFromEnv(env: NodeJS.ProcessEnv, overrides: Options = {}): Probot {
  return createProbot({ env, overrides });
}

/** embargo's own secret, in the order the app reads it (src/security/key-ring.ts). */
export const SECRET_VARIABLES = ["EMBARGO_SECRET", "EMBARGO_LINK_SECRET", "WEBHOOK_SECRET"];

/** The app's secret and the one being rotated out, from `env`; undefined when none is set. */
export function secretsFromEnv(env: NodeJS.ProcessEnv): { secret: string; previousSecret?: string } | undefined {
  const secret = SECRET_VARIABLES.map((name) => env[name]).find(Boolean);
  return secret ? { secret, previousSecret: env.EMBARGO_SECRET_PREVIOUS || undefined } : undefined;
}

/**
 * embargo with the secrets of `env` rather than process.env's, for runs that serve no webhooks
 * (the Action, the CLI): WEBHOOK_SECRET guards only Probot's webhook server, so it is not needed there.
 */
export function appFromEnv(env: NodeJS.ProcessEnv): ApplicationFunction | undefined {
  const secrets = secretsFromEnv(env);
  return secrets && createApp({ ...secrets, env });
}
