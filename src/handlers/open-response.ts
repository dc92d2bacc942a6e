import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import { applyEffects } from "../github/apply-effects.js";
import { findOwnComment, type IssueRef } from "../github/issue-comments.js";
import { RESPONSE_MARKER } from "../record/markers.js";
import { newRecord } from "../record/response-record.js";
import { noEffects } from "../response/effects.js";
import { renderResponse } from "../response/render-response.js";
import { renderTemplate } from "../render/templates.js";
import { responseLabels } from "../response/response-labels.js";
import { syncBoxes, tick } from "../response/sync-boxes.js";
import { loadResponse } from "./response-context.js";
import type { KeyRing } from "../security/key-ring.js";
import type { Store } from "../store/store.js";
import { rememberResponseComment } from "../github/response-comment.js";
import type { NotifyDeps } from "../notify/notify.js";
import { noticesFor, notifyResponse } from "../notify/notify-response.js";
import { tieToReport } from "../github/advisory-intake.js";
import { assignTriager } from "../github/assign-triager.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface OpenIssue {
  created_at: string;
  title: string;
  author: string;
  labels: string[];
  assignees: string[];
  open: boolean;
  /** The issue's body when it was opened: an issue the app opened from a private report names it. */
  body?: string;
}

/**
 * Opens (or, on a redelivery or a re-added label, refreshes) the response on a private issue:
 * one response comment with status table, checklist and record; a state label; the on-call triager.
 */
export async function openResponse(
  octokit: Octokit,
  issue: IssueRef,
  openIssue: OpenIssue,
  config: EmbargoConfig,
  botLogin: string,
  now: Date,
  keys: KeyRing,
  /** Chat notifications (src/notify): "<triager> is triaging …", and retries of earlier failures. */
  notice?: { deps: NotifyDeps; url?: string },
  /** The app's memory (src/store): where the response comment is. */
  store?: Store,
): Promise<void> {
  const loaded = await loadResponse(octokit, issue, config, botLogin, keys, store);
  const effects = noEffects();
  if (loaded.damaged) {
    const { text } = await renderTemplate("damaged-record", { restored: false, rolled_back: Boolean(loaded.rolledBack) }, loaded.overrides);
    effects.replies.push({ key: `damaged-record-${loaded.damage ?? "missing"}`, body: text });
    await applyEffects(octokit, issue, { comments: loaded.comments, botLogin, labels: openIssue.labels, assignees: openIssue.assignees, open: openIssue.open }, effects);
    return;
  }
  const own = findOwnComment(loaded.comments, botLogin, RESPONSE_MARKER);
  // A new record for a response whose comment is gone (deleted by a person) counts on from the
  // store's mark: counted from 0, every reader would take it for an older version put back.
  let record = loaded.record ?? { ...tieToReport(newRecord(new Date(openIssue.created_at), now), openIssue, botLogin, config), ...(loaded.mark ? { seq: loaded.mark } : {}) };
  if (own) record = syncBoxes(record, own.body, now, config);
  record = tick(record, ["intake.tracked"], now);
  if (config.notify_team && config.team) record = tick(record, ["intake.notify"], now);
  if (!loaded.record && config.triage_rotation.length) {
    record = await assignTriager(octokit, issue, config, botLogin, record, keys);
    if (record.triager) openIssue.assignees.push(record.triager);
  }
  if (record.triager) record = tick(record, ["intake.triager"], now);
  if (notice) {
    const target = { repo: `${issue.owner}/${issue.repo}`, number: issue.issue_number, url: notice.url };
    record = await notifyResponse(notice.deps, config, target, record, noticesFor(loaded.record, record), openIssue.title);
  }

  effects.responseBody = await renderResponse(record, config, { title: openIssue.title, reporter: openIssue.author }, loaded.overrides, { keys, issue, now, current: own?.body });
  Object.assign(effects, responseLabels(openIssue.labels, record));
  const applied = await applyEffects(
    octokit,
    issue,
    { comments: loaded.comments, botLogin, labels: openIssue.labels, assignees: openIssue.assignees, open: openIssue.open },
    effects,
  );
  if (store && applied.responseCommentId !== undefined) await rememberResponseComment(store, issue, applied.responseCommentId);
}
