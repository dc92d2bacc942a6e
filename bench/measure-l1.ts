import { l1World } from "../test/lifecycle/lifecycle-l1.js";
import type { LoggedRequest } from "../test/lifecycle/lifecycle-github.js";
import type { L1Step } from "./cost-table.js";
import { SETUP_OPS } from "./measure-cpu.js";

/**
 * `repos/get-content` reads two different things: the config, a file. The `.github` folder's
 * listing counts as the config: its blob sha of `embargo.yml` is what says whether the config
 * changed (src/github/read-config.ts), and the same listing answers whether template overrides
 * exist (src/github/github-folder.ts). The overrides themselves are read by sha, under their own
 * names (`git/get-tree`, `git/get-blob`).
 */
export function contentKind(path: string): string {
  const decoded = decodeURIComponent(path);
  if (decoded.endsWith("/.github/embargo.yml") || decoded.endsWith("/contents/.github")) return "repos/get-content (config)";
  return "repos/get-content (file)";
}

function opOf(r: LoggedRequest): string {
  const op = r.operationId ?? `${r.method} ${r.path}`;
  return op === "repos/get-content" ? contentKind(r.path) : op;
}

/**
 * Lifecycle L1 through the fault tests' stateful GitHub (test/lifecycle), without faults: every
 * request goes through the test harness, so each is checked against GitHub's REST description
 * (`gh.done()` throws otherwise). The once-per-process calls (token, the app's identity) are left
 * out of the steps.
 */
export async function measureL1(): Promise<L1Step[]> {
  const world = l1World();
  const steps: L1Step[] = [];
  for (const step of world.steps) {
    world.clock.now = step.at;
    const from = world.fake.mark();
    const failed = await world.deliver(step.act());
    if (failed) throw new Error(`L1 step "${step.name}" failed: ${failed}`);
    const requests = world.fake.log.slice(from).filter((r) => !SETUP_OPS.has(r.operationId ?? ""));
    steps.push({
      name: step.name,
      calls: {
        calls: requests.length,
        notModified: requests.filter((r) => r.status === 304).length,
        ops: requests.map((r) => (r.status === 304 ? `${opOf(r)} (304)` : opOf(r))),
        errors: requests.filter((r) => typeof r.status !== "number" || r.status >= 500).map((r) => `${r.method} ${r.path}: ${r.status}`),
      },
    });
  }
  world.gh.done();
  return steps;
}
