import { createHash } from "node:crypto";
import { decideCommands, type CommandsDecision, type ReplySpec } from "../commands/decide-commands.js";
import { helpView } from "../commands/help-view.js";
import { mayHaveCommands, parseCommands, type CommandLine } from "../commands/parse-commands.js";
import { blockAddedLines, forgetRan, keptLinesNotRan, markDone, markPending, forgottenLines, retireRemovedLines } from "../commands/ran-memory.js";
import type { EmbargoConfig } from "../config/config-schema.js";
import { applyEffects } from "../github/apply-effects.js";
import { otherEditors, type OtherEditors } from "../github/comment-editors.js";
import { httpStatus, isGone } from "../github/http-status.js";
import { findOwnComment, listComments } from "../github/issue-comments.js";
import { readIssueNow, type IssueNow } from "../github/issue-now.js";
import { mayRunCommands } from "../github/may-run-commands.js";
import { reactToComment } from "../github/reactions.js";
import { scopePartial } from "../github/response-comment.js";
import { refusedHashes, RESPONSE_MARKER } from "../record/markers.js";
import { ranOf } from "../record/ran.js";
import type { ResponseRecord } from "../record/response-record.js";
import { noEffects, type Effects } from "../response/effects.js";
import { renderResponse } from "../response/render-response.js";
import { syncBoxes } from "../response/sync-boxes.js";
import { noticesFor, notifyResponse } from "../notify/notify-response.js";
import type { OverrideSource } from "../render/templates.js";
import { runFollowUps } from "./command-follow-ups.js";
import { isAnnounceAction } from "../github/announce-run.js";
import { failedReply, issueState, publishMembers, renderReplies, type CommentContext, type CommentRun } from "./command-run.js";
import { knownFromCommand, prepareLink, type PreparedLink } from "./link-pr.js";
import { privateNow } from "../github/made-public.js";
import { octokitPlatform } from "../github/platform.js";
import { issueKey, loadResponse, responseKey, readConfig, reportConfigProblems, type Deps, type LoadedResponse } from "./response-context.js";

/** One reply and nothing else (refusals, "no response here"): the built-in text unless `overrides` is given. */
async function replyOnly(run: CommentRun, comments: LoadedResponse["comments"], spec: ReplySpec, overrides?: OverrideSource): Promise<void> {
  const effects = { ...noEffects(), replies: await renderReplies([spec], overrides) };
  await applyEffects(run.context.octokit, run.issue, issueState(comments, run.botLogin), effects);
}

/** `/triage …` and `/help` in a comment on a private security issue. */
export async function onCommandComment(deps: Deps, context: CommentContext): Promise<void> {
  const { payload } = context;
  const { comment, repository } = payload;
  if (payload.sender.type === "Bot" || comment.user?.type === "Bot" || !comment.user) return;
  if (!mayHaveCommands(comment.body)) return;
  const lines = parseCommands(comment.body);
  if (!lines.length || !(await privateNow(context.octokit, repository))) return;
  const issue = { owner: repository.owner.login, repo: repository.name, issue_number: payload.issue.number };
  try {
    await deps.queue.run(responseKey(issue), async () => {
      const run = { deps, context, issue, lines, commentKey: String(comment.id), author: comment.user!.login, botLogin: await deps.botLogin() };
      await onCommands(run);
    });
  } catch (error) {
    // The issue was deleted or transferred, or the comment deleted, while we worked: nothing is left to answer.
    if (!isGone(error)) throw error;
    context.log.info(`${issueKey(issue)}: the issue or the comment is gone (${httpStatus(error)}); stopped`);
  }
}

