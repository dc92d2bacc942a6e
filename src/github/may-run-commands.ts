import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import { teamMembership } from "./team-membership.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface Permission {
  allowed: boolean;
  /** Who may run commands here, for the refusal message. */
  who: string;
  /**
   * The configured team cannot be read (renamed, deleted, a user-owned repo): a config problem to
   * reply with, instead of a refusal. Nobody may run commands until it is fixed.
   */
  problem?: string;
}

function status(error: unknown): number | undefined {
  return (error as { status?: number }).status;
}

/**
 * Members of the configured team may run commands; with no team configured, people with the admin
 * or maintain role on the repo. Unknown people (404) are simply not allowed; a team that cannot be
 * read is never a silent refusal of everyone.
 */
export async function mayRunCommands(octokit: Octokit, config: EmbargoConfig, owner: string, repo: string, login: string): Promise<Permission> {
  if (config.team) {
    const who = `members of the ${config.team} team`;
    const membership = await teamMembership(octokit, config.team, login);
    if (!membership.ok) {
      return {
        allowed: false,
        who,
        problem:
          `${membership.problem}. Until this is fixed, nobody can run embargo commands here, admins included. ` +
          "To fix it, set `team` to an existing team as `org/team-slug` (teams exist only in organisations), " +
          "or remove `team` so that the admins and maintainers of this repository may run commands",
      };
    }
    return { allowed: membership.member, who };
  }
  const who = "people with the admin or maintain role on this repository";
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", { owner, repo, username: login });
    return { allowed: data.permission === "admin" || data.role_name === "admin" || data.role_name === "maintain", who };
  } catch (error) {
    if (status(error) === 404) return { allowed: false, who };
    throw error;
  }
}
