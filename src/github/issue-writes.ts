import type { ProbotOctokit } from "probot";
import type { IssueRef } from "./issue-comments.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** A new comment on an issue or PR (a new comment notifies; an edit does not). */
export async function postComment(octokit: Octokit, issue: IssueRef, body: string): Promise<void> {
  await octokit.rest.issues.createComment({ ...issue, body });
}

/** Labels added to an issue or PR; GitHub keeps the ones it has. */
export async function addIssueLabels(octokit: Octokit, issue: IssueRef, labels: string[]): Promise<void> {
  await octokit.rest.issues.addLabels({ ...issue, labels });
}
