import { DEFAULT_PREFIX, RedisStore } from "./redis-store.js";

/**
 * The shared store when REDIS_URL is set (the same variable Probot reads for its shared rate
 * limiting), with EMBARGO_REDIS_PREFIX before every key (default `embargo:`); else undefined,
 * and the app keeps its memory in-process.
 */
export function storeFromEnv(env: NodeJS.ProcessEnv, warn?: (message: string) => void): RedisStore | undefined {
  const url = env.REDIS_URL?.trim();
  return url ? RedisStore.connect(url, env.EMBARGO_REDIS_PREFIX?.trim() || DEFAULT_PREFIX, warn) : undefined;
}

/**
 * Closes the connection when the process is told to stop (SIGTERM from a container runtime,
 * SIGINT from a terminal), then lets the signal do what it would have done: when nobody else
 * listens for it, the process ends as it would have without us.
 */
export function closeOnStop(close: () => Promise<void>): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      const timeout = new Promise((r) => setTimeout(r, 2_000).unref());
      void Promise.race([close().catch(() => undefined), timeout]).then(() => {
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    });
  }
}
