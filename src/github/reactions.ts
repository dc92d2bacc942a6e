import type { ProbotOctokit } from "probot";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** 👀 when a command comment is read, 👍 when all of it applied; GitHub keeps one of each per app. */
export async function reactToComment(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  commentId: number,
  content: "eyes" | "+1",
): Promise<void> {
  await octokit.rest.reactions.createForIssueComment({ owner: repo.owner, repo: repo.repo, comment_id: commentId, content });
}
