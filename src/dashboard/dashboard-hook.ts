import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import { createDashboard, findDashboard, updateDashboard } from "../github/dashboard-issue.js";
import { readConfigFrom } from "../github/read-config.js";
import { repoOverrides } from "../github/template-overrides.js";
import type { AfterResponseWrite } from "../github/response-writes.js";
import type { Deps } from "../handlers/response-context.js";
import { knownRepoId, recordScope } from "../github/repo-ids.js";
import { decodeRecord } from "../record/markers.js";
import { readIndex, rowOf, withRow, type DashboardIndex, type DashboardRow, type RowFacts } from "./dashboard-index.js";
import { decideDashboard } from "./decide-dashboard.js";
import { resolveNotesTooLong, warnNotesTooLong } from "./notes-warning.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface DashboardTarget {
  octokit: Octokit;
  owner: string;
  repo: string;
  log: (message: string) => void;
}

/**
 * Every write to one repo's dashboard runs in this queue: two issues' events never overwrite each
 * other's rows. By the repo's id when known: a renamed repo's events, old name or new, share it.
 */
export function dashboardKey(owner: string, repo: string): string {
  const id = knownRepoId({ owner, repo });
  return id === undefined ? `dashboard:${owner}/${repo}`.toLowerCase() : `dashboard:repo:${id}`;
}

/**
 * Reads the dashboard, lets `change` decide the new index, writes it back (or opens the dashboard
 * the first time): a constant number of calls (config, one list, one write) however many
 * responses are open. The find runs again inside the queue, so a dashboard is never opened twice.
 * `existingOnly`: a write a repo other than the security repo caused opens no dashboard.
 */
export async function changeDashboard(deps: Deps, target: DashboardTarget, change: (index: DashboardIndex, config: EmbargoConfig) => DashboardIndex, knownConfig?: EmbargoConfig, existingOnly = false): Promise<void> {
  const { octokit, owner, repo, log } = target;
  await deps.queue.run(dashboardKey(owner, repo), async () => {
    const config = knownConfig ?? (await readConfigOrSkip(octokit, owner, repo, deps));
    if (!config?.dashboard.enabled) return;
    const botLogin = await deps.botLogin();
    const full = `${owner}/${repo}`;
    const found = await findDashboard(octokit, owner, repo, botLogin);
    if (!found && existingOnly) return;
    const index = change(found ? readIndex(found.body, deps.keys, full) : { v: 1, rows: [] }, config);
    const ctx = { keys: deps.keys, repo: full, now: deps.now(), title: config.dashboard.title, label: config.label, overrides: repoOverrides(octokit, owner, repo, deps.store) };
    const { body, tooLong } = await decideDashboard(index, found?.body, ctx);
    if (!found) return void (await createDashboard(octokit, owner, repo, config.dashboard.title, body, log, botLogin));
    // People's notes leave no room: GitHub would refuse the edit, and a refusal only logged goes unseen.
    const notesTarget = { octokit, owner, repo, dashboard: found, botLogin, log };
    if (tooLong) return warnNotesTooLong(deps, notesTarget, tooLong, config);
    await updateDashboard(octokit, owner, repo, found, body);
    await resolveNotesTooLong(deps, notesTarget, deps.now());
  });
}

async function readConfigOrSkip(octokit: Octokit, owner: string, repo: string, deps: Deps): Promise<EmbargoConfig | undefined> {
  const result = await readConfigFrom(octokit, owner, repo, deps.store);
  return result.ok ? result.config : undefined;
}

/** What the event's payload knows of the response's issue (title, link, assignees), when it is that issue. */
export interface PayloadIssue {
  number: number;
  title?: string;
  html_url?: string;
  assignees?: ({ login: string } | null)[] | null;
  pull_request?: unknown;
}

/**
 * The hook `applyEffects` calls after writing a response comment: that response's row, and only
 * it, changes in the dashboard. A failure is logged and never fails the response (the tick
 * rebuilds the dashboard).
 */
export function dashboardHook(deps: Deps, octokit: Octokit, log: (m: string) => void, payloadIssue?: PayloadIssue, onRepo?: (full: string, id?: number) => void): AfterResponseWrite {
  return async ({ issue, body, commentUrl }) => {
    const decoded = decodeRecord(body, deps.keys, recordScope(issue));
    if (!decoded.found) return;
    onRepo?.(`${issue.owner}/${issue.repo}`, knownRepoId(issue));
    const same = payloadIssue && !payloadIssue.pull_request && payloadIssue.number === issue.issue_number;
    const facts = (previous?: DashboardRow): RowFacts => ({
      n: issue.issue_number,
      url: (same && payloadIssue.html_url) || commentUrl?.replace(/#.*$/, "") || previous?.url || "",
      title: same ? payloadIssue.title : undefined,
      assignees: same ? (payloadIssue.assignees ?? []).flatMap((a) => (a ? [a.login] : [])) : undefined,
    });
    try {
      await changeDashboard(deps, { octokit, owner: issue.owner, repo: issue.repo, log }, (index, config) => {
        const previous = index.rows.find((r) => r.n === issue.issue_number);
        const row = rowOf(decoded.record, config, facts(previous), deps.now(), previous);
        if (!row.owner && previous?.owner) row.owner = previous.owner;
        return withRow(index, issue.issue_number, row);
      });
    } catch (error) {
      log(`${issue.owner}/${issue.repo}#${issue.issue_number}: the dashboard row was not updated (${(error as Error).message.split("\n")[0]}); the next tick rebuilds it`);
    }
  };
}
