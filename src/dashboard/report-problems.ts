import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import type { Deps } from "../handlers/response-context.js";
import { REPORT_PROBLEMS, type DashboardIndex, type ReportProblem } from "./dashboard-index.js";
import { changeDashboard } from "./dashboard-hook.js";
import { problemsOf } from "./report-notes.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** A report's note stays this long unless the tick sees it settled first: that webhook is not sent again. */
const REPORT_NOTE_DAYS = 30;

/**
 * Notes kept in the index, the newest: only the first ten are shown, and every repository the app
 * is installed on can name this security repo, so the list must not grow with them.
 */
export const REPORT_PROBLEMS_KEPT = 50;

const same = (a: ReportProblem, b: Pick<ReportProblem, "repo" | "from">) => a.repo.toLowerCase() === b.repo.toLowerCase() && a.from === b.from;

function withProblems(index: DashboardIndex, problems: ReportProblem[]): DashboardIndex {
  const { [REPORT_PROBLEMS]: _before, ...rest } = index;
  const kept = problems.slice(-REPORT_PROBLEMS_KEPT);
  return { ...rest, v: 1, rows: index.rows, ...(kept.length ? { [REPORT_PROBLEMS]: kept } : {}) };
}

/**
 * A report sent here by a repo this config does not name back: noted on this dashboard, one note
 * per repo (a redelivery or a second report changes its day only). Never opens a dashboard, and a
 * failure is logged only: the report itself waits in triage on the product repo either way.
 */
export async function noteReportProblem(deps: Deps, octokit: Octokit, security: string, note: Omit<ReportProblem, "on">, log: (m: string) => void): Promise<void> {
  const [owner, repo] = security.split("/") as [string, string];
  const on = deps.now().toISOString().slice(0, 10);
  try {
    // In its place: a second report the same day leaves the dashboard as it is (no edit, no reordering).
    const noted = (list: ReportProblem[]) => (list.some((p) => same(p, note)) ? list.map((p) => (same(p, note) ? { ...note, on } : p)) : [...list, { ...note, on }]);
    await changeDashboard(deps, { octokit, owner, repo, log }, (index) => withProblems(index, noted(problemsOf(index))), undefined, true);
  } catch (error) {
    log(`${security}: the dashboard was not told of a report from ${note.repo} (${(error as Error).message.split("\n")[0]})`);
  }
}

/**
 * The tick's problems replace the last tick's; a report's note stays while its repo is still not a
 * component here and it is under 30 days old (once named, the tick opens the reports still in triage).
 */
export function tickReportProblems(index: DashboardIndex, found: Omit<ReportProblem, "on" | "from">[], config: EmbargoConfig, now: Date): DashboardIndex {
  const components = new Set(Object.values(config.components).flatMap((c) => (c.repo ? [c.repo.toLowerCase()] : [])));
  const since = new Date(now.getTime() - REPORT_NOTE_DAYS * 86_400_000).toISOString().slice(0, 10);
  const kept = problemsOf(index).filter((p) => p.from === "report" && !components.has(p.repo.toLowerCase()) && p.on >= since);
  const on = now.toISOString().slice(0, 10);
  return withProblems(index, [...kept, ...found.map((f) => ({ ...f, on, from: "tick" as const }))]);
}
