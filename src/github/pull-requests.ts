import type { ProbotOctokit } from "probot";
import { isGone } from "./http-status.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export type Pull = Awaited<ReturnType<Octokit["rest"]["pulls"]["get"]>>["data"];

/** A pull request, or null when GitHub says it is not there (or not visible to the app). */
export async function readPull(octokit: Octokit, owner: string, repo: string, number: number): Promise<Pull | null> {
  try {
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: number });
    return data;
  } catch (error) {
    if (isGone(error)) return null;
    throw error;
  }
}
