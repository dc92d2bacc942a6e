import type { ProbotOctokit } from "probot";
import type { ConfigResult } from "../config/load-config.js";
import { defaultConfig } from "../config/load-config.js";
import { upsertGateRun, type GateRun } from "../github/check-runs.js";
import { labelledBy } from "../github/labelled-by.js";
import { decideUnlinked, type PrFacts } from "../pr/decide-pr.js";
import { wasLinked } from "./pr-snapshot.js";
import type { Deps } from "./response-context.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** Whether the PR repo's config gives unlinked PRs the passing run: a broken config by the defaults, as the gate's name. */
export function gateEveryPr(result: ConfigResult): boolean {
  return (result.ok ? result.config : defaultConfig()).public_pr.gate_every_pr;
}

/**
 * An open PR with no link gets the gate's name in a passing run (src/pr/decide-pr.ts,
 * `decideUnlinked`). Read: nothing more where the head has a run of the app's (the list the event
 * made already) or the PR is closed; else the PR repo's config (conditional) and the store's word
 * that the app once gated this PR. Apply: one create. A broken config names the gate by the
 * defaults, as a linked PR's would: there is no gate to hide on an unlinked PR. True when it wrote
 * the run. A PR event and `embargo backfill` (src/handlers/gate-backfill.ts) both decide here.
 */
export async function gateUnlinked(deps: Deps, octokit: Octokit, pr: PrFacts, runs: GateRun[], config: () => Promise<ConfigResult>): Promise<boolean> {
  // Reads only what can change the decision: a run on the head or a closed PR decides alone.
  if (runs.length || !pr.open) return false;
  const result = await config();
  const prConfig = result.ok ? result.config : defaultConfig();
  const enabled = gateEveryPr(result);
  // Two witnesses that the app gated this PR (a push it missed leaves no link to find): its store's
  // word, lost on a restart without Redis; else the priority label it puts on every linked open PR,
  // if GitHub's events say the app put it there (a project may use a label of that name itself).
  const label = prConfig.public_pr.priority_label;
  const labelled = pr.labels.some((l) => l.toLowerCase() === label.toLowerCase());
  const onceLinked =
    enabled &&
    ((await wasLinked(deps.store, deps.keys, pr)) || (labelled && (await labelledBy(octokit, { owner: pr.owner, repo: pr.repo, issue_number: pr.number }, label, await deps.botLogin()))));
  const check = decideUnlinked({ open: pr.open, enabled, headHasRun: runs.length > 0, onceLinked });
  if (!check) return false;
  await upsertGateRun(octokit, { owner: pr.owner, repo: pr.repo, head_sha: pr.head_sha, name: prConfig.public_pr.check_name, external_id: "", details_url: pr.html_url }, undefined, check, deps.now());
  return true;
}