/** Read: config, the response, who wrote the comment and what they may do, the issue as it is now. */
async function onCommands(run: CommentRun): Promise<void> {
  const { context, issue, commentKey, botLogin } = run;
  const { octokit, payload } = context;
  if (payload.issue.pull_request) {
    const comments = await listComments(octokit, issue);
    return replyOnly(run, comments, { key: `pr-conversation-${commentKey}`, template: "pr-conversation", view: { ref: `${issue.owner}/${issue.repo}#${issue.issue_number}` } });
  }
  const configResult = await readConfig(context, run.deps.store);
  if (!configResult.ok) {
    await reportConfigProblems(octokit, issue, configResult.problems, configResult.label, botLogin);
    return;
  }
  const config = configResult.config;
  // `/announce` work looks for its pack and replies among every comment: read them all once, here.
  const allComments = run.lines.some((l) => l.group === "announce");
  const loaded = await loadResponse(octokit, issue, config, botLogin, run.deps.keys, run.deps.store, { allComments });
  // Every reply keyed by this comment was posted after it was written (src/github/response-comment.ts).
  scopePartial(loaded.comments, payload.comment.created_at, commentKey);
  if (payload.action === "edited" && payload.sender.login.toLowerCase() !== run.author.toLowerCase()) {
    return onForeignEdit(run, config, loaded);
  }

  const permission = await mayRunCommands(octokit, config, issue.owner, issue.repo, run.author);
  if (permission.problem) return reportConfigProblems(octokit, issue, [permission.problem], config.label, botLogin, loaded.comments, "command");
  if (!permission.allowed) {
    return replyOnly(run, loaded.comments, { key: `refused-${commentKey}`, template: "command-refused", view: { actor: run.author, who: permission.who } });
  }
  if (!loaded.record) {
    const onlyHelp = run.lines.every((l) => l.group === "help" || l.name === "help");
    const key = `no-response-${commentKey}`;
    if (onlyHelp) return replyOnly(run, loaded.comments, { key, template: "help", view: helpView() }, loaded.overrides);
    return replyOnly(run, loaded.comments, loaded.damaged ? { key, template: "damaged-record", view: { restored: false, rolled_back: Boolean(loaded.rolledBack) } } : { key, template: "no-response", view: { label: config.label } });
  }
  const from = payload.action === "edited" ? payload.changes?.body?.from : undefined;
  const before = from === undefined ? undefined : parseCommands(from);
  // A comment older than what the memory still holds: its old lines never run again.
  const old = forgottenLines(loaded.record, run.commentKey, run.lines, before);
  const fresh = old.size ? { ...run, lines: run.lines.filter((l) => !old.has(l.hash)) } : run;
  if (!fresh.lines.length) return;
  const now = await readIssueNow(octokit, issue);
  await applyCommands(fresh, config, loaded, now, before, await unattributed(fresh, loaded.record, before));
}

/** Lines that stood in the comment before the author's edit and never ran, when someone else edited it too. */
type Unattributed = OtherEditors & { lines: CommandLine[] };

/**
 * A line kept across the author's edit that never ran is theirs to run again (it failed) only if
 * nobody else ever edited the comment: else it may be another's edit whose event the app never got
 * (GitHub does not redeliver a failed delivery) or has not got yet. Asked of GitHub only then.
 */
async function unattributed(run: CommentRun, record: LoadedResponse["record"], before: CommandLine[] | undefined): Promise<Unattributed | undefined> {
  const kept = record ? keptLinesNotRan(record, run.commentKey, run.lines, before) : [];
  if (!kept.length) return undefined;
  const others = await otherEditors(run.context.octokit, run.context.payload.comment.node_id, run.author);
  return others.logins.length || others.unknown ? { ...others, lines: kept } : undefined;
}

/**
 * Decide, then apply: the commands decide the record, replies and labels without calling GitHub;
 * the links they ask for are read (and refused) before anything is written, so a refused link's
 * line is not remembered as ran; the rest is written in one pass, then the follow-up work runs.
 */
