import { createHash } from "node:crypto";
import type { Context } from "probot";
import { checklistFor, type ChecklistItem } from "../checklist/checklist-items.js";
import type { EmbargoConfig } from "../config/config-schema.js";
import { applyEffects } from "../github/apply-effects.js";
import { findOwnComment } from "../github/issue-comments.js";
import { decodeRecord, replyMarker, RESPONSE_MARKER, seqOf } from "../record/markers.js";
import { CLOSED_STATES, type ResponseRecord } from "../record/response-record.js";
import { renderTemplate, trusted } from "../render/templates.js";
import { noEffects } from "../response/effects.js";
import { renderResponse } from "../response/render-response.js";
import { responseLabels } from "../response/response-labels.js";
import { settleTicks, stateFromBoxes } from "../response/settle-ticks.js";
import { foldBoxEdits, foldStaleEdits } from "../response/sync-boxes.js";
import { privateNow } from "../github/made-public.js";
import { readIssueNow } from "../github/issue-now.js";
import { recordScope, responseKey } from "../github/repo-ids.js";
import { loadResponse, readConfig, reportConfigProblems, type Deps } from "./response-context.js";

/** The state after box changes: only "patched on" boxes move it (src/response/settle-ticks.ts). */
function afterBoxes(record: ResponseRecord, changed: string[], items: readonly ChecklistItem[], config: EmbargoConfig): ResponseRecord {
  const branchBoxes = new Set(items.filter((i) => i.family).map((i) => i.id));
  return changed.some((id) => branchBoxes.has(id)) ? stateFromBoxes(record, config) : record;
}

/**
 * A save over an older version (`saved`) of the comment than the app's `latest`: the person's own
 * box changes, folded onto the latest, and named for the reply. Only the items both versions list
 * count (a box the latest dropped is left). A change the app's own rules undo when it renders
 * (settleTicks: the box the app ticks and unticks itself) is counted in `others`, not named as kept.
 */
function keepStaleEdits(latest: ResponseRecord, saved: ResponseRecord, config: EmbargoConfig, edit: { after: string; current: string }, editor: string, now: Date) {
  const items = checklistFor(config, latest);
  const listed = new Set(checklistFor(config, saved).map((i) => i.id));
  const known = new Set(items.filter((i) => listed.has(i.id)).map((i) => i.id));
  const folded = foldStaleEdits(latest, { stale: saved, ...edit }, known, editor, now);
  const record = afterBoxes(folded.record, folded.changed, items, config);
  const shown = settleTicks(record, config, now);
  const changed = items.filter((i) => folded.changed.includes(i.id));
  const kept = changed.filter((i) => Boolean(shown.ticks[i.id]) === Boolean(record.ticks[i.id]));
  // Built-in texts are the app's markdown; a team's own items are config text, escaped.
  const text = (i: ChecklistItem) => (i.source === "config" ? i.text : trusted(i.text));
  return {
    record,
    changed: changed.length,
    // Which changes, for a reply key: the same edit redelivered finds its reply.
    id: createHash("sha256").update(changed.map((i) => `${record.ticks[i.id] ? "+" : "-"}${i.id}`).join("\n")).digest("base64url").slice(0, 10),
    ticked: kept.filter((i) => record.ticks[i.id]).map(text),
    unticked: kept.filter((i) => !record.ticks[i.id]).map(text),
    others: changed.length - kept.length,
  };
}

/**
 * A person edited the app's response comment (GitHub sends `issue_comment.edited` with them as
 * `sender`). Ticking and unticking boxes is the one edit people are meant to make: those are
 * recorded with who and when, and the comment is re-rendered at once, so the status and the state
 * label follow. Anything else they changed has no effect and is rendered away; a record they
 * changed does not verify, and the app puts back the version before their edit when it can. An
 * older version they put back (from the edit history) verifies but counts fewer writes than the
 * one it replaced, or than the store's mark (src/github/record-mark.ts): put back the same way.
 * The same older text is what a person saves who opened the editor before the app wrote again (a
 * command ran meanwhile): the boxes that differ from what the app rendered for that older record
 * are their edits, folded onto the version put back; the reply says so. With no such box, a paste.
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
    // Under the issue's queue: two edits handled at once would each post it.
    await deps.queue.run(responseKey(issue), () => reportConfigProblems(octokit, issue, configResult.problems, configResult.label, botLogin));
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
    // The comment's record still verifies below the store's mark: the app's own older text.
    const again = !record && loaded.rolledBack ? decodeRecord(own.body, deps.keys, recordScope(issue)) : undefined;
    const saved = record ?? (again?.found ? again.record : undefined);
    // The comment's record verifies yet was written before the one this edit replaced: an older
    // version put back (from the edit history), or saved by an editor opened before the app's last
    // write. The store's mark may not know (none kept, or lost).
    const older = saved && previous && seqOf(saved) < seqOf(previous) ? seqOf(saved) : undefined;
    // Put back whole, but for the person's own box changes: the rest is the old version's.
    const restoring = !record || older !== undefined;

    if (!record || older !== undefined) {
      if (!record && !loaded.damaged) return;
      const stale = saved && previous && older !== undefined ? keepStaleEdits(previous, saved, config, { after: comment.body, current: own.body }, editor, now) : undefined;
      record = stale?.record ?? previous;
      const rolledBack = loaded.rolledBack || older !== undefined;
      const view = { restored: Boolean(record), rolled_back: rolledBack, editor: `@${editor}` };
      // Nothing to put back (only the store's mark says the comment is older): the person's box
      // changes go with the older copy; named, so they can make them again once it is repaired.
      const lost = !record && saved ? keepStaleEdits(saved, saved, config, { after: comment.body, current: own.body }, editor, now) : undefined;
      if (lost && lost.ticked.length + lost.unticked.length) {
        const { text } = await renderTemplate("damaged-record", { ...view, lost: true, lost_ticked: lost.ticked, lost_unticked: lost.unticked }, loaded.overrides);
        // It says how to repair this damage too: carrying that reply's marker, it is not said again.
        const damage = `damaged-record-${loaded.damage ?? "missing"}`;
        effects.replies.push({ key: `${damage}-lost-${lost.id}`, body: `${text}\n\n${replyMarker(damage)}` });
      } else if (stale?.changed) {
        // Its own key: the pasted copy's reply is another answer, and a redelivery finds this one.
        const { text } = await renderTemplate("damaged-record", { ...view, stale_edit: true, ticked: stale.ticked, unticked: stale.unticked, others: stale.others || undefined }, loaded.overrides);
        effects.replies.push({ key: `stale-edit-${older}-${seqOf(previous!)}`, body: text });
      } else {
        const { text } = await renderTemplate("damaged-record", view, loaded.overrides);
        const key = loaded.record && older !== undefined ? `rolled-back-${older}-${seqOf(previous!)}` : (loaded.damage ?? "missing");
        effects.replies.push({ key: `damaged-record-${key}`, body: text });
      }
      if (!record) {
        await applyEffects(octokit, issue, state, effects);
        return;
      }
    } else {
      const items = checklistFor(config, record);
      const folded = foldBoxEdits(record, { before, after: comment.body, current: own.body }, new Set(items.map((i) => i.id)), editor, now);
      record = afterBoxes(folded.record, folded.changed, items, config);
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
