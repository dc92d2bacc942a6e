import type { Context } from "probot";
import { getIssue, type IssueSummary } from "../github/pull-requests.js";
import { privateNow } from "../github/made-public.js";
import { closeCounts, recordHandClose, type StateChange } from "./close-decision.js";
import { syncLinkedPrs } from "./sync-linked-prs.js";
import { loadResponse, responseKey, readConfig, type Deps } from "./response-context.js";

type StateContext = Context<"issues.closed"> | Context<"issues.reopened">;

/**
 * A security issue closed or reopened: its PRs follow. On a close that counts
 * (src/handlers/close-decision.ts) they lose their priority and the gate completes; on a reopen
 * the gates come back. The close is judged and recorded in the response's queue, from the response
 * read there: a tick or PR event that met the same close first (src/handlers/unhandled-close.ts)
 * has then written what it did, and nothing is told twice.
 */
export async function onIssueClosed(deps: Deps, context: StateContext): Promise<void> {
  const { payload } = context;
  if (payload.issue.pull_request || !(await privateNow(context.octokit, payload.repository))) return;
  const configResult = await readConfig(context, deps.store);
  if (!configResult.ok) return;
  const issue = { owner: payload.repository.owner.login, repo: payload.repository.name, issue_number: payload.issue.number };
  const octokit = context.octokit;
  const botLogin = await deps.botLogin();
  let summary: Promise<IssueSummary | undefined> | undefined;
  const current = () => (summary ??= getIssue(octokit, issue));
  const change: StateChange = {
    octokit,
    action: payload.action,
    sender: payload.sender.login,
    closedAt: payload.issue.closed_at,
    updatedAt: payload.issue.updated_at,
    log: (m) => context.log.info(m),
  };
  const loaded = await deps.queue.run(responseKey(issue), async () => {
    const read = await loadResponse(octokit, issue, configResult.config, botLogin, deps.keys, deps.store);
    if (!read.record) return undefined;
    if (payload.action === "closed" && !(await closeCounts(change, read, current))) return undefined;
    await recordHandClose(deps, change, read, current);
    return read;
  });
  if (loaded) await syncLinkedPrs(deps, octokit, loaded, current, change.log);
}
