import type { ProbotOctokit } from "probot";
import { isGone } from "./http-status.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

const SEES = new Set(["admin", "maintain", "write", "push", "triage", "read", "pull"]);

/**
 * Whether `login` can see `owner/repo` (at least read): `/triage pr` acts only where the person
 * who wrote it could act themselves, so the app is not their deputy into repos they cannot see.
 * 404 (no such repo, the app is not installed there, or no such user) is "no".
 */
export async function canSeeRepo(octokit: Octokit, owner: string, repo: string, login: string): Promise<boolean> {
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", { owner, repo, username: login });
    return SEES.has(data.permission) || SEES.has(data.role_name ?? "");
  } catch (error) {
    if (isGone(error)) return false;
    throw error;
  }
}
