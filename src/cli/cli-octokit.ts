import { readFileSync } from "node:fs";
import { createAppAuth } from "@octokit/auth-app";
import { config } from "@probot/octokit-plugin-config";
import { Octokit } from "@octokit/rest";

/** @octokit/rest with the config plugin Probot's `context.config` uses, so the CLI reads config as the app does. */
export const CliOctokit = Octokit.plugin(config);
export type CliOctokitInstance = InstanceType<typeof CliOctokit>;

export interface AppCredentials {
  appId: string;
  privateKey: string;
  baseUrl: string;
}

/** A key pasted into an env file: base64, or PEM with its newlines written as `\n` (Probot accepts both). */
function readKey(raw: string): string {
  const text = raw.includes("-----BEGIN") ? raw : Buffer.from(raw, "base64").toString("utf8");
  return text.replace(/\\n/g, "\n");
}

/** The app's own credentials from the same variables `npm start` reads, or what is missing. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): AppCredentials | { problem: string } {
  const missing: string[] = [];
  if (!env.APP_ID) missing.push("APP_ID");
  let privateKey = "";
  if (env.PRIVATE_KEY) privateKey = readKey(env.PRIVATE_KEY);
  else if (env.PRIVATE_KEY_PATH) {
    try {
      privateKey = readFileSync(env.PRIVATE_KEY_PATH, "utf8");
    } catch (error) {
      return { problem: `PRIVATE_KEY_PATH cannot be read (${(error as Error).message})` };
    }
  } else missing.push("PRIVATE_KEY or PRIVATE_KEY_PATH");
  if (missing.length) return { problem: `set ${missing.join(" and ")} (in the environment or .env, as for \`npm start\`)` };
  const baseUrl = env.GHE_HOST ? `${env.GHE_PROTOCOL || "https"}://${env.GHE_HOST}/api/v3` : "https://api.github.com";
  return { appId: env.APP_ID!, privateKey, baseUrl };
}

// Doctor's probes expect refusals and report each one themselves: @octokit/rest's request log
// would print every 404 a second time.
const quiet = { debug: () => undefined, info: () => undefined, warn: console.warn, error: () => undefined };

/** Authenticated as the app itself (a JWT): installations, the app's identity. */
export function appOctokit(creds: AppCredentials): CliOctokitInstance {
  return new CliOctokit({ authStrategy: createAppAuth, auth: { appId: creds.appId, privateKey: creds.privateKey }, baseUrl: creds.baseUrl, log: quiet });
}

/** Authenticated as one installation of the app: what the app itself can see and do there. */
export function installationOctokit(creds: AppCredentials, installationId: number): CliOctokitInstance {
  return new CliOctokit({
    authStrategy: createAppAuth,
    auth: { appId: creds.appId, privateKey: creds.privateKey, installationId },
    baseUrl: creds.baseUrl,
    log: quiet,
  });
}
