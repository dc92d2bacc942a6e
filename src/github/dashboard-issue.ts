import type { ProbotOctokit } from "probot";
import { DASHBOARD_MARKER } from "../dashboard/dashboard-index.js";
import { createOnce, NO_RETRY } from "./create-once.js";
import { httpStatus } from "./http-status.js";

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

/** The hidden key of the app's one warning that people's notes leave the dashboard no room, and of that warning once resolved. */
export const NOTES_WARNING = "<!-- embargo:dashboard-notes-too-long -->";
const NOTES_RESOLVED = "<!-- embargo:dashboard-notes-fit -->";

/** The app's standing warning on the dashboard issue, by its key: only when the notes are too long, never on the usual path. */
export async function findNotesWarning(octokit: Octokit, owner: string, repo: string, issue_number: number, botLogin: string): Promise<number | undefined> {
  for await (const { data } of octokit.paginate.iterator(octokit.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 })) {
    const own = data.find((c) => c.user?.login === botLogin && (c.body ?? "").includes(NOTES_WARNING));
    if (own) return own.id;
  }
  return undefined;
}

export async function postNotesWarning(octokit: Octokit, owner: string, repo: string, issue_number: number, text: string, botLogin: string): Promise<number> {
  return createOnce(
    async () => (await octokit.rest.issues.createComment({ owner, repo, issue_number, body: `${text}\n\n${NOTES_WARNING}`, ...NO_RETRY })).data.id,
    () => findNotesWarning(octokit, owner, repo, issue_number, botLogin),
  );
}

/** The warning, now that the dashboard fits again; a warning someone deleted needs nothing. */
export async function resolveNotesWarning(octokit: Octokit, owner: string, repo: string, comment_id: number, text: string): Promise<void> {
  try {
    await octokit.rest.issues.updateComment({ owner, repo, comment_id, body: `${text}\n\n${NOTES_RESOLVED}` });
  } catch (error) {
    if (httpStatus(error) !== 404) throw error;
  }
}
