import type { ProbotOctokit } from "probot";
import { RESPONSE_MARKER } from "../record/markers.js";
import { applyEffects } from "../github/apply-effects.js";
import { Gatekeepers } from "../github/gatekeepers.js";
import { reportedClose } from "../github/close-event.js";
import { reopenIssue, type IssueSummary } from "../github/pull-requests.js";
import { CLOSED_STATES, DECISION, setAt, type ResponseRecord } from "../record/response-record.js";
import { renderTemplate } from "../render/templates.js";
import { closedByHand, reopenedByHand } from "../response/closed-by-hand.js";
import { noEffects } from "../response/effects.js";
import { renderResponse } from "../response/render-response.js";
import { responseLabels } from "../response/response-labels.js";
import { issueKey, reportConfigProblems, type Deps, type LoadedResponse } from "./response-context.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * A close or reopen of a security issue, as whoever handles it knows it: the `issues.closed`
 * webhook (its sender and `closed_at`), or the issue itself as GitHub has it now (`closed_by`,
 * `closed_at`) when that webhook failed or never came (src/handlers/unhandled-close.ts).
 */
export interface StateChange {
  octokit: Octokit;
  action: "closed" | "reopened";
  sender: string;
  /** When the close happened (ISO), for the events listing and the `close-undone` reply's key. */
  closedAt: string | null | undefined;
  /** The issue's last change, naming the `close-undone` reply when the close has no time. */
  updatedAt?: string;
  log: (message: string) => void;
  /** Waits before the close's listing is given up (src/github/close-event.ts); its default when unset. */
  listingWaits?: number[];
}

/** The issue as it is now, read once per handling and shared by every step that needs it. */
export type CurrentIssue = () => Promise<IssueSummary | undefined>;

/**
 * A close counts only when the response is really over: the app closed it (a command did), or
 * someone who may run commands did by hand. Anyone else's close is undone, with a reply that says
 * why; so is a member's close that a closing keyword made. Throws `CloseNotListed` when how a
 * member's close was made cannot be told yet: nothing is changed then.
 */
export async function closeCounts(change: StateChange, loaded: LoadedResponse, current: CurrentIssue): Promise<boolean> {
  const { sender, octokit } = change;
  if (sender === loaded.botLogin || CLOSED_STATES.includes(loaded.record!.state)) return true;
  const gatekeepers = new Gatekeepers(octokit, loaded.config, { owner: loaded.issue.owner, repo: loaded.issue.repo });
  if (await gatekeepers.is(sender)) return !(await undoKeywordClose(change, loaded, current));
  if (gatekeepers.problem) {
    // Nobody can be verified: keep the gates (no release) and say why, but lock nobody out.
    await reportConfigProblems(octokit, loaded.issue, [gatekeepers.problem], loaded.config.label, loaded.botLogin, loaded.comments);
    return false;
  }
  // An old close redelivered: undone only while it is the close that stands, never a later one.
  const now = await current();
  if (!now || now.open || (now.closedBy && now.closedBy.toLowerCase() !== sender.toLowerCase())) return false;
  await reopenIssue(octokit, loaded.issue);
  const who = loaded.config.team ? `members of the ${loaded.config.team} team` : "people with the admin or maintain role on this repository";
  const { text } = await renderTemplate("close-undone", { actor: sender, who }, loaded.overrides);
  const state = { comments: loaded.comments, botLogin: loaded.botLogin, labels: [], assignees: [], open: true };
  await applyEffects(octokit, loaded.issue, state, { ...noEffects(), replies: [{ key: `close-undone-${change.closedAt ?? change.updatedAt}`, body: text }] });
  change.log(`${sender} may not close ${issueKey(loaded.issue)}: reopened`);
  return false;
}

/**
 * A member's close that was a closing keyword's, not their hand's: GitHub closes the issue when a
 * PR whose text says `Fixes #7` is merged (or such a commit is pushed), and says so only in the
 * close event's `commit_id`. Nothing was disclosed, so the response goes on and the gates stay:
 * reopened while that close is the latest, with one reply per close event (redeliveries, and a
 * tick or PR event that handled it first). A later close by hand is a newer close event without a
 * commit, and counts. True when it was undone.
 */
async function undoKeywordClose(change: StateChange, loaded: LoadedResponse, current: CurrentIssue): Promise<boolean> {
  const { octokit } = change;
  const close = await reportedClose(octokit, loaded.issue, change.closedAt, change.listingWaits);
  if (!close?.commit) return false;
  const now = await current();
  if (!now) return true;
  if (!now.open) await reopenIssue(octokit, loaded.issue);
  const { text } = await renderTemplate("closed-by-keyword", { actor: change.sender, commit: close.commit.slice(0, 12) }, loaded.overrides);
  const state = { comments: loaded.comments, botLogin: loaded.botLogin, labels: [], assignees: [], open: true };
  await applyEffects(octokit, loaded.issue, state, { ...noEffects(), replies: [{ key: `closed-by-keyword-${close.id}`, body: text }] });
  change.log(`${issueKey(loaded.issue)} was closed by commit ${close.commit}'s closing keyword: reopened`);
  return true;
}

/**
 * A close by a person (no command) is what the response says from now on: "closed by hand by @x",
 * its own state and label, "This issue closed" ticked; a reopen puts back the state it had. A close
 * a command made (invalid, no-action, announced) keeps its own account. Returns the record written,
 * if one was.
 */
export async function recordHandClose(deps: Deps, change: StateChange, loaded: LoadedResponse, current: CurrentIssue): Promise<ResponseRecord | undefined> {
  // The app's own close or reopen: the command or publish that made it writes the record itself.
  if (change.sender.toLowerCase() === loaded.botLogin.toLowerCase()) return undefined;
  const now = deps.now();
  const before = loaded.record!;
  const moved = change.action === "closed" ? closedByHand(before, change.sender, now) : reopenedByHand(before);
  if (moved === before) return undefined;
  // A decision too: a command comment written before it, delivered late, does not undo it (a reopen's time is the issue's last change).
  const at = change.action === "closed" ? change.closedAt : change.updatedAt;
  const record = at ? setAt(moved, DECISION, at) : moved;
  const issue = await current();
  // An old event redelivered after the issue was reopened or closed again: the issue has the last word.
  if (!issue || issue.open !== (change.action === "reopened")) return undefined;
  const effects = noEffects();
  effects.responseBody = await renderResponse(record, loaded.config, { title: issue.title, reporter: issue.reporter }, loaded.overrides, { keys: deps.keys, issue: loaded.issue, now, current: loaded.comments.find((c) => c.login === loaded.botLogin && c.body.includes(RESPONSE_MARKER))?.body });
  Object.assign(effects, responseLabels(issue.labels, record));
  const state = { comments: loaded.comments, botLogin: loaded.botLogin, labels: [...issue.labels], assignees: [...issue.assignees], open: issue.open };
  await applyEffects(change.octokit, loaded.issue, state, effects);
  // The PRs' syncs that follow start from what this wrote: the comment list is current already.
  issue.labels = state.labels;
  return record;
}
