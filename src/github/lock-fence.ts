import type { ProbotOctokit } from "probot";
import { assertLocksHeld, holdsLocks } from "../store/locked-queue.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

const INSTALLED = Symbol.for("embargo.lock-fence");

/**
 * With several instances (README, "Several instances"): every write to GitHub made under the
 * per-issue lock first checks that the lock is still this instance's (src/store/locked-queue.ts).
 * One store read per write; reads, and writes outside a lock, go straight on.
 */
export function fenceWrites(octokit: Octokit): void {
  const marked = octokit as unknown as Record<symbol, boolean>;
  if (marked[INSTALLED]) return;
  marked[INSTALLED] = true;
  octokit.hook.wrap("request", (request, options) => {
    const method = String(options.method).toUpperCase();
    if (method === "GET" || method === "HEAD" || !holdsLocks()) return request(options);
    return assertLocksHeld().then(() => request(options));
  });
}
