import { RESPONSE_MARKER } from "../record/markers.js";
import type { Context } from "probot";
import { applyEffects } from "../github/apply-effects.js";
import { Gatekeepers } from "../github/gatekeepers.js";
import { isOutOfReach } from "../github/http-status.js";
import { reportedClose } from "../github/close-event.js";
import { getIssue, getPull, reopenIssue, type IssueSummary } from "../github/pull-requests.js";
import { CLOSED_STATES } from "../record/response-record.js";
import { renderTemplate } from "../render/templates.js";
import { closedByHand, reopenedByHand } from "../response/closed-by-hand.js";
import { noEffects } from "../response/effects.js";
import { renderResponse } from "../response/render-response.js";
import { responseLabels } from "../response/response-labels.js";
import { defaultConfig } from "./pull-request.js";
import { readConfigFrom } from "../github/read-config.js";
import { prFacts, syncPr, type PullLike } from "./sync-pr.js";
import { privateNow } from "../github/made-public.js";
import { issueKey, loadResponse, responseKey, readConfig, reportConfigProblems, type Deps, type LoadedResponse } from "./response-context.js";

type StateContext = Context<"issues.closed"> | Context<"issues.reopened">;

/** The issue as it is now, read once per event and shared by the close check, the hand-close record and every PR's sync. */
type CurrentIssue = () => Promise<IssueSummary | undefined>;

/**
 * A close counts only when the response is really over: the app closed it (a command did), or
 * someone who may run commands did. Anyone else's close is undone, with a reply that says why.
 */
async function closeCounts(deps: Deps, context: StateContext, loaded: LoadedResponse, current: CurrentIssue): Promise<boolean> {
  const { payload } = context;
  const sender = payload.sender.login;
  if (sender === loaded.botLogin || CLOSED_STATES.includes(loaded.record!.state)) return true;
  const gatekeepers = new Gatekeepers(context.octokit, loaded.config, { owner: loaded.issue.owner, repo: loaded.issue.repo });
  if (await gatekeepers.is(sender)) return !(await undoKeywordClose(context, loaded, current));
  if (gatekeepers.problem) {
    // Nobody can be verified: keep the gates (no release) and say why, but lock nobody out.
    await reportConfigProblems(context.octokit, loaded.issue, [gatekeepers.problem], loaded.config.label, loaded.botLogin, loaded.comments);
    return false;
  }
  // An old close redelivered: undone only while it is the close that stands, never a later one.
  const now = await current();
  if (!now || now.open || (now.closedBy && now.closedBy.toLowerCase() !== sender.toLowerCase())) return false;
  await reopenIssue(context.octokit, loaded.issue);
  const who = loaded.config.team ? `members of the ${loaded.config.team} team` : "people with the admin or maintain role on this repository";
  const { text } = await renderTemplate("close-undone", { actor: sender, who }, loaded.overrides);
  const state = { comments: loaded.comments, botLogin: loaded.botLogin, labels: [], assignees: [], open: true };
  await applyEffects(context.octokit, loaded.issue, state, { ...noEffects(), replies: [{ key: `close-undone-${payload.issue.closed_at ?? payload.issue.updated_at}`, body: text }] });
  context.log.info(`${sender} may not close ${issueKey(loaded.issue)}: reopened`);
  return false;
}

/**
 * A member's close that was a closing keyword's, not their hand's: GitHub closes the issue when a
 * PR whose text says `Fixes #7` is merged (or such a commit is pushed), and says so only in the
 * close event's `commit_id`. Nothing was disclosed, so the response goes on and the gates stay:
 * reopened while that close is the latest, with one reply per close event (redeliveries). A later
 * close by hand is a newer close event without a commit, and counts. True when it was undone.
 */
async function undoKeywordClose(context: StateContext, loaded: LoadedResponse, current: CurrentIssue): Promise<boolean> {
  const close = await reportedClose(context.octokit, loaded.issue, context.payload.issue.closed_at);
  if (!close?.commit) return false;
  const now = await current();
  if (!now) return true;
  if (!now.open) await reopenIssue(context.octokit, loaded.issue);
  const sender = context.payload.sender.login;
  const { text } = await renderTemplate("closed-by-keyword", { actor: sender, commit: close.commit.slice(0, 12) }, loaded.overrides);
  const state = { comments: loaded.comments, botLogin: loaded.botLogin, labels: [], assignees: [], open: true };
  await applyEffects(context.octokit, loaded.issue, state, { ...noEffects(), replies: [{ key: `closed-by-keyword-${close.id}`, body: text }] });
  context.log.info(`${issueKey(loaded.issue)} was closed by commit ${close.commit}'s closing keyword: reopened`);
  return true;
}

