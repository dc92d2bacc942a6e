import type { ProbotOctokit } from "probot";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** 👀 when a command comment is read, 👍 when all of it applied; GitHub keeps one of each per app. */
export async function reactToComment(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  commentId: number,
  content: "eyes" | "+1",
): Promise<void> {
  await octokit.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", { owner: repo.owner, repo: repo.repo, comment_id: commentId, content });
}
