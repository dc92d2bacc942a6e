import type { Context } from "probot";
import { handlePublicReport } from "./public-report.js";
import { openResponse } from "./open-response.js";
import { privateNow } from "../github/made-public.js";
import { issueKey, readConfig, responseKey, reportConfigProblems, type Deps } from "./response-context.js";

type IntakeContext = Context<"issues.opened"> | Context<"issues.labeled">;

/** `issues.labeled` with the configured label, or `issues.opened` already carrying it. */
export async function onIntake(deps: Deps, context: IntakeContext): Promise<void> {
  const { payload } = context;
  if (payload.issue.pull_request) return;
  const configResult = await readConfig(context, deps.store);
  const label = (configResult.ok ? configResult.config.label : configResult.label).toLowerCase();
  const labels = (payload.issue.labels ?? []).map((l) => l.name);
  const ours = payload.action === "labeled" ? payload.label?.name.toLowerCase() === label : labels.some((l) => l.toLowerCase() === label);
  if (!ours) return;

  const issue = { owner: payload.repository.owner.login, repo: payload.repository.name, issue_number: payload.issue.number };
  const botLogin = await deps.botLogin();
  if (!configResult.ok) {
    // Under the issue's queue as every other reply: `opened` and `labeled` arrive at once, and each would post it.
    await deps.queue.run(responseKey(issue), () => reportConfigProblems(context.octokit, issue, configResult.problems, configResult.label, botLogin));
    return;
  }
  const config = configResult.config;
  if (!(await privateNow(context.octokit, payload.repository))) {
    // The same per-issue queue as private issues: an `opened` and a `labeled` at the same moment
    // post one notice and attempt one transfer.
    const publicIssue = { ...issue, node_id: payload.issue.node_id, repo_html_url: payload.repository.html_url };
    const outcome = await deps.queue.run(responseKey(issue), () => handlePublicReport(context.octokit, publicIssue, config, botLogin));
    if (outcome.problem) context.log.warn({ issue: issueKey(issue) }, outcome.problem);
    return;
  }
  await deps.queue.run(responseKey(issue), () =>
    openResponse(
      context.octokit,
      issue,
      {
        created_at: payload.issue.created_at,
        title: payload.issue.title,
        author: payload.issue.user?.login ?? "",
        labels,
        assignees: (payload.issue.assignees ?? []).flatMap((a) => (a ? [a.login] : [])),
        open: payload.issue.state === "open",
        body: payload.issue.body ?? "",
      },
      config,
      botLogin,
      deps.now(),
      deps.keys,
      { deps: { env: deps.env ?? process.env, log: context.log }, url: payload.issue.html_url },
      deps.store,
    ),
  );
}
