import type { TickReport } from "./run-tick.js";

export const DEFAULT_TICK_MINUTES = 60;

/** EMBARGO_TICK_MINUTES: minutes between ticks in the app process (default 60; 0 turns it off). */
export function tickMinutes(env: NodeJS.ProcessEnv, log: (m: string) => void): number {
  const raw = env.EMBARGO_TICK_MINUTES?.trim();
  if (!raw) return DEFAULT_TICK_MINUTES;
  if (!/^\d{1,5}$/.test(raw)) {
    log(`EMBARGO_TICK_MINUTES must be a whole number of minutes (0 turns the tick off), not "${raw.slice(0, 20)}"; using ${DEFAULT_TICK_MINUTES}`);
    return DEFAULT_TICK_MINUTES;
  }
  return Number(raw);
}

/**
 * Runs the tick every `minutes` in this process. The timer is `unref()`'d so it never keeps a
 * process alive (tests, the CLI); a tick still running when the next is due is not doubled.
 */
export function startTickTimer(run: () => Promise<TickReport>, minutes: number, log: (m: string) => void): (() => void) | undefined {
  if (minutes <= 0) return undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    run()
      .catch((error: unknown) => log(`tick failed: ${(error as Error).message.split("\n")[0]}`))
      .finally(() => (running = false));
  }, minutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