async function applyCommands(run: CommentRun, config: EmbargoConfig, loaded: LoadedResponse, now: IssueNow, before: CommandLine[] | undefined, unsure: Unattributed | undefined): Promise<void> {
  const { context, issue, commentKey, botLogin } = run;
  const octokit = context.octokit;
  const time = run.deps.now();
  const own = findOwnComment(loaded.comments, botLogin, RESPONSE_MARKER)!;
  const retired = retireRemovedLines(syncBoxes(loaded.record!, own.body, time, config), commentKey, run.lines, before);
  // Lines nobody can attribute to the author never run from this comment, as another's edit would not.
  const blocked = unsure ? blockAddedLines(retired, commentKey, unsure.lines, []).record : retired;
  // Refused and counted as run, as the errors reply says, though the response's write was lost:
  // never decided again (for a publish, a disclosure nobody asked for then).
  const synced = run.lines.some(isPublish) ? markDone(blocked, commentKey, refusedBefore(loaded.comments, botLogin, commentKey, blocked)) : blocked;
  const decision: CommandsDecision = decideCommands({
    lines: run.lines,
    record: synced,
    members: await publishMembers(run, config, synced),
    commentKey,
    labels: now.labels,
    config,
    now: time,
    // When the author said it: the edit's time for an edit (a late delivery keeps it).
    at: context.payload.action === "edited" ? context.payload.comment.updated_at : context.payload.comment.created_at,
    actor: run.author,
    reporter: now.reporter,
    advisories: octokitPlatform(octokit).advisories,
  });

  const replies = [...decision.replies];
  if (unsure) replies.push(unattributedReply(run, unsure));
  const refusedLines: string[] = [];
  const links = new Map<CommandLine, PreparedLink>();
  for (const followUp of decision.followUps) {
    if (!followUp.link) continue;
    const prepared = await prepareLink(octokit, issue, config, run.author, followUp.link, run.deps.store);
    links.set(followUp.line, prepared);
    if (prepared.ok) continue;
    refusedLines.push(followUp.line.hash);
    replies.push(failedReply(run, followUp.line, prepared));
  }
  // A line with follow-up work counts as ran only once that work is done (runFollowUps records it):
  // if GitHub fails on the way, the event fails and its redelivery runs the line again.
  const pending = decision.followUps.map((f) => f.line.hash).filter((h) => !refusedLines.includes(h));
  const decided = markPending(refusedLines.length ? forgetRan(decision.record, commentKey, refusedLines) : decision.record, commentKey, pending);
  // Chat (src/notify): a confirmation or a new owner, and earlier messages the webhook refused.
  const target = { repo: `${issue.owner}/${issue.repo}`, number: issue.issue_number, url: context.payload.issue.html_url };
  const notifyDeps = { env: run.deps.env ?? process.env, log: context.log };
  const record = await notifyResponse(notifyDeps, config, target, decided, noticesFor(loaded.record, decided), now.title);

  // Every line links a PR that can be linked, and nothing else: the PR's sync writes the response
  // once, carrying this decision, the link and the labels' state (src/handlers/sync-pr.ts). A
  // failure before that write leaves the record as it was, so the redelivery decides the same again.
  // Not when the chat changed the record (a message went out now, or a retry was refused again):
  // nothing can find a sent message again, so the command writes the response first, as any other
  // command does, and a failed sync's redelivery does not send the message twice.
  const linkOnly = record === decided && run.lines.length > 0 && decision.followUps.length === run.lines.length && decision.followUps.every((f) => !f.actions.length && links.get(f.line)?.ok) && !replies.length;
  // Announce work writes the response once, when done (src/github/announce-run.ts): a comment
  // with no other follow-up leaves the record to that write, unless a chat message went out now.
  const announceOnly = record === decided && decision.followUps.length > 0 && decision.followUps.every((f) => !f.link && f.actions.length > 0 && f.actions.every(isAnnounceAction));
  const effects: Effects = {
    responseBody: linkOnly || announceOnly ? undefined : await renderResponse(record, config, { title: now.title, reporter: now.reporter }, loaded.overrides, { keys: run.deps.keys, issue, now: time, current: own.body }),
    ...decision.labels,
    assign: decision.assign,
    replies: await renderReplies(replies, loaded.overrides),
    close: decision.close,
  };
  await reactToComment(octokit, issue, context.payload.comment.id, "eyes");
  const state = issueState(loaded.comments, botLogin, now);
  const same = (a: string) => (b: string) => a.toLowerCase() === b.toLowerCase();
  // Before the response is written: its record says the line ran only once this reply is out.
  const beforeResponse = async (applied: { assigned: string[] }) => {
    const unassigned = effects.assign.filter((a) => !applied.assigned.some(same(a)) && !now.assignees.some(same(a)));
    if (!unassigned.length) return;
    const key = `unassignable-${commentKey}-${unassigned.join("+").toLowerCase()}`;
    await replyOnly(run, state.comments, { key, template: "unassignable", view: { people: unassigned.map((l) => `@${l}`) } });
  };
  await applyEffects(octokit, issue, state, effects, { beforeResponse });

  const known = knownFromCommand(loaded, now, state, context.payload.issue, linkOnly ? record : undefined);
  const followUpsFailed = await runFollowUps(run, config, record, decision.followUps, links, known);
  if (!decision.failures.length && !refusedLines.length && !followUpsFailed) await reactToComment(octokit, issue, context.payload.comment.id, "+1");
}

