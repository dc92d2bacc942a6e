import type { ProbotOctokit } from "probot";
import { DASHBOARD_MARKER } from "../dashboard/dashboard-index.js";
import { createOnce, NO_RETRY } from "./create-once.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** The label the app puts on its dashboard issue: finding it is one list call whatever else the repo holds. */
export const DASHBOARD_LABEL = "embargo: dashboard";

export interface DashboardIssue {
  number: number;
  body: string;
  node_id: string;
}

/**
 * The dashboard: the oldest open issue with the dashboard label that the app itself opened and
 * that carries its marker. One call, whatever the number of responses; a label someone puts on
 * another issue, or a marker in someone else's issue, is ignored.
 */
export async function findDashboard(octokit: Octokit, owner: string, repo: string, botLogin: string): Promise<DashboardIssue | undefined> {
  // Page by page until the app's own: a page filled with issues people labelled must not hide it
  // (the app would open another dashboard on every event). Usually the first page, one call.
  const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, { owner, repo, labels: DASHBOARD_LABEL, state: "open", sort: "created", direction: "asc", per_page: 20 });
  for await (const { data } of pages) {
    const own = data.find((i) => !i.pull_request && i.user?.login === botLogin && (i.body ?? "").includes(DASHBOARD_MARKER));
    if (own) return { number: own.number, body: own.body ?? "", node_id: own.node_id };
  }
  return undefined;
}

/**
 * Opens the dashboard once (a create answered 5xx is looked for by `findDashboard` before it is
 * sent again, src/github/create-once.ts) and pins it; GitHub pins only a few issues per repo, so a
 * refused pin is logged and the dashboard still works.
 */
export async function createDashboard(octokit: Octokit, owner: string, repo: string, title: string, body: string, log: (m: string) => void, botLogin: string): Promise<DashboardIssue> {
  const data = await createOnce<DashboardIssue>(
    async () => {
      const { data } = await octokit.rest.issues.create({ owner, repo, title, body, labels: [DASHBOARD_LABEL], ...NO_RETRY });
      return { number: data.number, node_id: data.node_id, body };
    },
    () => findDashboard(octokit, owner, repo, botLogin),
  );
  await updateDashboard(octokit, owner, repo, data, body);
  try {
    await octokit.graphql("mutation($id: ID!) { pinIssue(input: { issueId: $id }) { issue { id } } }", { id: data.node_id });
  } catch (error) {
    log(`${owner}/${repo}#${data.number}: the dashboard could not be pinned (${(error as Error).message.split("\n")[0]}); it works unpinned`);
  }
  return { number: data.number, body, node_id: data.node_id };
}

export async function updateDashboard(octokit: Octokit, owner: string, repo: string, dashboard: DashboardIssue, body: string): Promise<void> {
  if (body === dashboard.body) return;
  await octokit.rest.issues.update({ owner, repo, issue_number: dashboard.number, body });
  dashboard.body = body;
}
