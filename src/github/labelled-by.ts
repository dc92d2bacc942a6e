import type { ProbotOctokit } from "probot";
import { isOutOfReach } from "./http-status.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * Whether `login` ever put `label` on the issue or PR, as its events tell (GitHub's word on who
 * did it, which nobody else can write): a label of the same name a project uses for its own ends
 * says nothing about the app. Every page is read; the caller asks only on a rare path.
 */
export async function labelledBy(octokit: Octokit, issue: { owner: string; repo: string; issue_number: number }, label: string, login: string): Promise<boolean> {
  try {
    const events = await octokit.paginate(octokit.rest.issues.listEvents, { ...issue, per_page: 100 });
    return events.some((e) => e.event === "labeled" && e.actor?.login.toLowerCase() === login.toLowerCase() && (e as { label?: { name?: string } }).label?.name?.toLowerCase() === label.toLowerCase());
  } catch (error) {
    // Unreadable: say so the safe way (the app's label, the PR keeps waiting for the tick).
    if (isOutOfReach(error)) return true;
    throw error;
  }
}
