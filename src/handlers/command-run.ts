import type { Context } from "probot";
import type { ReplySpec } from "../commands/decide-commands.js";
import { safeText } from "../commands/error-summary.js";
import type { CommandLine } from "../commands/parse-commands.js";
import { gateTickers, TEAM_UNREADABLE, type Members } from "../announce/publish-gates.js";
import type { EmbargoConfig } from "../config/config-schema.js";
import type { IssueState } from "../github/apply-effects.js";
import { Gatekeepers } from "../github/gatekeepers.js";
import type { CommentSummary, IssueRef } from "../github/issue-comments.js";
import type { IssueNow } from "../github/issue-now.js";
import { ranOf } from "../record/ran.js";
import type { ResponseRecord } from "../record/response-record.js";
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
  for (const r of specs) {
    const body = r.template ? (await renderTemplate(r.template, r.view ?? {}, overrides)).text : (r.body ?? "");
    out.push({ key: r.key, ...(r.also ? { also: r.also } : {}), body: r.hidden?.length ? `${r.hidden.join("")}\n${body}` : body });
  }
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

/**
 * Read for `/announce publish`: whether each person whose "Patched on" tick its fixes gate rests
 * on is in the security team now (DESIGN.md, "Trust": anyone with write access can tick a box).
 * One read per person (`Gatekeepers`); none for the author, whom the command check just allowed,
 * none for the app's ticks, and none for any other command or a publish past its gates. A 404
 * costs one read of the team, so that a team that cannot be read is told as such (the reply says
 * how to fix the config) instead of as "not in the team".
 */
export async function publishMembers(run: CommentRun, config: EmbargoConfig, record: ResponseRecord): Promise<Members | undefined> {
  if (record.publish_steps?.advisory) return undefined;
  // A publish line this comment already ran (or was refused, which counts as run) is not decided again.
  const publishes = run.lines.filter((l) => l.group === "announce" && l.name === "publish");
  const ran = publishes.length ? (ranOf(record.ran).get(run.commentKey) ?? []) : [];
  if (!publishes.some((l) => !ran.includes(l.hash))) return undefined;
  const tickers = gateTickers(record, config);
  if (!tickers.length) return undefined;
  const keepers = new Gatekeepers(run.context.octokit, config, { owner: run.issue.owner, repo: run.issue.repo });
  keepers.know(run.author, true, false);
  const members = new Map<string, boolean | typeof TEAM_UNREADABLE>();
  for (const login of tickers) {
    const counts = await keepers.is(login);
    members.set(login.toLowerCase(), !counts && keepers.problem ? TEAM_UNREADABLE : counts);
  }
  return members;
}
