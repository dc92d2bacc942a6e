import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface Permission {
  allowed: boolean;
  /** Who may run commands here, for the refusal message. */
  who: string;
}

function status(error: unknown): number | undefined {
  return (error as { status?: number }).status;
}

/**
 * Members of the configured team may run commands; with no team configured, people with the admin
 * or maintain role on the repo. Unknown people (404) are simply not allowed.
 */
export async function mayRunCommands(octokit: Octokit, config: EmbargoConfig, owner: string, repo: string, login: string): Promise<Permission> {
  if (config.team) {
    const [org, team_slug] = config.team.split("/") as [string, string];
    const who = `members of the ${config.team} team`;
    try {
      const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug, username: login });
      return { allowed: data.state === "active", who };
    } catch (error) {
      if (status(error) === 404) return { allowed: false, who };
      throw error;
    }
  }
  const who = "people with the admin or maintain role on this repository";
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username: login });
    return { allowed: data.permission === "admin" || data.role_name === "admin" || data.role_name === "maintain", who };
  } catch (error) {
    if (status(error) === 404) return { allowed: false, who };
    throw error;
  }
}
