import type { ProbotOctokit } from "probot";
import { currentScope, repoKey, visibilityOf, type RepoRef } from "./event-scope.js";
import { issueKey, type IssueRef } from "./issue-comments.js";
import { parseIssueKey, type IssueLink } from "../pr/pr-link.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * GitHub's id of a repository, which a rename or a transfer keeps: what a response's record is
 * signed over and what its queue is keyed by, so that every event finds the same response whatever
 * name it knows the repository by (an issue event: the new name; a PR's sealed link: the name it
 * was linked under, which GitHub redirects). Known per event, from what GitHub or the app itself
 * said in it: the payload's repository (src/github/with-firewall.ts), a link the app sealed, a read.
 */
export function knowRepoId(repo: RepoRef, id: number): void {
  currentScope()?.repoIds.set(repoKey(repo), id);
}

export function knownRepoId(repo: RepoRef): number | undefined {
  return currentScope()?.repoIds.get(repoKey(repo));
}

/**
 * The id, read from GitHub when the event does not know it yet (a link sealed before links
 * carried it; an event on another repository than the response's). The same read answers the leak
 * firewall's question about the repository's visibility, so a write there later costs nothing more.
 */
export async function resolveRepoId(octokit: Octokit, repo: RepoRef): Promise<number | undefined> {
  const known = knownRepoId(repo);
  if (known !== undefined) return known;
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}", { owner: repo.owner, repo: repo.repo });
    const id = Number(data.id);
    if (!Number.isSafeInteger(id)) return undefined;
    knowRepoId(repo, id);
    currentScope()?.setVisibility(repoKey(repo), visibilityOf(data));
    return id;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

/** The id into the event's memory, read when the event does not know it; outside an event there is nowhere to keep it. */
export async function learnRepoId(octokit: Octokit, repo: RepoRef): Promise<void> {
  if (currentScope()) await resolveRepoId(octokit, repo);
}

/** What a response's record is bound to: its issue, and its repository's id when known. */
export function recordScope(issue: IssueRef): IssueRef & { repo_id?: number } {
  const id = knownRepoId(issue);
  return id === undefined ? issue : { owner: issue.owner, repo: issue.repo, issue_number: issue.issue_number, repo_id: id };
}

/** One key per response, whichever name the event knows its repository by: its queue, its memory. */
export function responseKey(issue: IssueRef): string {
  const id = knownRepoId(issue);
  return id === undefined ? issueKey(issue) : `repo:${id}#${issue.issue_number}`;
}

/** A PR's sealed links as keys; the repository ids sealed with them are what this event knows those repositories by. */
export function knowLinks(links: IssueLink[]): string[] {
  for (const { key, repoId } of links) if (repoId !== undefined) knowRepoId(parseIssueKey(key)!, repoId);
  return links.map((l) => l.key);
}

/** An issue key as a link to seal: with its repository's id when the event knows it. */
export function linkOf(key: string): IssueLink {
  const id = knownRepoId(parseIssueKey(key)!);
  return id === undefined ? { key } : { key, repoId: id };
}

/** Whether two issue keys name the same response (a renamed repository's old and new names do). */
export function sameResponse(a: string, b: string): boolean {
  const [x, y] = [parseIssueKey(a), parseIssueKey(b)];
  return x && y ? responseKey(x) === responseKey(y) : a.toLowerCase() === b.toLowerCase();
}
