import type { ProbotOctokit } from "probot";
import { createOnce, NO_RETRY } from "./create-once.js";
import { commentId, listComments, type IssueRef } from "./issue-comments.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface MadeComment {
  id: number;
  body: string;
  /** Its html_url (the dashboard links the response by it). */
  url?: string;
}

/**
 * The app's newest comment on the issue that carries `marker`, listed again: after a create whose
 * answer was lost, the one it made (newest: GitHub's ids grow with time).
 */
async function listedOwnComment(octokit: Octokit, issue: IssueRef, botLogin: string, marker: string): Promise<MadeComment | undefined> {
  const own = (await listComments(octokit, issue)).filter((c) => c.login === botLogin && c.body.includes(marker)).pop();
  return own && { id: own.id, body: own.body, url: own.url };
}

/**
 * A comment of the app's, carrying its hidden `marker`, made once (src/github/create-once.ts): a
 * create answered 5xx is looked for by that marker before it is sent again. An adopted comment
 * may hold another body than `body` (never, when it is the lost create's, but another writer may
 * have come between): with `overwrite`, this body is written over it (a response or a pack is one
 * comment whose newest text wins); without, it is left as it is (a reply keyed by its marker says
 * the same thing either way).
 */
export async function createOwnComment(octokit: Octokit, issue: IssueRef, body: string, marker: string, botLogin: string, overwrite = false): Promise<MadeComment> {
  const made = await createOnce(
    async () => {
      const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...issue, body, ...NO_RETRY });
      return { id: commentId(data.id), body, url: data.html_url };
    },
    () => listedOwnComment(octokit, issue, botLogin, marker),
  );
  if (!overwrite || made.body === body) return made;
  const { data } = await octokit.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { owner: issue.owner, repo: issue.repo, comment_id: made.id, body });
  return { id: made.id, body, url: data.html_url };
}
