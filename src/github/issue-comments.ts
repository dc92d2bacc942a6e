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

export interface CommentSummary {
  id: number;
  body: string;
  login: string;
}

export async function listComments(octokit: Octokit, issue: IssueRef): Promise<CommentSummary[]> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...issue, per_page: 100 });
  return comments.map((c) => ({ id: c.id, body: c.body ?? "", login: c.user?.login ?? "" }));
}

/** The app's own comment carrying a marker; markers in anyone else's comment are ignored. */
export function findOwnComment(comments: CommentSummary[], botLogin: string, marker: string): CommentSummary | undefined {
  return comments.find((c) => c.login === botLogin && c.body.includes(marker));
}
