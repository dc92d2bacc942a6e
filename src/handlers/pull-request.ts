import type { Context } from "probot";
import { gateRuns } from "../github/check-runs.js";
import { findReferences } from "../pr/find-references.js";
import { prFacts, syncPr, type PullLike } from "./sync-pr.js";
import { readConfig, type Deps } from "./response-context.js";

type PrContext =
  | Context<"pull_request.opened">
  | Context<"pull_request.edited">
  | Context<"pull_request.synchronize">
  | Context<"pull_request.reopened">
  | Context<"pull_request.closed">
  | Context<"pull_request_review.submitted">
  | Context<"pull_request_review.dismissed">;

/**
 * Any PR event: find the security issue this PR is linked to in a constant number of calls (the
 * sealed link on the gate run of its head, or of the previous head after a push; for a private PR,
 * a reference in its text), then sync it. Unlinked PRs cost one config read and one call.
 */
export async function onPullRequest(deps: Deps, context: PrContext): Promise<void> {
  const { payload } = context;
  const pull = payload.pull_request as unknown as PullLike;
  const repository = payload.repository;
  const configResult = await readConfig(context);
  if (!configResult.ok) {
    context.log.warn(`.github/embargo.yml of ${repository.full_name} is invalid; PR events are ignored until it is fixed`);
    return;
  }
  const prConfig = configResult.config;
  const facts = prFacts(pull, repository);
  const octokit = context.octokit;
  const checkName = prConfig.public_pr.check_name;
  const runs = await gateRuns(octokit, facts.owner, facts.repo, facts.head_sha, checkName);
  let key = runs.map((r) => deps.sealer.open(r.external_id)).find(Boolean);
  const pushed = payload.action === "synchronize";
  if (!key && pushed) {
    const before = (payload as { before?: string }).before;
    if (before) key = (await gateRuns(octokit, facts.owner, facts.repo, before, checkName)).map((r) => deps.sealer.open(r.external_id)).find(Boolean);
  }
  if (!key && facts.private) {
    const securityRepo = prConfig.security_repo ?? repository.full_name;
    const [number] = findReferences(`${facts.title}\n${facts.body}`, securityRepo);
    if (number) key = `${securityRepo}#${number}`;
  }
  if (!key) return;
  const issueKey = key;
  await deps.queue.run(issueKey.toLowerCase(), () =>
    syncPr({ octokit, deps, sealer: deps.sealer, log: (m) => context.log.info(m), issueKey, pr: facts, prConfig, runs }),
  );
}