/**
 * A close by a person (no command) is what the response says from now on: "closed by hand by @x",
 * its own state and label, "This issue closed" ticked; a reopen puts back the state it had. A close
 * a command made (invalid, no-action, announced) keeps its own account.
 */
async function recordHandClose(deps: Deps, context: StateContext, loaded: LoadedResponse, current: CurrentIssue): Promise<void> {
  // The app's own close or reopen: the command or publish that made it writes the record itself.
  if (context.payload.sender.login.toLowerCase() === loaded.botLogin.toLowerCase()) return;
  const now = deps.now();
  const before = loaded.record!;
  const record = context.payload.action === "closed" ? closedByHand(before, context.payload.sender.login, now) : reopenedByHand(before);
  if (record === before) return;
  const { octokit } = context;
  const issue = await current();
  // An old event redelivered after the issue was reopened or closed again: the issue has the last word.
  if (!issue || issue.open !== (context.payload.action === "reopened")) return;
  const effects = noEffects();
  effects.responseBody = await renderResponse(record, loaded.config, { title: issue.title, reporter: issue.reporter }, loaded.overrides, { keys: deps.keys, issue: loaded.issue, now, current: loaded.comments.find((c) => c.login === loaded.botLogin && c.body.includes(RESPONSE_MARKER))?.body });
  Object.assign(effects, responseLabels(issue.labels, record));
  const state = { comments: loaded.comments, botLogin: loaded.botLogin, labels: [...issue.labels], assignees: [...issue.assignees], open: issue.open };
  await applyEffects(octokit, loaded.issue, state, effects);
  // The PRs' syncs that follow start from what this wrote: the comment list is current already.
  issue.labels = state.labels;
}

/**
 * A security issue closed or reopened: its PRs follow. On a close that counts they lose their
 * priority and the gate completes; on a reopen the gates come back. One PR, repo or reviewer
 * failing never stops the others: "gone" answers are logged, other failures are thrown once every
 * PR has had its turn. The response and the issue are read once, whatever the number of PRs.
 */
export async function onIssueClosed(deps: Deps, context: StateContext): Promise<void> {
  const { payload } = context;
  if (payload.issue.pull_request || !(await privateNow(context.octokit, payload.repository))) return;
  const configResult = await readConfig(context, deps.store);
  if (!configResult.ok) return;
  const issue = { owner: payload.repository.owner.login, repo: payload.repository.name, issue_number: payload.issue.number };
  const key = responseKey(issue);
  const octokit = context.octokit;
  const botLogin = await deps.botLogin();
  const loaded = await loadResponse(octokit, issue, configResult.config, botLogin, deps.keys, deps.store);
  if (!loaded.record) return;
  let summary: Promise<IssueSummary | undefined> | undefined;
  const current = () => (summary ??= getIssue(octokit, issue));
  if (payload.action === "closed" && !(await closeCounts(deps, context, loaded, current))) return;
  await deps.queue.run(key, () => recordHandClose(deps, context, loaded, current));
  const failures: unknown[] = [];
  for (const linked of loaded.record.prs) {
    const [owner, repo] = linked.repo.split("/") as [string, string];
    try {
      const pull = await getPull(octokit, { owner, repo, pull_number: linked.number });
      if (!pull) {
        context.log.info(`${linked.repo}#${linked.number} is gone or out of reach; skipped`);
        continue;
      }
      const prConfig = await readConfigFrom(octokit, owner, repo, deps.store);
      const facts = prFacts(pull as unknown as PullLike, pull.base.repo);
      const known = await current();
      if (!known) return;
      await deps.queue.run(key, () =>
        syncPr({
          octokit,
          deps,
          sealer: deps.sealer,
          log: (m) => context.log.info(m),
          issueKey: `${issue.owner}/${issue.repo}#${issue.issue_number}`,
          pr: facts,
          prConfig: prConfig.ok ? prConfig.config : defaultConfig(),
          prConfigProblem: !prConfig.ok,
          security: configResult.config,
          known: { loaded, summary: known },
        }),
      );
    } catch (error) {
      if (isOutOfReach(error)) context.log.info(`${linked.repo}#${linked.number}: ${String((error as Error).message)}; skipped`);
      else failures.push(error);
    }
  }
  if (failures.length) throw failures[0];
}
