import type { Context } from "probot";
import { checklistFor } from "../checklist/checklist-items.js";
import { applyEffects } from "../github/apply-effects.js";
import { findOwnComment } from "../github/issue-comments.js";
import { decodeRecord, RESPONSE_MARKER, seqOf } from "../record/markers.js";
import { CLOSED_STATES, type ResponseRecord } from "../record/response-record.js";
import { renderTemplate } from "../render/templates.js";
import { noEffects } from "../response/effects.js";
import { renderResponse } from "../response/render-response.js";
import { responseLabels } from "../response/response-labels.js";
import { stateFromBoxes } from "../response/settle-ticks.js";
import { foldBoxEdits } from "../response/sync-boxes.js";
import { privateNow } from "../github/made-public.js";
import { readIssueNow } from "../github/issue-now.js";
import { recordScope, responseKey } from "../github/repo-ids.js";
import { loadResponse, readConfig, reportConfigProblems, type Deps } from "./response-context.js";

/**
 * A person edited the app's response comment (GitHub sends `issue_comment.edited` with them as
 * `sender`). Ticking and unticking boxes is the one edit people are meant to make: those are
 * recorded with who and when, and the comment is re-rendered at once, so the status and the state
 * label follow. Anything else they changed has no effect and is rendered away; a record they
 * changed does not verify, and the app puts back the version before their edit when it can. An
 * older version they put back (from the edit history) verifies but counts fewer writes than the
 * one it replaced, or than the store's mark (src/github/record-mark.ts): put back the same way.
 */
export async function onResponseEdited(deps: Deps, context: Context<"issue_comment.edited">): Promise<void> {
  const { payload } = context;
  const { comment, repository } = payload;
  if (!comment.body.includes(RESPONSE_MARKER) || payload.issue.pull_request || !(await privateNow(context.octokit, repository))) return;
  const botLogin = await deps.botLogin();
  // Only the app's own comment is a response; the app's own edits are what it already knows.
  if (comment.user?.login !== botLogin || payload.sender.login === botLogin) return;

  const octokit = context.octokit;
  const issue = { owner: repository.owner.login, repo: repository.name, issue_number: payload.issue.number };
  const configResult = await readConfig(context, deps.store);
  if (!configResult.ok) {
    await reportConfigProblems(octokit, issue, configResult.problems, configResult.label, botLogin);
    return;
  }
  const config = configResult.config;
  const editor = payload.sender.login;
  const before = (payload.changes as { body?: { from?: string } } | undefined)?.body?.from;

  await deps.queue.run(responseKey(issue), async () => {
    const loaded = await loadResponse(octokit, issue, config, botLogin, deps.keys, deps.store);
    const own = findOwnComment(loaded.comments, botLogin, RESPONSE_MARKER);
    if (!own || own.id !== comment.id) return;
    const labels = (payload.issue.labels ?? []).map((l) => l.name);
    const state = { comments: loaded.comments, botLogin, labels, assignees: [], open: payload.issue.state === "open" };
    const effects = noEffects();
    const now = deps.now();
    let record: ResponseRecord | undefined = loaded.record;
    // GitHub's payload says what the comment read before this edit: if that record verifies, it is
    // the app's own; and not older than the app last wrote or read, it is its latest.
    const decoded = before !== undefined ? decodeRecord(before, deps.keys, recordScope(issue)) : undefined;
    const previous = decoded?.found && seqOf(decoded.record) >= (loaded.mark ?? 0) ? decoded.record : undefined;
    // The comment's record verifies yet was written before the one this edit replaced: an older
    // version put back (from the edit history). The store's mark may not know (none kept, or lost).
    const older = record && previous && seqOf(record) < seqOf(previous) ? seqOf(record) : undefined;
    // Put back whole: the pasted copy's boxes are the old version's, not this person's ticks.
    const restoring = !record || older !== undefined;

    if (!record || older !== undefined) {
      if (!record && !loaded.damaged) return;
      record = previous;
      const rolledBack = loaded.rolledBack || older !== undefined;
      const view = { restored: Boolean(record), rolled_back: rolledBack, editor: `@${editor}` };
      const { text } = await renderTemplate("damaged-record", view, loaded.overrides);
      const key = older !== undefined ? `rolled-back-${older}-${seqOf(previous!)}` : (loaded.damage ?? "missing");
      effects.replies.push({ key: `damaged-record-${key}`, body: text });
      if (!record) {
        await applyEffects(octokit, issue, state, effects);
        return;
      }
    } else {
      const items = checklistFor(config, record);
      const folded = foldBoxEdits(record, { before, after: comment.body, current: own.body }, new Set(items.map((i) => i.id)), editor, now);
      const branchBoxes = new Set(items.filter((i) => i.family).map((i) => i.id));
      record = folded.changed.some((id) => branchBoxes.has(id)) ? stateFromBoxes(folded.record, config) : folded.record;
    }

    // A restore is always written: an older copy can carry a render signature still valid for these inputs.
    const current = restoring ? undefined : own.body;
    effects.responseBody = await renderResponse(record, config, { title: payload.issue.title, reporter: payload.issue.user?.login ?? "" }, loaded.overrides, { keys: deps.keys, issue, now, current });
    // The event's labels are a snapshot: a state this edit changes is labelled against the issue
    // as it is now, or a command that ran first leaves its state label beside this one (issue 8).
    if (loaded.record && record.state !== loaded.record.state) state.labels = (await readIssueNow(octokit, issue)).labels;
    if (!CLOSED_STATES.includes(record.state)) Object.assign(effects, responseLabels(state.labels, record));
    await applyEffects(octokit, issue, state, effects);
  });
}
