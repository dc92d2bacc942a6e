import type { ProbotOctokit } from "probot";
import type { IssueRef } from "./issue-comments.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** The issue as it stands now, not as the event's snapshot had it: what decisions that write labels need. */
export interface IssueNow {
  title: string;
  reporter: string;
  labels: string[];
  assignees: string[];
  open: boolean;
}

/**
 * One `GET /repos/{o}/{r}/issues/{n}`. Two commands in quick succession each carry the labels of
 * their own moment; computing state labels from those leaves two state labels behind (issue 8).
 */
export async function readIssueNow(octokit: Octokit, issue: IssueRef): Promise<IssueNow> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}", { owner: issue.owner, repo: issue.repo, issue_number: issue.issue_number });
  return {
    title: data.title,
    reporter: data.user?.login ?? "",
    labels: data.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter(Boolean),
    assignees: (data.assignees ?? []).flatMap((a) => (a?.login ? [a.login] : [])),
    open: data.state === "open",
  };
}
