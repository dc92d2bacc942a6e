import type { Options } from "probot";
import { withAppFromEnv, type AppIo } from "./app-from-env.js";
import type { TickReport } from "../tick/run-tick.js";

export type TickIo = AppIo;

/**
 * `embargo tick` (`npm run tick`): one tick, as the app process runs it every
 * EMBARGO_TICK_MINUTES, with the app's own credentials; for cron or a scheduled workflow.
 * Exit 0 when every repo was ticked, 1 when one failed, 2 when the credentials are missing.
 */
export async function runTickCommand(io: TickIo, probotOptions: Options = {}): Promise<number> {
  let tick: (() => Promise<TickReport>) | undefined;
  // With REDIS_URL, the lease is the one the app's instances take: a cron tick and theirs never overlap.
  const report = await withAppFromEnv(io, "tick", "read and sign records", probotOptions, { onTick: (t) => (tick = t) }, () => tick!());
  if (!report) return 2;
  const line = `embargo tick: ${report.repos.length} security repo(s), ${report.responses} open response(s)`;
  io.out([line, ...report.skipped.map((r) => `  ${r}: skipped (another tick holds it)`), ...report.failed.map((r) => `  ${r}: failed (see the log above)`)].join("\n"));
  return report.failed.length ? 1 : 0;
}
