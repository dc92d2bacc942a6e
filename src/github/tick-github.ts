import type { ProbotOctokit } from "probot";
import type { IssueRef } from "./issue-comments.js";
import { intakeOf } from "./advisory-intake.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** A response issue as the tick reads it from one list call. */
export interface ListedIssue {
  number: number;
  title: string;
  html_url: string;
  author: string;
  labels: string[];
  assignees: string[];
  open: boolean;
  /** The report (GHSA id) the body's intake marker names, if any: trusted only when `author` is the app. */
  intake?: string;
}

/** The open issues with the response label (one page of 100 per call; pull requests left out). */
export async function listOpenResponses(octokit: Octokit, owner: string, repo: string, label: string): Promise<ListedIssue[]> {
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, labels: label, state: "open", per_page: 100 });
  return issues
    .filter((i) => !i.pull_request)
    .map((i) => ({
      number: i.number,
      title: i.title,
      html_url: i.html_url,
      author: i.user?.login ?? "",
      labels: i.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))),
      assignees: (i.assignees ?? []).map((a) => a.login),
      open: true,
      ...(intakeOf(i.body) ? { intake: intakeOf(i.body)!.ghsa.toUpperCase() } : {}),
    }));
}

/**
 * The issues with the response label closed or changed since `since` (ISO), newest change first:
 * one page of 100 (pull requests left out). Where no dashboard lists the responses, the tick looks
 * here for closes nobody handled.
 */
export async function listRecentlyClosed(octokit: Octokit, owner: string, repo: string, label: string, since: string): Promise<ListedIssue[]> {
  const { data } = await octokit.rest.issues.listForRepo({ owner, repo, labels: label, state: "closed", since, sort: "updated", direction: "desc", per_page: 100 });
  return data
    .filter((i) => !i.pull_request && i.state === "closed")
    .map((i) => ({ number: i.number, title: i.title, html_url: i.html_url, author: i.user?.login ?? "", labels: i.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))), assignees: (i.assignees ?? []).map((a) => a.login), open: false }));
}

/** One issue (to repair a dashboard row whose issue is no longer open). */
export async function getIssue(octokit: Octokit, issue: IssueRef): Promise<ListedIssue | undefined> {
  try {
    const { data: i } = await octokit.rest.issues.get({ ...issue });
    return { number: i.number, title: i.title, html_url: i.html_url, author: i.user?.login ?? "", labels: i.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))), assignees: (i.assignees ?? []).map((a) => a.login), open: i.state === "open" };
  } catch (error) {
    if ([404, 410].includes((error as { status?: number }).status ?? 0)) return undefined;
    throw error;
  }
}

export async function deleteComment(octokit: Octokit, owner: string, repo: string, commentId: number): Promise<void> {
  try {
    await octokit.rest.issues.deleteComment({ owner, repo, comment_id: commentId });
  } catch (error) {
    if ((error as { status?: number }).status !== 404) throw error;
  }
}

/** The installation's private repositories (internal ones are readable by the whole enterprise: not security repos). */
export async function privateRepos(octokit: Octokit): Promise<{ full: string; id: number }[]> {
  const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
  return repos.filter((r) => r.private && r.visibility !== "internal").map((r) => ({ full: r.full_name, id: r.id }));
}

/** Whether any issue, open or closed, carries the label: one call. */
export async function hasLabelledIssue(octokit: Octokit, owner: string, repo: string, label: string): Promise<boolean> {
  const { data } = await octokit.rest.issues.listForRepo({ owner, repo, labels: label, state: "all", per_page: 1 });
  return data.length > 0;
}
