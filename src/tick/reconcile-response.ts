import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import { applyEffects, type IssueState } from "../github/apply-effects.js";
import { deleteComment, type ListedIssue } from "../github/tick-github.js";
import { getPull } from "../github/pull-requests.js";
import { issueKey, loadResponse, responseKey, type Deps } from "../handlers/response-context.js";
import { syncPr } from "../handlers/sync-pr.js";
import { prFacts } from "../handlers/pr-facts.js";
import { readConfigFrom } from "../github/read-config.js";
import { defaultConfig } from "../config/load-config.js";
import { findOwnComment } from "../github/issue-comments.js";
import { REPLY_MARKER_PREFIX, RESPONSE_MARKER } from "../record/markers.js";
import { syncBoxes } from "../response/sync-boxes.js";
import type { LinkedPr, ResponseRecord } from "../record/response-record.js";
import { wasMadePublic } from "../github/made-public.js";
import { renderTemplate } from "../render/templates.js";
import { noEffects } from "../response/effects.js";
import { renderResponse } from "../response/render-response.js";
import { responseLabels } from "../response/response-labels.js";
import { decideReminders, type WaitingPr } from "./decide-reminders.js";
import { notifyResponse } from "../notify/notify-response.js";
import { missedPublication } from "../github/advisory-state.js";
import { stepDone, stepsLeft } from "../announce/publish-steps.js";
import { followPublished } from "../handlers/advisory-published.js";
import { CLOSED_STATES } from "../record/response-record.js";

/** The embargo end is behind us (UTC days) and the response is neither announced nor closed. */
function embargoPassed(record: ResponseRecord, now: Date): boolean {
  return Boolean(record.embargo_end && record.embargo_end < now.toISOString().slice(0, 10) && !CLOSED_STATES.includes(record.state));
}

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface ReconcileInput {
  deps: Deps;
  octokit: Octokit;
  owner: string;
  repo: string;
  issue: ListedIssue;
  config: EmbargoConfig;
  log: (message: string) => void;
  /** PR repos' configs, read once per tick. */
  prConfigs: Map<string, Promise<{ config: EmbargoConfig; problem: boolean }>>;
  /** Other responses of these PRs whose issue is closed while their record is not, by key: judged after the pass (src/tick/run-tick.ts). */
  unhandled?: Map<string, { issue: { owner: string; repo: string; issue_number: number }; security: EmbargoConfig }>;
}

const REMINDER_PREFIX = "reminder-";

/**
 * Catches one open response up with GitHub, as if every missed webhook had arrived: each open
 * linked PR (`prsToSync`) is synced again (gate, labels, the response's PR lines), then the
 * response comment is re-rendered (labels too) and the reminders now due are posted, each once.
 * Returns the record for the dashboard row.
 */
