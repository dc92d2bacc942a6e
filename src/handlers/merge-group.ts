import type { Context } from "probot";
import { defaultConfig } from "../config/load-config.js";
import { gateRunNamed, gateRuns, upsertGateRun } from "../github/check-runs.js";
import { getPull } from "../github/pull-requests.js";
import { decideMergeGroup, mergeGroupPulls, type PullGate } from "../pr/decide-merge-group.js";
import { readConfig, type Deps } from "./response-context.js";

/**
 * `merge_group.checks_requested`: a required gate must be reported on the merge queue's commit too,
 * or the queue waits for it for good. Read: the repo's config (conditional), the group's commit's
 * runs (a redelivery updates, never duplicates), and for each PR the group names, the PR now and
 * the app's runs on its head: the payload's word is taken for nothing but the numbers. Decide
 * (src/pr/decide-merge-group.ts), apply: one create or update, without any link.
 */
export async function onMergeGroup(deps: Deps, context: Context<"merge_group.checks_requested">): Promise<void> {
  const group = context.payload.merge_group;
  const { owner, repo } = context.repo();
  const octokit = context.octokit;
  const result = await readConfig(context, deps.store);
  const config = result.ok ? result.config : defaultConfig();
  // Without a gate on every PR the gate is not meant to be required, and an unlinked PR has none to count.
  if (!config.public_pr.gate_every_pr) return;
  const name = config.public_pr.check_name;
  const gates: PullGate[] = [];
  for (const number of mergeGroupPulls(group.head_ref)) {
    const pull = await getPull(octokit, { owner, repo, pull_number: number });
    if (!pull || pull.state !== "open") {
      gates.push(undefined);
      continue;
    }
    const gate = gateRunNamed(await gateRuns(octokit, owner, repo, pull.head.sha, deps.appId), name);
    gates.push(gate && { status: gate.status, conclusion: gate.conclusion });
  }
  const check = decideMergeGroup(gates);
  const existing = gateRunNamed(await gateRuns(octokit, owner, repo, group.head_sha, deps.appId), name);
  await upsertGateRun(octokit, { owner, repo, head_sha: group.head_sha, name, external_id: "" }, existing, check, deps.now());
}
