import type { ProbotOctokit } from "probot";
import { replyMarker, RESPONSE_MARKER } from "../record/markers.js";
import type { Effects } from "../response/effects.js";
import { type CommentSummary, type IssueRef } from "./issue-comments.js";
import { createOwnComment } from "./own-comment-create.js";
import { assertNoLeak } from "./leak-firewall.js";
import { responseWritten } from "./response-writes.js";
import { commentsForReplies } from "./response-comment.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface IssueState {
  comments: CommentSummary[];
  botLogin: string;
  labels: string[];
  assignees: string[];
  open: boolean;
}

export interface Applied {
  responseCommentId?: number;
  assigned: string[];
}

/** GitHub refuses a comment over 65,536 characters (422), and then the team sees nothing at all. */
export const MAX_COMMENT = 65_536;

/** A reply cut to fit with its marker: replies are built to stay small, this is the backstop. */
export function fitReply(body: string, marker: string): string {
  const room = MAX_COMMENT - marker.length - 2;
  if (body.length <= room) return `${body}\n\n${marker}`;
  const note = "\n\n… (cut: the rest did not fit in one GitHub comment)";
  return `${body.slice(0, room - note.length)}${note}\n\n${marker}`;
}

/**
 * Applies decided effects with the fewest calls: nothing is written that is already so, which is
 * also what makes a redelivered webhook harmless. A response that exists is updated last, after
 * the replies, labels, assignees, `beforeResponse` and the close: the record it carries
 * (which commands ran) is written only once their effects are, so an event GitHub breaks off on
 * the way is finished by its redelivery. A new response is created first, as the issue's first
 * answer. The response and replies are created once even when GitHub answers 5xx to a create it
 * made (src/github/create-once.ts).
 */
export async function applyEffects(
  octokit: Octokit,
  issue: IssueRef,
  state: IssueState,
  effects: Effects,
  hooks: { beforeResponse?: (applied: Applied) => Promise<void> } = {},
): Promise<Applied> {
  await assertNoLeak(octokit, issue, effects);
  const applied: Applied = { assigned: [] };
  const existing = effects.responseBody === undefined ? undefined : state.comments.find((c) => c.login === state.botLogin && c.body.includes(RESPONSE_MARKER));
  if (effects.responseBody !== undefined && !existing) {
    const body = effects.responseBody;
    const made = await createOwnComment(octokit, issue, body, RESPONSE_MARKER, state.botLogin, true);
    state.comments.push({ id: made.id, body, login: state.botLogin });
    applied.responseCommentId = made.id;
    await responseWritten({ issue, body, commentUrl: made.url });
  }
  // The response found by its remembered id (not listed): replies are looked for in one more read.
  const posted = (list: CommentSummary[], r: Effects["replies"][number]) => [r.key, ...(r.also ?? [])].some((key) => list.some((c) => c.login === state.botLogin && c.body.includes(replyMarker(key))));
  const unseen = effects.replies.filter((r) => !posted(state.comments, r));
  const known = unseen.length ? await commentsForReplies(octokit, issue, state.comments, unseen.flatMap((r) => [r.key, ...(r.also ?? [])])) : state.comments;
  for (const reply of effects.replies) {
    if (posted(known, reply)) continue;
    const marker = replyMarker(reply.key);
    const body = fitReply(reply.body, marker);
    const { id } = await createOwnComment(octokit, issue, body, marker, state.botLogin);
    state.comments.push({ id, body, login: state.botLogin });
    if (known !== state.comments) known.push({ id, body, login: state.botLogin });
  }
  const have = new Set(state.labels.map((l) => l.toLowerCase()));
  const add = effects.addLabels.filter((l) => !have.has(l.toLowerCase()));
  if (add.length) {
    await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", { ...issue, labels: add });
    state.labels.push(...add);
  }
  for (const name of effects.removeLabels) {
    if (!have.has(name.toLowerCase())) continue;
    try {
      await octokit.request("DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", { ...issue, name });
    } catch (error) {
      // Someone removed it between our read and now: the goal is reached.
      if ((error as { status?: number }).status !== 404) throw error;
    }
    state.labels = state.labels.filter((l) => l.toLowerCase() !== name.toLowerCase());
  }
  const assign = effects.assign.filter((a) => !state.assignees.some((x) => x.toLowerCase() === a.toLowerCase()));
  if (assign.length) {
    const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/assignees", { ...issue, assignees: assign });
    const now = (data.assignees ?? []).map((a) => a.login.toLowerCase());
    // GitHub answers 201 but silently drops people who cannot be assigned: report what stuck.
    applied.assigned = assign.filter((a) => now.includes(a.toLowerCase()));
    state.assignees.push(...applied.assigned);
  }
  await hooks.beforeResponse?.(applied);
  if (effects.close && state.open) {
    // The `issues.closed` this causes is the app's own: src/handlers/issue-closed.ts leaves the record to this write.
    await octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", { ...issue, state: "closed", state_reason: effects.close });
    state.open = false;
  }
  if (effects.responseBody !== undefined && existing) {
    if (existing.body !== effects.responseBody) {
      const { data } = await octokit.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { owner: issue.owner, repo: issue.repo, comment_id: existing.id, body: effects.responseBody });
      existing.body = effects.responseBody;
      // The dashboard row follows the response (src/dashboard/dashboard-hook.ts); unchanged bodies cost nothing.
      await responseWritten({ issue, body: effects.responseBody, commentUrl: data?.html_url });
    }
    applied.responseCommentId = existing.id;
  }
  return applied;
}
