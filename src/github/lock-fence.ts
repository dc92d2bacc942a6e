import type { ProbotOctokit } from "probot";
import { assertKeysHeld, holdsKeys } from "../store/held-key.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

const INSTALLED = Symbol.for("embargo.lock-fence");

/**
 * With several instances (README, "Several instances"): every write to GitHub made under the
 * per-issue lock or the tick's lease first checks that they are still this instance's
 * (src/store/held-key.ts). One store read per write; reads, and writes outside them, go straight on.
 */
export function fenceWrites(octokit: Octokit): void {
  const marked = octokit as unknown as Record<symbol, boolean>;
  if (marked[INSTALLED]) return;
  marked[INSTALLED] = true;
  octokit.hook.wrap("request", (request, options) => {
    const method = String(options.method).toUpperCase();
    if (method === "GET" || method === "HEAD" || !holdsKeys()) return request(options);
    return assertKeysHeld().then(() => request(options));
  });
}
