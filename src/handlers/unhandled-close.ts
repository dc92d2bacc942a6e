import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import { CloseNotListed, latestReopen } from "../github/close-event.js";
import { applyEffects } from "../github/apply-effects.js";
import { getIssue, type IssueSummary } from "../github/pull-requests.js";
import { renderTemplate } from "../render/templates.js";
import { noEffects } from "../response/effects.js";
import { CLOSED_STATES, DECISION, type ResponseRecord } from "../record/response-record.js";
import { closeUnhandled, reopenUnhandled } from "../pr/decide-pr.js";
import { closeCounts, recordHandClose, type StateChange } from "./close-decision.js";
import { syncLinkedPrs } from "./sync-linked-prs.js";
import { issueKey, loadResponse, responseKey, type Deps, type LoadedResponse } from "./response-context.js";

type Octokit = InstanceType<typeof ProbotOctokit>;
type IssueRef = { owner: string; repo: string; issue_number: number };

/**
 * A close nobody handled yet: its `issues.closed` delivery failed (GitHub does not redeliver by
 * itself) or never came. The gates keep waiting on it (src/pr/decide-pr.ts) until whoever meets it
 * next (the tick, a PR event of one of its PRs) judges it as that webhook would have
 * (src/handlers/close-decision.ts), with the issue's `closed_by` and `closed_at` for the
 * webhook's sender and time: a closing keyword's close is reopened and told once, a member's close
 * by hand ends the response and releases its gates, anyone else's is undone. No wait for GitHub's
 * events listing here: a close not listed yet is left to the next one who meets it. A reopen
 * nobody handled after a close by hand (the issue open, the record closed by hand) is put back as
 * `issues.reopened` would, and the gates wait again. In the
 * response's queue, from the response read there, so a redelivery or a second finder changes
 * nothing. Returns the record as it stands afterwards.
 */
export async function catchUpClose(deps: Deps, octokit: Octokit, issue: IssueRef, security: EmbargoConfig, log: (m: string) => void): Promise<ResponseRecord | undefined> {
  const botLogin = await deps.botLogin();
  let summary: Promise<IssueSummary | undefined> | undefined;
  const current = () => (summary ??= getIssue(octokit, issue));
  const outcome = await deps.queue.run(responseKey(issue), async (): Promise<{ record?: ResponseRecord; ended?: LoadedResponse }> => {
    const loaded = await loadResponse(octokit, issue, security, botLogin, deps.keys, deps.store);
    const record = loaded.record;
    // A record that is over is the close handled (or a command's): nothing to judge, nothing read;
    // unless a person closed it, whose reopen may not have been handled either.
    if (!record || (CLOSED_STATES.includes(record.state) && !record.closed_by_hand)) return { record };
    const now = await current();
    if (now && reopenUnhandled(now.open, record)) {
      // Who reopened it GitHub does not say, and needs not: any reopen but the app's puts the state back (issues.reopened).
      const written = await recordHandClose(deps, { octokit, action: "reopened", sender: "", closedAt: now.closedAt, updatedAt: await reopenedAt(octokit, issue, record, now), log }, loaded, current);
      if (!written) return { record };
      log(`${issueKey(issue)} was reopened without the app hearing of it: the response goes on and its gates wait again`);
      return { record: written, ended: loaded };
    }
    if (!now || !closeUnhandled(now.open, record)) return { record };
    if (!now.closedBy) {
      log(`${issueKey(issue)} is closed and GitHub does not say by whom: its gates keep waiting`);
      return { record };
    }
    const change: StateChange = { octokit, action: "closed", sender: now.closedBy, closedAt: now.closedAt, log, listingWaits: [] };
    try {
      if (!(await closeCounts(change, loaded, current))) return { record };
    } catch (error) {
      if (!(error instanceof CloseNotListed)) throw error;
      log(`${error.message.split(";")[0]}: its gates keep waiting until it is`);
      return { record };
    }
    const written = await recordHandClose(deps, change, loaded, current);
    if (!written) {
      // The app's own close without its record (a command cut short after closing): nothing here can
      // tell what that command would have recorded, so the gates keep waiting, and the team is told
      // once per close: nothing else ever ends this (GitHub does not redeliver the command by itself).
      await tellCloseCutShort(octokit, loaded, now.closedAt);
      log(`${issueKey(issue)} was closed by the app, but its response does not say so (the command that closed it was cut short): its gates keep waiting; run that command again to end the response`);
      return { record };
    }
    log(`${issueKey(issue)} was closed by hand by ${now.closedBy} without the app hearing of it: the response is closed`);
    return { record: written, ended: loaded };
  });
  if (outcome.ended) await syncLinkedPrs(deps, octokit, outcome.ended, current, log);
  return outcome.record;
}

/**
 * The reopen's time, for the decision it is: a command written while the issue was closed by hand
 * and delivered after this catch-up must be refused, as it is after `issues.reopened`. A reopen
 * listed but no later than the decision the record knows (the close) is an earlier one, the
 * listing lagging. Without it, the issue's last change: never earlier than the reopen, so no such
 * command closes what the team reopened; the price is that a command written after the reopen but
 * before this catch-up, delivered after it, is refused too, and says to post the line again
 * (delivered before it, it was refused already: the response was closed then). The close's time
 * instead would refuse nothing written while it was closed.
 */
async function reopenedAt(octokit: Octokit, issue: IssueRef, record: ResponseRecord, now: IssueSummary): Promise<string | undefined> {
  const listed = await latestReopen(octokit, issue);
  const decided = record.set_at?.[DECISION];
  if (listed && (!decided || Date.parse(listed) > Date.parse(decided))) return listed;
  return now.updatedAt;
}

/** One reply per close (its time), however many ticks and PR events meet it. */
async function tellCloseCutShort(octokit: Octokit, loaded: LoadedResponse, closedAt: string | undefined): Promise<void> {
  const { text } = await renderTemplate("close-cut-short", {}, loaded.overrides);
  const state = { comments: loaded.comments, botLogin: loaded.botLogin, labels: [], assignees: [], open: false };
  await applyEffects(octokit, loaded.issue, state, { ...noEffects(), replies: [{ key: `close-cut-short-${closedAt ?? "unknown"}`, body: text }] });
}
