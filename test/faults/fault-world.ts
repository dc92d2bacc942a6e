/**
 * Faults for the lifecycle world: a seeded random choice of which GitHub calls fail and how
 * (issue 14: 502, 503, 403 secondary rate limit with `retry-after`, connection reset).
 */
import { FAULTS, type Fault, type FaultRequest } from "../lifecycle/lifecycle-github.js";

/** mulberry32: a small seeded generator, so a failing seed can be run again. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fails `rate` of the calls, each with one of the four faults. A fault is transient: the same call
 * (same delivery, method, path and n-th such call of the attempt) fails at most once, so each
 * redelivery gets further and the run ends in a bounded number of redeliveries. Without that, an
 * event that needs 40 calls would succeed once in 1/0.8^40 ≈ 7,500 deliveries.
 */
export function randomFaults(seed: number, rate = 0.2, options: { applied?: number } = {}): (request: FaultRequest) => Fault | undefined {
  const random = seeded(seed);
  const failed = new Set<string>();
  return (r) => {
    const fail = random() < rate;
    const which = FAULTS[Math.floor(random() * FAULTS.length)]!;
    // Only a write can be done and its answer lost; a 403 rate limit is refused before any work.
    const canApply = r.method !== "GET" && !(which.kind === "status" && which.status === 403);
    const applied = canApply && random() < (options.applied ?? 0);
    const key = `${r.delivery} ${r.method} ${r.path} ${r.occurrence}`;
    if (!fail || failed.has(key)) return undefined;
    failed.add(key);
    return applied ? { ...which, applied } : which;
  };
}