export async function reconcileResponse(input: ReconcileInput): Promise<ResponseRecord | undefined> {
  const { deps, octokit, owner, repo, issue, config } = input;
  const ref = { owner, repo, issue_number: issue.number };
  const botLogin = await deps.botLogin();
  let loaded = await loadResponse(octokit, ref, config, botLogin, deps.keys, deps.store, { allComments: true });
  if (!loaded.record) return undefined;
  // Steps left after the advisory step is recorded: a run cut short by an outage, which records
  // what it did and counts on a re-run that nobody makes (GitHub does not redeliver by itself).
  // Also without a GHSA id: no component repo, or GHES (no advisories), where step 1 publishes nothing.
  const cutShort = stepDone(loaded.record, "advisory") && stepsLeft(loaded.record).length > 0;
  // A step GitHub refused (a 4xx) would be refused again on every tick: the team was told, once,
  // to finish with `/announce publish`, which tries it again. An outage records no refusal. Only
  // the steps are left: the rest of the upkeep below (PRs, reminders, chat) still runs.
  const refused = cutShort && Boolean(loaded.record.publish_refused);
  const published = refused ? undefined : cutShort ? { at: null } : await missedPublication(octokit, loaded.record);
  if (published) {
    const facts = { title: issue.title, html_url: issue.html_url, user: { login: issue.author }, labels: issue.labels, open: issue.open };
    const ghsa = loaded.record.ghsa;
    await followPublished(deps, loaded, facts, ghsa ?? `issue-${issue.number}`, published.at, { info: input.log, warn: input.log });
    input.log(`tick: ${issueKey(ref)}: ${ghsa ? `its advisory ${ghsa} was published` : "its disclosure began"} ${cutShort ? "and its publish steps were cut short" : "without the app hearing of it"}; the publish steps ran`);
    return (await loadResponse(octokit, ref, config, botLogin, deps.keys, deps.store, { allComments: true })).record;
  }
  const waiting: WaitingPr[] = [];
  for (const linked of await prsToSync(deps, loaded.record)) {
    try {
      const [prOwner, prRepo] = linked.repo.split("/") as [string, string];
      const pull = await getPull(octokit, { owner: prOwner, repo: prRepo, pull_number: linked.number });
      if (!pull) {
        input.log(`tick: ${issueKey(ref)}: ${linked.repo}#${linked.number} is gone or out of reach; skipped`);
        continue;
      }
      const pr = prFacts(pull as never, pull.base.repo as never);
      const { config: prConfig, problem } = await prConfigOf(input, linked.repo);
      const unhandledClose = (other: typeof ref, security: EmbargoConfig) => input.unhandled?.set(responseKey(other), { issue: other, security });
      await syncPr({ octokit, deps, sealer: deps.sealer, log: input.log, issueKey: issueKey(ref), pr, prConfig, prConfigProblem: problem, security: config, unhandledClose });
      if (pr.open) waiting.push({ ref: `${linked.repo}#${linked.number}`, since: pull.created_at, reviewers: [...pr.requested_reviewers, ...pr.requested_teams.map((t) => `${pull.base.repo.owner.login}/${t}`)] });
    } catch (error) {
      // A PR deleted, or in a repo the app no longer sees: the rest of the response is still reconciled.
      input.log(`tick: ${issueKey(ref)}: ${linked.repo}#${linked.number} could not be synced (${(error as Error).message.split("\n")[0]})`);
    }
  }
  if (waiting.length || loaded.record.prs.length) loaded = await loadResponse(octokit, ref, config, botLogin, deps.keys, deps.store, { allComments: true });
  const now = deps.now();
  const own = findOwnComment(loaded.comments, botLogin, RESPONSE_MARKER);
  if (!loaded.record || !own) return undefined;
  // Boxes a person ticked by hand since the last write are kept, as every handler keeps them.
  let record = syncBoxes(loaded.record, own.body, now, config);
  const state: IssueState = { comments: loaded.comments, botLogin, labels: [...issue.labels], assignees: [...issue.assignees], open: issue.open };
  await removeDuplicateReminders(octokit, owner, repo, state);
  // Only PRs the record still counts as waiting for review (an approved one reminds nobody).
  const pending = new Set(record.prs.filter((p) => p.state === "open" && p.review !== "approved").map((p) => `${p.repo}#${p.number}`.toLowerCase()));
  const due = decideReminders(record, config, { now, assignees: issue.assignees, waiting: waiting.filter((w) => pending.has(w.ref.toLowerCase())) });
  if (due.length) {
    const replies = await Promise.all(due.map(async (d) => ({ key: `${REMINDER_PREFIX}${d.key}`, body: (await renderTemplate("reminder", d.view, loaded.overrides)).text })));
    // Posted before they are recorded: a failure here leaves nothing recorded, so the next tick tries again.
    await applyEffects(octokit, ref, state, { ...noEffects(), replies });
    record = { ...record, reminders: { ...record.reminders, ...Object.fromEntries(due.map((d) => [d.key, now.toISOString()])) } };
  }
  // The team's channel hears of an overdue embargo once per end date, and gets the messages its
  // webhook refused before (`notify_pending`) again: an open response may see no other event for
  // days (`notify.*`; nothing without a webhook, nothing when nothing is due).
  const notifyDeps = { env: deps.env ?? process.env, log: { info: input.log, warn: input.log } };
  record = await notifyResponse(notifyDeps, config, { repo: `${owner}/${repo}`, number: issue.number, url: issue.html_url }, record, embargoPassed(record, now) ? [{ kind: "overdue" }] : [], issue.title);
  const responseBody = await renderResponse(record, config, { title: issue.title, reporter: issue.author }, loaded.overrides, { keys: deps.keys, issue: ref, now, current: own.body });
  await applyEffects(octokit, ref, state, { ...noEffects(), responseBody, ...responseLabels(state.labels, record) });
  return record;
}

/**
 * The open PRs, and a merged or closed one whose line says private while its repository was made
 * public since (`repository.publicized`; one store read each, GitHub's only then): it gets no more
 * events, and what the app gave it as a private PR (the severity label, the security team's request)
 * must come off now that anyone can read it. Its sync writes its line public: once.
 */
async function prsToSync(deps: Deps, record: ResponseRecord): Promise<LinkedPr[]> {
  const prs: LinkedPr[] = [];
  for (const p of record.prs) if (p.state === "open" || (p.private && p.repo_id !== undefined && (await wasMadePublic(deps.store, p.repo_id)))) prs.push(p);
  return prs;
}

async function prConfigOf(input: ReconcileInput, full: string) {
  const key = full.toLowerCase();
  let pending = input.prConfigs.get(key);
  if (!pending) {
    const [owner, repo] = full.split("/") as [string, string];
    pending = readConfigFrom(input.octokit, owner, repo, input.deps.store).then((r) => (r.ok ? { config: r.config, problem: false } : { config: defaultConfig(), problem: true }));
    input.prConfigs.set(key, pending);
  }
  return pending;
}

/** A reminder that slipped through twice (two processes without a shared lease): the later copies go. */
async function removeDuplicateReminders(octokit: Octokit, owner: string, repo: string, state: IssueState): Promise<void> {
  const seen = new Set<string>();
  for (const c of [...state.comments]) {
    if (c.login !== state.botLogin) continue;
    const at = c.body.indexOf(`${REPLY_MARKER_PREFIX}${REMINDER_PREFIX}`);
    if (at === -1) continue;
    const key = c.body.slice(at, c.body.indexOf("-->", at));
    if (!seen.has(key)) {
      seen.add(key);
      continue;
    }
    await deleteComment(octokit, owner, repo, c.id);
    state.comments = state.comments.filter((x) => x.id !== c.id);
  }
}
