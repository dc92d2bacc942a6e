import type { Options } from "probot";
import { APP_CREDENTIALS, probotFromEnv, requireEnv, secretsFromEnv } from "../adapters/probot-from-env.js";
import { createApp } from "../index.js";
import { storeFromEnv } from "../store/store-from-env.js";
import type { TickReport } from "../tick/run-tick.js";

export interface TickIo {
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * `embargo tick` (`npm run tick`): one tick, as the app process runs it every
 * EMBARGO_TICK_MINUTES, with the app's own credentials; for cron or a scheduled workflow.
 * Exit 0 when every repo was ticked, 1 when one failed, 2 when the credentials are missing.
 */
export async function runTickCommand(io: TickIo, probotOptions: Options = {}): Promise<number> {
  try {
    requireEnv(io.env, APP_CREDENTIALS);
  } catch (error) {
    io.err((error as Error).message);
    return 2;
  }
  const secrets = secretsFromEnv(io.env);
  if (!secrets) {
    io.err("embargo tick needs the app's secret to read and sign records: set EMBARGO_SECRET (or WEBHOOK_SECRET) as for npm start");
    return 2;
  }
  const probot = probotFromEnv(io.env, { logLevel: "warn", ...probotOptions });
  let tick: (() => Promise<TickReport>) | undefined;
  // With REDIS_URL, the lease is the one the app's instances take: a cron tick and theirs never overlap.
  const store = storeFromEnv(io.env, io.err);
  let report: TickReport;
  try {
    await probot.load(createApp({ ...secrets, env: io.env, ...(store ? { store } : {}), tickMinutes: 0, onTick: (t) => (tick = t) }));
    report = await tick!();
  } finally {
    await store?.close();
  }
  const line = `embargo tick: ${report.repos.length} security repo(s), ${report.responses} open response(s)`;
  io.out([line, ...report.skipped.map((r) => `  ${r}: skipped (another tick holds it)`), ...report.failed.map((r) => `  ${r}: failed (see the log above)`)].join("\n"));
  return report.failed.length ? 1 : 0;
}
