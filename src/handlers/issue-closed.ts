import type { Context } from "probot";
import { prFacts, readRepoConfig, syncPr, type PullLike } from "./sync-pr.js";
import { isPrivateRepo, issueKey, loadResponse, readConfig, type Deps } from "./response-context.js";

/** A security issue closed (by a command or by hand): its PRs lose their priority and the gate completes. */
export async function onIssueClosed(deps: Deps, context: Context<"issues.closed">): Promise<void> {
  const { payload } = context;
  if (payload.issue.pull_request || !isPrivateRepo(payload.repository)) return;
  const configResult = await readConfig(context);
  if (!configResult.ok) return;
  const issue = { owner: payload.repository.owner.login, repo: payload.repository.name, issue_number: payload.issue.number };
  const key = issueKey(issue);
  const octokit = context.octokit;
  const botLogin = await deps.botLogin();
  const loaded = await loadResponse(octokit, issue, configResult.config, botLogin, deps.keys);
  if (!loaded.record?.prs.length) return;
  for (const linked of loaded.record.prs) {
    const [owner, repo] = linked.repo.split("/") as [string, string];
    const { data: pull } = await octokit.rest.pulls.get({ owner, repo, pull_number: linked.number });
    const prConfig = await readRepoConfig(octokit, owner, repo);
    if (!prConfig.ok) continue;
    const facts = prFacts(pull as unknown as PullLike, pull.base.repo);
    await deps.queue.run(key, () =>
      syncPr({ octokit, deps, sealer: deps.sealer, log: (m) => context.log.info(m), issueKey: `${issue.owner}/${issue.repo}#${issue.issue_number}`, pr: facts, prConfig: prConfig.config, security: configResult.config }),
    );
  }
}
