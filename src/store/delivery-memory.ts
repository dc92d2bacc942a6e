import { randomUUID } from "node:crypto";
import { backoff, DEFAULT_HOLD, keepRenewed, type HoldTiming } from "./held-key.js";
import type { Store } from "./store.js";

/** GitHub lets a person redeliver a delivery of the past three days; "done" is kept that long. */
export const DONE_TTL_MS = 3 * 24 * 3_600_000;

/**
 * Runs one handler for one delivery (`X-GitHub-Delivery`, Probot's `context.id`) at most once
 * across the instances sharing `store`. "Done" is written only when the handler succeeded: a
 * redelivery of a failed delivery keeps its id and must run again. While one instance runs it, a
 * short "running" claim (renewed while it runs) makes another wait; once it is free, the waiter
 * skips when the first succeeded and runs when it failed. The key names the handler too, since
 * several handlers run for one event.
 */
export async function oncePerDelivery(
  store: Store,
  delivery: { id: string; handler: string },
  run: () => Promise<void>,
  timing: HoldTiming = DEFAULT_HOLD,
  warn: (message: string) => void = () => undefined,
): Promise<"ran" | "done before"> {
  const base = `delivery:${delivery.id}:${delivery.handler}`;
  const done = `${base}:done`;
  const running = `${base}:running`;
  const token = randomUUID();
  const wait = backoff(running, timing);
  for (;;) {
    if (await store.get(done)) return "done before";
    if (await store.setIfAbsent(running, token, timing.ttlMs)) break;
    await wait();
  }
  const stop = keepRenewed(store, running, token, timing, (k) => warn(`${k}: the claim expired while the handler ran`));
  try {
    // Checked again now that the claim is ours: the first instance may have finished in between.
    if (await store.get(done)) return "done before";
    await run();
    await store.set(done, new Date().toISOString(), DONE_TTL_MS);
    return "ran";
  } finally {
    stop();
    await store.deleteIf(running, token).catch(() => false);
  }
}
