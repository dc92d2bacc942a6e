import type { ProbotOctokit } from "probot";
import type { Dismissal, Review } from "../pr/review-gate.js";
import { isOutOfReach } from "./http-status.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface PrRef {
  owner: string;
  repo: string;
  pull_number: number;
}

/** The PR, or undefined when it (or its repository) is gone or out of the app's reach. */
export async function getPull(octokit: Octokit, ref: PrRef) {
  try {
    return (await octokit.rest.pulls.get({ ...ref })).data;
  } catch (error) {
    if (isOutOfReach(error)) return undefined;
    throw error;
  }
}

/** Reviews as the gate reads them; a review by a deleted account (`user: null`) counts for nobody. */
export async function listReviews(octokit: Octokit, ref: PrRef): Promise<Review[]> {
  const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, { ...ref, per_page: 100 });
  return reviews.flatMap((r) => (r.user?.login ? [{ id: r.id, login: r.user.login, state: r.state, commit_id: r.commit_id ?? null, submitted_at: r.submitted_at ?? null }] : []));
}

/** The PR's dismissed reviews, from its timeline: what each said and who dismissed it (the reviews list says only "dismissed"). */
export async function reviewDismissals(octokit: Octokit, ref: PrRef): Promise<Dismissal[]> {
  const events = await octokit.paginate(octokit.rest.issues.listEventsForTimeline, { owner: ref.owner, repo: ref.repo, issue_number: ref.pull_number, per_page: 100 });
  return (events as { event?: string; actor?: { login?: string } | null; dismissed_review?: { state?: string; review_id?: number } }[]).flatMap((e) =>
    e.event === "review_dismissed" && typeof e.dismissed_review?.review_id === "number" ? [{ review_id: e.dismissed_review.review_id, state: e.dismissed_review.state ?? "", by: e.actor?.login ?? "" }] : [],
  );
}

/** GitHub's PR commit list stops here; past it only the compare API has the rest. */
export const PR_COMMITS_LIMIT = 250;

/**
 * Every commit of the PR, however many: the PR's commit list up to 250, else the compare API
 * (`base...head`, paginated by 100).
 */
export async function prCommits(octokit: Octokit, ref: PrRef, pull: { base_sha?: string; head_sha: string; commits?: number }): Promise<{ sha: string; message: string }[]> {
  if ((pull.commits ?? 0) <= PR_COMMITS_LIMIT || !pull.base_sha) {
    const listed = await octokit.paginate(octokit.rest.pulls.listCommits, { ...ref, per_page: 100 });
    if (listed.length < PR_COMMITS_LIMIT || !pull.base_sha) return listed.map((c) => ({ sha: c.sha, message: c.commit.message }));
  }
  const all: { sha: string; message: string }[] = [];
  for (let page = 1; ; page++) {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner: ref.owner, repo: ref.repo, basehead: `${pull.base_sha}...${pull.head_sha}`, per_page: 100, page });
    all.push(...data.commits.map((c) => ({ sha: c.sha, message: c.commit.message })));
    if (data.commits.length < 100 || all.length >= data.total_commits) return all;
  }
}

/**
 * Adds and removes PR labels; a label already gone is the goal reached. Labels the app may not
 * write (403, 404, 410) are logged and skipped: they never stop the gate.
 */
export async function setPrLabels(octokit: Octokit, ref: PrRef, add: string[], remove: string[], log: (message: string) => void): Promise<void> {
  const issue = { owner: ref.owner, repo: ref.repo, issue_number: ref.pull_number };
  const skip = (error: unknown) => {
    if (!isOutOfReach(error)) throw error;
    log(`labels on ${ref.owner}/${ref.repo}#${ref.pull_number}: ${(error as { status?: number }).status}; skipped`);
  };
  if (add.length) await octokit.rest.issues.addLabels({ ...issue, labels: add }).catch(skip);
  for (const name of remove) await octokit.rest.issues.removeLabel({ ...issue, name }).catch(skip);
}

export interface IssueSummary {
  open: boolean;
  title: string;
  reporter: string;
  labels: string[];
  assignees: string[];
  /** GitHub's own links to the issue: its page and its API address. */
  html_url: string;
  url: string;
  /** Who closed it, when it is closed and GitHub says. */
  closedBy?: string;
  /** When it was last closed (ISO), when it is closed. */
  closedAt?: string;
  /** Its last change of any kind (ISO): no earlier than its last close or reopen. */
  updatedAt?: string;
}

/** The security issue as it is now (the event's copy may be stale); undefined when it is gone. */
export async function getIssue(octokit: Octokit, issue: { owner: string; repo: string; issue_number: number }): Promise<IssueSummary | undefined> {
  try {
    const { data } = await octokit.rest.issues.get(issue);
    return {
      open: data.state === "open",
      title: data.title,
      reporter: data.user?.login ?? "",
      labels: data.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter(Boolean),
      assignees: (data.assignees ?? []).flatMap((a) => (a?.login ? [a.login] : [])),
      html_url: data.html_url ?? "",
      url: data.url ?? "",
      ...(data.closed_by?.login ? { closedBy: data.closed_by.login } : {}),
      ...(data.state === "closed" && data.closed_at ? { closedAt: data.closed_at } : {}),
      ...(data.updated_at ? { updatedAt: data.updated_at } : {}),
    };
  } catch (error) {
    if (isOutOfReach(error)) return undefined;
    throw error;
  }
}

export async function reopenIssue(octokit: Octokit, issue: { owner: string; repo: string; issue_number: number }): Promise<void> {
  await octokit.rest.issues.update({ ...issue, state: "open" });
}

/** Up to `count` active members of `team` ("org/slug"), for review requests; none when it cannot be read. */
export async function teamMembers(octokit: Octokit, team: string, count: number): Promise<string[]> {
  const [org, team_slug] = team.split("/") as [string, string];
  try {
    const { data } = await octokit.rest.teams.listMembersInOrg({ org, team_slug, per_page: Math.min(100, count) });
    return data.map((m) => m.login);
  } catch (error) {
    if (isOutOfReach(error)) return [];
    throw error;
  }
}
