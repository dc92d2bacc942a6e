import type { Context } from "probot";
import type { ReplySpec } from "../commands/decide-commands.js";
import { safeText } from "../commands/error-summary.js";
import type { CommandLine } from "../commands/parse-commands.js";
import type { IssueState } from "../github/apply-effects.js";
import type { CommentSummary, IssueRef } from "../github/issue-comments.js";
import type { IssueNow } from "../github/issue-now.js";
import type { Effects } from "../response/effects.js";
import { renderTemplate, type OverrideSource } from "../render/templates.js";
import type { LinkFailure } from "./link-pr.js";
import type { Deps } from "./response-context.js";

export type CommentContext = Context<"issue_comment.created"> | Context<"issue_comment.edited">;

/** What every step of one command comment shares. */
export interface CommentRun {
  deps: Deps;
  context: CommentContext;
  issue: IssueRef;
  lines: CommandLine[];
  commentKey: string;
  /** The comment's author: a command is always theirs, whoever delivered or edited it. */
  author: string;
  botLogin: string;
}

export async function renderReplies(specs: ReplySpec[], overrides?: OverrideSource): Promise<Effects["replies"]> {
  const out: Effects["replies"] = [];
  for (const r of specs) out.push({ key: r.key, body: r.template ? (await renderTemplate(r.template, r.view ?? {}, overrides)).text : (r.body ?? "") });
  return out;
}

/** What `applyEffects` compares against: the comments read, and the issue as GitHub has it now. */
export function issueState(comments: CommentSummary[], botLogin: string, now?: IssueNow): IssueState {
  return { comments, botLogin, labels: now ? [...now.labels] : [], assignees: now ? [...now.assignees] : [], open: now?.open ?? true };
}

/**
 * A line whose GitHub work failed (a link, an action). Answered once per delivery, so a redelivery
 * stays quiet while a retry (the author's next edit, a new delivery) is answered again.
 */
export function failedReply(run: CommentRun, line: CommandLine, failure: LinkFailure | { problem: string }): ReplySpec {
  const key = `failed-${run.commentKey}-${line.hash}-${run.context.id}`;
  if ("ref" in failure) {
    const { ref, reason, author, repo, detail } = failure;
    return { key, template: "link-failed", view: { ref, reason, author, repo, detail: detail === undefined ? undefined : safeText(detail) } };
  }
  return { key, template: "action-failed", view: { line: line.text.slice(0, 300), problem: safeText(failure.problem) } };
}
