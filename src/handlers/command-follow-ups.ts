import type { FollowUp, ReplySpec } from "../commands/decide-commands.js";
import type { CommandLine } from "../commands/parse-commands.js";
import { forgetRan, markDone } from "../commands/ran-memory.js";
import type { EmbargoConfig } from "../config/config-schema.js";
import type { CommandAction } from "../commands/command.js";
import { runAction } from "../github/action-executors.js";
import { isAnnounceAction, runAnnounceActions } from "../github/announce-run.js";
import { applyEffects } from "../github/apply-effects.js";
import { findOwnComment } from "../github/issue-comments.js";
import { readIssueNow, type IssueNow } from "../github/issue-now.js";
import { RESPONSE_MARKER } from "../record/markers.js";
import type { ResponseRecord } from "../record/response-record.js";
import { noEffects } from "../response/effects.js";
import { renderResponse } from "../response/render-response.js";
import { responseLabels } from "../response/response-labels.js";
import { syncBoxes } from "../response/sync-boxes.js";
import { failedReply, issueState, renderReplies, type CommentRun } from "./command-run.js";
import { syncLink, type PreparedLink } from "./link-pr.js";
import type { KnownResponse } from "./pr-views.js";
import { loadResponse, type LoadedResponse } from "./response-context.js";
import { isPartial, scopePartial } from "../github/response-comment.js";

/**
 * The GitHub work commands asked for beyond this issue, after the response is written (syncing a
 * PR reads the response back and adds the PR to it): linked PRs, then each line's actions in order
 * (an action that fails stops the rest of its line). Failures are answered, one reply per line,
 * and their lines forgotten from `ran` so the author can retry. Returns whether anything failed.
 */
export async function runFollowUps(
  run: CommentRun,
  config: EmbargoConfig,
  record: ResponseRecord,
  followUps: FollowUp[],
  links: Map<CommandLine, PreparedLink>,
  /** The response and issue as this event holds them, so a linked PR's sync does not read them again. */
  known?: KnownResponse,
): Promise<boolean> {
  const { context, issue } = run;
  const octokit = context.octokit;
  const log = (m: string) => context.log.info(m);
  const failed: CommandLine[] = [];
  const replies: ReplySpec[] = [];
  const updates: ((record: ResponseRecord) => ResponseRecord)[] = [];
  const announce: CommandAction[] = [];
  // A link alone is done when the PR sync writes the response: its line is marked ran in that write.
  const settled = new Set<CommandLine>();
  for (const { line, actions } of followUps) {
    const link = links.get(line);
    if (link && !link.ok) continue; // refused before anything was written, and answered then
    if (link) {
      const settle = actions.length ? undefined : (r: ResponseRecord) => markDone(r, run.commentKey, [line.hash]);
      if (settle) settled.add(line);
      const failure = await syncLink(run.deps, octokit, issue, config, link, log, known, settle);
      if (failure) {
        failed.push(line);
        replies.push(failedReply(run, line, failure));
        continue;
      }
    }
    for (const action of actions) {
      if (isAnnounceAction(action)) {
        announce.push(action);
        continue;
      }
      const result = await runAction(action, { octokit, issue, config, author: run.author, log, record });
      if (!result.ok) {
        failed.push(line);
        replies.push(failedReply(run, line, { problem: result.problem }));
        break;
      }
      if (result.update) updates.push(result.update);
    }
  }
  // `/announce` lines count as ran in the announce run's own last record write.
  const announceLines = followUps.filter(({ line, actions }) => !links.has(line) && actions.length && actions.every(isAnnounceAction)).map(({ line }) => line);
  for (const line of announceLines) settled.add(line);
  const settleAnnounce = announceLines.length ? (r: ResponseRecord) => markDone(r, run.commentKey, announceLines.map((l) => l.hash)) : undefined;
  // A PR sync wrote the response in this event: the announce run reads it again.
  const synced = followUps.some(({ line }) => links.get(line)?.ok);
  const announceFailed = announce.length ? !(await runAnnounce(run, config, record, announce, settleAnnounce, synced ? undefined : known)) : false;
  // Lines whose work is done (or was answered as refused) now count as ran; a thrown failure never gets here.
  const done = followUps.filter(({ line }) => links.get(line)?.ok !== false && !failed.includes(line) && !settled.has(line)).map(({ line }) => line.hash);
  if (!failed.length && !updates.length && !done.length) return announceFailed;

  // The response changed since this event read it (a PR sync writes it): read it again.
  const loaded = await loadResponse(octokit, issue, config, run.botLogin, run.deps.keys, run.deps.store);
  scopePartial(loaded.comments, context.payload.comment.created_at, run.commentKey);
  const now = await readIssueNow(octokit, issue);
  const effects = noEffects();
  if (loaded.record) {
    const own = findOwnComment(loaded.comments, run.botLogin, RESPONSE_MARKER)!;
    const time = run.deps.now();
    let record = forgetRan(syncBoxes(loaded.record, own.body, time, config), run.commentKey, failed.map((l) => l.hash));
    record = markDone(record, run.commentKey, done);
    for (const update of updates) record = update(record);
    effects.responseBody = await renderResponse(record, config, { title: now.title, reporter: now.reporter }, loaded.overrides, { keys: run.deps.keys, issue, now: time, current: own.body });
    if (now.open) Object.assign(effects, responseLabels(now.labels, record));
  }
  effects.replies = await renderReplies(replies, loaded.overrides);
  await applyEffects(octokit, issue, issueState(loaded.comments, run.botLogin, now), effects);
  return failed.length > 0 || announceFailed;
}

/**
 * `/announce` work: it writes the response once, when done (src/github/announce-run.ts), and
 * answers its own failures. It takes the response, its comments and the issue as the command read
 * them (every comment, for the pack and the replies it looks for), unless a PR sync wrote the
 * response since: then it reads them again. False when a step failed.
 */
async function runAnnounce(
  run: CommentRun,
  config: EmbargoConfig,
  record: ResponseRecord,
  actions: CommandAction[],
  settle: ((record: ResponseRecord) => ResponseRecord) | undefined,
  known: KnownResponse | undefined,
): Promise<boolean> {
  const { context, issue } = run;
  let loaded: LoadedResponse;
  let summary: IssueNow;
  if (known && !isPartial(known.loaded.comments)) {
    ({ loaded, summary } = known);
  } else {
    loaded = await loadResponse(context.octokit, issue, config, run.botLogin, run.deps.keys, run.deps.store, { allComments: true });
    if (!loaded.record) return false;
    record = loaded.record;
    summary = await readIssueNow(context.octokit, issue);
  }
  const payloadIssue = context.payload.issue;
  return runAnnounceActions(
    context.octokit,
    {
      issue,
      config,
      record,
      state: issueState(loaded.comments, run.botLogin, summary),
      overrides: loaded.overrides,
      now: run.deps.now(),
      keys: run.deps.keys,
      issueData: { title: summary.title, html_url: payloadIssue.html_url, user: { login: summary.reporter } },
      key: run.commentKey,
      notify: { env: run.deps.env ?? process.env, log: context.log },
    },
    actions,
    settle,
  );
}
