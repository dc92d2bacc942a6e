import type { Options } from "probot";
import { APP_CREDENTIALS, probotFromEnv, requireEnv, secretsFromEnv } from "../adapters/probot-from-env.js";
import { createApp, type AppOptions } from "../index.js";
import type { Store } from "../store/store.js";
import { storeFromEnv } from "../store/store-from-env.js";

export interface AppIo {
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * The app as `npm start` loads it, for a CLI command that works outside a webhook (`embargo tick`,
 * `embargo backfill`): its credentials, secret and store (REDIS_URL: the lease and memory the
 * app's instances share), no tick timer. `hooks` takes what the command runs (`onTick`,
 * `onBackfill`), `run` runs it; the store is closed after. Undefined (the reason said on `err`)
 * when the credentials or the secret are missing: the command exits 2.
 */
export async function withAppFromEnv<T>(
  io: AppIo,
  command: string,
  secretNeededFor: string,
  probotOptions: Options,
  hooks: Pick<AppOptions, "onTick" | "onBackfill">,
  run: (store: Store | undefined) => Promise<T>,
): Promise<T | undefined> {
  try {
    requireEnv(io.env, APP_CREDENTIALS);
  } catch (error) {
    io.err((error as Error).message);
    return undefined;
  }
  const secrets = secretsFromEnv(io.env);
  if (!secrets) {
    io.err(`embargo ${command} needs the app's secret to ${secretNeededFor}: set EMBARGO_SECRET (or WEBHOOK_SECRET) as for npm start`);
    return undefined;
  }
  const probot = probotFromEnv(io.env, { logLevel: "warn", ...probotOptions });
  const store = storeFromEnv(io.env, io.err);
  try {
    await probot.load(createApp({ ...secrets, env: io.env, ...(store ? { store } : {}), tickMinutes: 0, ...hooks }));
    return await run(store);
  } finally {
    await store?.close();
  }
}
