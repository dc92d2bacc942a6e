import type { ProbotOctokit } from "probot";

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface IssueRef {
  owner: string;
  repo: string;
  issue_number: number;
}

/** `owner/repo#n`, lower-cased: the key of one security issue (queues, links, records). */
export function issueKey(issue: IssueRef): string {
  return `${issue.owner}/${issue.repo}#${issue.issue_number}`.toLowerCase();
}

/**
 * A comment id as the REST methods typed it. Calls go through `octokit.request(route)` (a REST
 * method costs an endpoint-defaults build on its first use on each event's Octokit), whose types
 * widen ids to bigint for values past 2^53; comment ids are far below, and nothing converts at run time.
 */
export const commentId = (id: number | bigint): number => id as number;

export interface CommentSummary {
  id: number;
  body: string;
  login: string;
  /** Its html_url, when listed (the dashboard links the response by it). */
  url?: string;
}

export async function listComments(octokit: Octokit, issue: IssueRef): Promise<CommentSummary[]> {
  const comments = await octokit.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...issue, per_page: 100 });
  return comments.map((c) => ({ id: c.id, body: c.body ?? "", login: c.user?.login ?? "", url: c.html_url }));
}

/** The app's own comment carrying a marker; markers in anyone else's comment are ignored. */
export function findOwnComment(comments: CommentSummary[], botLogin: string, marker: string): CommentSummary | undefined {
  return comments.find((c) => c.login === botLogin && c.body.includes(marker));
}