function unattributedReply(run: CommentRun, unsure: Unattributed): ReplySpec {
  const hashes = createHash("sha256").update(unsure.lines.map((l) => l.hash).join("")).digest("base64url").slice(0, 16);
  const view = { editors: unsure.logins.map((l) => `@${l}`), unknown: unsure.unknown, lines: unsure.lines.slice(0, 20).map((l) => l.text.slice(0, 300)), author: `@${run.author}` };
  return { key: `unattributed-${run.commentKey}-${hashes}`, template: "edited-unattributed", view };
}

/**
 * Someone other than the author changed a command comment: nothing runs. The command lines the
 * edit added are remembered as done without running, so the author's next save cannot run them
 * either; one short reply says so. An edit that added no command line gets no reply.
 */
async function onForeignEdit(run: CommentRun, config: EmbargoConfig, loaded: LoadedResponse): Promise<void> {
  const { context, issue, commentKey, botLogin } = run;
  if (!loaded.record || context.payload.action !== "edited") return;
  const from = context.payload.changes?.body?.from;
  const time = run.deps.now();
  const own = findOwnComment(loaded.comments, botLogin, RESPONSE_MARKER)!;
  const synced = syncBoxes(loaded.record, own.body, time, config);
  const { record, blocked } = blockAddedLines(synced, commentKey, run.lines, from === undefined ? undefined : parseCommands(from));
  if (!blocked) return;
  const now = await readIssueNow(context.octokit, issue);
  const effects: Effects = {
    ...noEffects(),
    responseBody: await renderResponse(record, config, { title: now.title, reporter: now.reporter }, loaded.overrides, { keys: run.deps.keys, issue, now: time, current: own.body }),
    replies: await renderReplies([{ key: `edited-by-other-${commentKey}-${context.id}`, template: "edited-by-other", view: { editor: `@${context.payload.sender.login}`, author: `@${run.author}` } }]),
  };
  await applyEffects(context.octokit, issue, issueState(loaded.comments, botLogin, now), effects);
}

/** Only `/announce publish` lines are refused and counted as run (src/commands/announce/publish.ts `refuse`). */
const isPublish = (line: CommandLine) => line.group === "announce" && line.name === "publish";

/** Lines of this comment its errors replies say were refused and count as run, not yet remembered so. */
function refusedBefore(comments: LoadedResponse["comments"], botLogin: string, commentKey: string, record: ResponseRecord): string[] {
  const ran = ranOf(record.ran).get(commentKey) ?? [];
  const said = comments.filter((c) => c.login === botLogin).flatMap((c) => refusedHashes(c.body, commentKey));
  return [...new Set(said)].filter((h) => !ran.includes(h));
}
