import type { ProbotOctokit } from "probot";
import type { Store } from "../store/store.js";
import { responseKey } from "./repo-ids.js";
import { commentId, listComments, type CommentSummary, type IssueRef } from "./issue-comments.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * Where each issue's response comment was last seen (issue → comment id), kept in the app's store
 * so a command costs the same with 1 or 1,000 comments on the issue. Only a hint: whoever uses an
 * id reads that comment again and checks author, issue and record before trusting it.
 */
const TTL_MS = 30 * 24 * 3_600_000;

// By the response's key (its repository's id when known): a renamed repository's events, old name or new, share it.
const keyOf = (issue: IssueRef) => `response-comment:${responseKey(issue)}`;

export async function rememberResponseComment(store: Store, issue: IssueRef, id: number): Promise<void> {
  await store.set(keyOf(issue), String(id), TTL_MS);
}

export async function forgetResponseComment(store: Store, issue: IssueRef): Promise<void> {
  await store.del(keyOf(issue));
}

export async function rememberedResponseComment(store: Store, issue: IssueRef): Promise<number | undefined> {
  const id = Number(await store.get(keyOf(issue)));
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/**
 * One `GET /repos/{o}/{r}/issues/comments/{id}`: the comment if it still exists and still belongs
 * to this issue (a comment id is repo-wide; its `issue_url` names the issue), else undefined. Only
 * the issue's number is compared: the read is of this repository, which `issue_url` names by its
 * current name (a renamed one's, when the caller knows the old), and the record verifies only for
 * this repository's id.
 */
export async function readCommentOfIssue(octokit: Octokit, issue: IssueRef, id: number): Promise<CommentSummary | undefined> {
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues/comments/{comment_id}", { owner: issue.owner, repo: issue.repo, comment_id: id });
    if (!data.issue_url.endsWith(`/issues/${issue.issue_number}`)) return undefined;
    return { id: commentId(data.id), body: data.body ?? "", login: data.user?.login ?? "" };
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

/**
 * A comment list that holds only the response comment (read by id), not every comment of the
 * issue. It is marked on the array itself, so every handler's `IssueState` built from it carries
 * the mark to `applyEffects`, which then reads what a reply's dedupe needs (`commentsForReplies`).
 */
interface Partial {
  /** Replies whose key names `scope` were posted after `since` (the triggering comment's creation). */
  since?: string;
  scope?: string;
}
const partialLists = new WeakMap<CommentSummary[], Partial>();

export function markPartial(comments: CommentSummary[]): CommentSummary[] {
  partialLists.set(comments, {});
  return comments;
}

/** Replies keyed by the comment `scope` can only be newer than it: they are looked for `since` its creation. */
export function scopePartial(comments: CommentSummary[], since: string, scope: string): void {
  if (partialLists.has(comments)) partialLists.set(comments, { since, scope });
}

export function isPartial(comments: CommentSummary[]): boolean {
  return partialLists.has(comments);
}

/**
 * The comments to look for reply markers in. A complete list is itself. A partial one gains one
 * listing `since` the triggering comment when every key is scoped to it (a bounded read, whatever
 * the issue's length); any other key needs the whole list, as on first sight.
 */
export async function commentsForReplies(octokit: Octokit, issue: IssueRef, comments: CommentSummary[], keys: string[]): Promise<CommentSummary[]> {
  const how = partialLists.get(comments);
  if (!how || !keys.length) return comments;
  const scoped = (k: string) => how.scope !== undefined && k.split("-").includes(how.scope);
  if (how.since && keys.every(scoped)) {
    const recent = await octokit.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...issue, since: how.since, per_page: 100 });
    return [...comments, ...recent.map((c) => ({ id: c.id, body: c.body ?? "", login: c.user?.login ?? "" }))];
  }
  return [...comments, ...(await listComments(octokit, issue))];
}
