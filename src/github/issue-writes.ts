import type { ProbotOctokit } from "probot";
import type { IssueRef } from "./issue-comments.js";
import { createOwnComment } from "./own-comment-create.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * A new comment of the app's on an issue or PR (a new comment notifies; an edit does not), made
 * once: after a 5xx it is looked for by `marker` (the text that tells it apart) before it is sent again.
 */
export async function postComment(octokit: Octokit, issue: IssueRef, body: string, again: { marker: string; botLogin: string }): Promise<void> {
  await createOwnComment(octokit, issue, body, again.marker, again.botLogin);
}

/** Labels added to an issue or PR; GitHub keeps the ones it has. */
export async function addIssueLabels(octokit: Octokit, issue: IssueRef, labels: string[]): Promise<void> {
  await octokit.rest.issues.addLabels({ ...issue, labels });
}
