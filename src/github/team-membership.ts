import type { ProbotOctokit } from "probot";
import { isRateLimited } from "./http-status.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export type Membership =
  | { ok: true; member: boolean }
  /** The team itself cannot be read: renamed, deleted, on a user-owned repo, or no members:read. */
  | { ok: false; problem: string };

function status(error: unknown): number | undefined {
  return (error as { status?: number }).status;
}

/**
 * Whether `login` is an active member of `team` ("org/slug"): one call. GitHub answers 404 both for
 * "not a member" and for "no such team", so a 404 costs one more call to tell them apart: a team
 * that cannot be read is a config problem to report, never a silent refusal of everyone. A caller
 * that has already seen the team answer (`teamSeen`) takes a 404 as "not a member" at once.
 */
export async function teamMembership(octokit: Octokit, team: string, login: string, teamSeen = false): Promise<Membership> {
  const [org, team_slug] = team.split("/") as [string, string];
  try {
    const { data } = await octokit.request("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", { org, team_slug, username: login });
    return { ok: true, member: data.state === "active" };
  } catch (error) {
    if ((status(error) !== 404 && status(error) !== 403) || isRateLimited(error)) throw error;
    if (teamSeen && status(error) === 404) return { ok: true, member: false };
  }
  try {
    await octokit.request("GET /orgs/{org}/teams/{team_slug}", { org, team_slug });
    return { ok: true, member: false };
  } catch (error) {
    if ((status(error) === 404 || status(error) === 403) && !isRateLimited(error)) {
      return { ok: false, problem: `the team \`${team}\` (config \`team\`) cannot be read: it does not exist (renamed or deleted?), or the app lacks the members:read permission on ${org}` };
    }
    throw error;
  }
}
