import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import { listRecentlyClosed } from "../github/tick-github.js";
import { issueKey, type Deps } from "../handlers/response-context.js";
import { catchUpClose } from "../handlers/unhandled-close.js";
import { CLOSED_STATES, type ResponseRecord } from "../record/response-record.js";
import { STATE_LABEL_PREFIX } from "../response/effects.js";

type Octokit = InstanceType<typeof ProbotOctokit>;
type IssueRef = { owner: string; repo: string; issue_number: number };

/** How far back the tick looks for a close nobody handled when no dashboard lists the responses: as long as a dashboard shows a closed row. */
const LOOKBACK_MS = 30 * 24 * 3_600_000;

/**
 * Closes nobody handled, where the dashboard's rows cannot point at them (src/tick/run-tick.ts,
 * `staleRows`): the dashboard is disabled. One call lists the labelled issues closed or changed in
 * the last 30 days; only those whose state label is not a closed state's are read (a close the app
 * handled relabels the issue), each judged as its `issues.closed` would have been.
 */
export async function closesWithoutDashboard(deps: Deps, octokit: Octokit, owner: string, repo: string, config: EmbargoConfig, log: (m: string) => void): Promise<void> {
  if (config.dashboard.enabled) return;
  const since = new Date(deps.now().getTime() - LOOKBACK_MS).toISOString();
  const ended = CLOSED_STATES.map((s) => `${STATE_LABEL_PREFIX}${s}`.toLowerCase());
  for (const issue of await listRecentlyClosed(octokit, owner, repo, config.label, since)) {
    if (issue.labels.some((l) => ended.includes(l.toLowerCase()))) continue;
    await catchUpLogged(deps, octokit, { owner, repo, issue_number: issue.number }, config, log);
  }
}

/** One close (or reopen) judged, and the record as it stands then; a failure is logged and left to the next tick, and never stops the others. */
export async function catchUpLogged(deps: Deps, octokit: Octokit, ref: IssueRef, config: EmbargoConfig, log: (m: string) => void): Promise<ResponseRecord | undefined> {
  try {
    return await catchUpClose(deps, octokit, ref, config, log);
  } catch (error) {
    log(`${issueKey(ref)}: its close was not handled (${(error as Error).message.split("\n")[0]}); the next tick tries again`);
    return undefined;
  }
}
