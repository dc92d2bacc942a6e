import type { ProbotOctokit } from "probot";
import { pendingBranches } from "../checklist/checklist-items.js";
import type { EmbargoConfig } from "../config/config-schema.js";
import { applyEffects } from "../github/apply-effects.js";
import { assertNoLeak } from "../github/leak-firewall.js";
import { gateRunNamed, gateRuns, requestReviews, upsertGateRun, withdrawTeamReviews, type GateRun } from "../github/check-runs.js";
import { tellReviewRefused, type RefusedReviewer } from "./review-refused.js";
import { namedRepoStillOurs } from "../github/made-public.js";
import { knowLinks, linkOf, sameResponse } from "../github/repo-ids.js";
import { getPull, setPrLabels } from "../github/pull-requests.js";
import { combineDecisions } from "../pr/combine-decisions.js";
import { closeUnhandled, decidePr, unreadableDecision, type PrFacts } from "../pr/decide-pr.js";
import { parseIssueKey, prBinding, prKey, type LinkSealer } from "../pr/pr-link.js";
import { renderTemplate } from "../render/templates.js";
import { recordJson } from "../record/record-json.js";
import type { LinkedPr, ResponseRecord } from "../record/response-record.js";
import { noEffects } from "../response/effects.js";
import { renderResponse } from "../response/render-response.js";
import { responseLabels } from "../response/response-labels.js";
import { syncBoxes, tick } from "../response/sync-boxes.js";
import { findOwnComment } from "../github/issue-comments.js";
import { RESPONSE_MARKER } from "../record/markers.js";
import { reportConfigProblems, type Deps } from "./response-context.js";
import { prReads, readResponseView, type KnownResponse, type ResponseView } from "./pr-views.js";
import { previousHeadLinks } from "./previous-head.js";
import { gateRunsNow, rememberGate, rememberLinked } from "./pr-snapshot.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface SyncPrInput {
  octokit: Octokit;
  deps: Deps;
  sealer: LinkSealer;
  log: (message: string) => void;
  /** The response this sync acts for: its record is updated (the caller holds its queue). */
  issueKey: string;
  pr: PrFacts;
  prConfig: EmbargoConfig;
  /** The PR repo's config is invalid (`prConfig` then holds the defaults): the gate says so. */
  prConfigProblem?: boolean;
  /** The security repo's config, when the caller (an event on the security issue) has read it. */
  security?: EmbargoConfig;
  /** The app's gate runs already on the head commit, when the caller has read them. */
  runs?: GateRun[];
  /** Every response the caller found the PR linked to (after a push: on the previous head's run): all judge the first write. */
  linked?: string[];
  /** `issueKey`'s response and issue, when the caller (an event on the security issue) holds them: not read again. */
  known?: KnownResponse;
  /** The event is a push (`synchronize`). */
  pushed?: boolean;
  /** A review of the pushed head was handled before this push (`reviewedFirst`): its reviews are read. */
  reviewedFirst?: boolean;
  /** The event is GitHub's word that the PR was retargeted to another base commit (pull-request.ts). */
  retargeted?: boolean;
  /** The PR's base comes from an event's snapshot, not from GitHub now or a base change: the record keeps its own. */
  baseSnapshot?: boolean;
  /** Told of each linked response whose issue is closed while its record is not (a close not handled yet). */
  unhandledClose?: (issue: ResponseView["issue"], security: EmbargoConfig) => void;
  /** A last change to the record, written with it (`/triage pr`: its line now counts as ran). */
  settle?: (record: ResponseRecord) => ResponseRecord;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** `who` (a login, or `team:slug`) is one this response's decision asked for. */
const wantedBy = (d: { reviewers: string[]; teamReviewers: string[] }, who: string) =>
  who.startsWith("team:") ? d.teamReviewers.some((t) => same(`team:${t}`, who)) : d.reviewers.some((l) => same(l, who));

/**
 * Brings one linked PR in line with every response it belongs to, and `issueKey`'s record in line
 * with the PR: read (the gate run and its sealed links, each response's view), decide (one pure
 * decision per response, combined so the most blocking wins), apply (PR labels, review requests,
 * the gate run; the response's status table, patched branches, ticks).
 */
export async function syncPr(input: SyncPrInput): Promise<"shared-head" | undefined> {
  const { octokit, deps, pr, prConfig } = input;
  const botLogin = await deps.botLogin();
  const runs = await gateRunsNow(octokit, deps, pr, prConfig.public_pr.check_name, input.runs);
  const existing = gateRunNamed(runs, prConfig.public_pr.check_name);
  // An unlinked PR's passing run (empty external_id) is taken over, never duplicated; but it is no
  // gate: it neither says the head was handled nor carries any response's links forward.
  const gated = Boolean(existing?.external_id);
  const sealedLinks = input.sealer.openLinks(existing?.external_id, prBinding(pr));
  const sealed = knowLinks(sealedLinks);
  // GitHub keeps check runs per commit: another open PR at this head (the same branch into another
  // base) holds its gate here. Overwriting it would unlink that PR and show it this one's verdict;
  // a merged or closed one's gate guards nothing any more (one read, only then).
  const holder = sealed.length ? undefined : input.sealer.otherHolder(existing?.external_id, prBinding(pr));
  if (holder !== undefined && (await getPull(octokit, { owner: pr.owner, repo: pr.repo, pull_number: holder }))?.state === "open") {
    input.log(`${prKey(pr)}: its head carries the gate of another PR; not linked`);
    return "shared-head";
  }
  const others = knowLinks(runs.filter((r) => r !== existing).flatMap((r) => input.sealer.openLinks(r.external_id, prBinding(pr))));
  // A new head's first gate is every response's verdict at once: one response alone (a released one) would open it.
  const keys = [input.issueKey, ...sealed, ...others, ...(input.linked ?? [])].filter((k, i, all) => all.findIndex((x) => sameResponse(x, k)) === i);
  const reads = prReads(octokit, pr);
  const views: ResponseView[] = [];
  const unreadable: string[] = [];
  const readView = async (key: string) => {
    const primary = sameResponse(key, input.issueKey);
    const view = await readResponseView({
      octokit,
      botLogin,
      keys: deps.keys,
      key,
      pr,
      prConfig,
      reads,
      pushed: input.pushed,
      reviewedFirst: input.reviewedFirst,
      retargeted: input.retargeted,
      baseNow: input.retargeted === undefined, // only PR events say `retargeted`; every other caller read the PR now
      headHandled: gated,
      store: deps.store,
      now: deps.now(),
      ...(primary ? { security: input.security, known: input.known } : {}),
    });
    if (view && "unreadable" in view) unreadable.push(view.key);
    else if (view) views.push(view);
  };
  for (const key of keys) await readView(key);
  // A head without the app's gate run (a push it never handled): the PR's other links are on the head the records knew.
  if (!gated && !input.linked) for (const key of await previousHeadLinks(octokit, deps.appId, input.sealer, pr, views, keys)) await readView(key);
  const primary = views.find((v) => sameResponse(v.key, input.issueKey));
  if (!primary) return undefined;
  for (const v of views) if (closeUnhandled(v.summary.open, v.record) || v.reopenPending) input.unhandledClose?.(v.issue, v.security);

  const decisions = views.map((v) =>
    decidePr({
      pr,
      record: v.record,
      security: v.security,
      prConfig,
      gate: v.gate,
      leaks: v.leaks,
      alreadyRequested: views.flatMap((w) => w.previous?.requested ?? []),
      // A head the app has not handled yet (no gate run of its own on it): ask again whoever a push
      // left without a pending request. Derived from the gate run, not from the event's action, so
      // a redelivered `synchronize` does not ping the reviewers twice.
      reask: v.reask,
      reviewerFacts: v.reviewerFacts,
      reviewerProblem: Boolean(v.reviewerProblem),
      configProblem: input.prConfigProblem,
      wasPrivate: v.previous?.private,
    }),
  );
  const decision = combineDecisions([...decisions, ...unreadable.map(() => unreadableDecision())]);

  const prRef = { owner: pr.owner, repo: pr.repo, pull_number: pr.number };
  await assertNoLeak(octokit, pr, { ...decision, checkName: prConfig.public_pr.check_name });
  await setPrLabels(octokit, prRef, decision.addLabels, decision.removeLabels, input.log);
  const refused: RefusedReviewer[] = [];
  const asked = await requestReviews(octokit, prRef, decision.reviewers, decision.teamReviewers, input.log, (who, status) => refused.push({ who, status }));
  await withdrawTeamReviews(octokit, prRef, decision.withdrawTeams ?? [], input.log);
  const linkedKeys = [...views.map((v) => v.key), ...unreadable];
  // Keep the sealed links byte-for-byte when they still say the same (a fresh seal differs every
  // time), unless they name a repository (the PR's, a response's) without the id the event knows.
  const byId = sealedLinks.every((l) => l.repoId === linkOf(l.key).repoId) && input.sealer.sealedById(existing?.external_id, prBinding(pr));
  const unchanged = sealed.length === linkedKeys.length && linkedKeys.every((k) => sealed.some((s) => same(s, k))) && byId;
  const externalId = unchanged && existing?.external_id ? existing.external_id : input.sealer.seal(prBinding(pr), linkedKeys.map(linkOf));
  await upsertGateRun(
    octokit,
    { owner: pr.owner, repo: pr.repo, head_sha: pr.head_sha, name: prConfig.public_pr.check_name, external_id: externalId, details_url: pr.html_url },
    existing,
    decision.check,
    deps.now(),
  );
  await rememberGate(deps.store, deps.keys, pr, decision.check, externalId);
  if (!sealed.length) await rememberLinked(deps.store, deps.keys, pr);
  // The PR shows only "waiting" (it must not say a response exists): each response it waits on
  // because the app cannot read it is told, once, in its own (private) issue.
  for (const key of unreadable) await tellGateHeld(octokit, key, pr, botLogin, input.log);
  for (const [i, v] of views.entries()) {
    if (v.reviewerProblem) await reportConfigProblems(octokit, v.issue, [v.reviewerProblem], v.security.label, botLogin, v.loaded.comments);
    // Recorded as asked (asking again would be refused again), so said once here, not only logged;
    // each response hears only of whom it asked for (another may be another security repo's).
    const own = refused.filter((r) => wantedBy(decisions[i]!, r.who));
    if (own.length) await tellReviewRefused(octokit, v, pr, own);
  }
  // Who GitHub lists as requested already (an earlier delivery asked, its answer lost) counts as asked.
  const pending = decisions[views.indexOf(primary)]?.pendingWanted ?? [];
  // A reopen not handled yet is written by whoever judges it, with every PR of the response synced after.
  if (primary.reopenPending && input.unhandledClose) return undefined;
  await updateRecord(input, primary, [...asked, ...pending.filter((p) => !asked.some((a) => same(a, p)))], botLogin);
  return undefined;
}

/**
 * The `gate-held` reply in the security issue `key`, once per PR (keyed); only where that name is
 * still the private repository the link was sealed for: the reply ties the public PR to a security
 * response, and a renamed security repo's former name may since be another repository's.
 */
async function tellGateHeld(octokit: Octokit, key: string, pr: PrFacts, botLogin: string, log: (m: string) => void): Promise<void> {
  const issue = parseIssueKey(key);
  if (!issue) return;
  if (!(await namedRepoStillOurs(octokit, issue, linkOf(key).repoId))) return log(`${prKey(pr)}: its linked response ${key} cannot be read, and ${issue.owner}/${issue.repo} is not now the private repository it was linked in: nobody is told there`);
  const { text } = await renderTemplate("gate-held", { pr: `${pr.owner}/${pr.repo}#${pr.number}` });
  await applyEffects(octokit, issue, { comments: [], botLogin, labels: [], assignees: [], open: true }, { ...noEffects(), replies: [{ key: `gate-held-${prKey(pr)}`, body: text }] });
}

/** Fixing once a PR is linked; fixed once a PR merged and no "patched on" item is still open (the checklist's own rule). */
function advance(record: ResponseRecord, security: EmbargoConfig): ResponseRecord {
  let state = record.state;
  if ((state === "triage" || state === "confirmed") && record.prs.length) state = "fixing";
  const merged = record.prs.some((p) => p.state === "merged");
  if (state === "fixing" && merged && !pendingBranches(record, security).length) state = "fixed";
  return { ...record, state };
}

/** The record without what no one reads on a push: each PR's head, wording memo and repository id; PRs in a fixed order. */
function shown(record: ResponseRecord): string {
  const prs = record.prs
    .map(({ head_sha: _h, wording: _w, repo_id: _r, ...p }) => JSON.stringify(p, Object.keys(p).sort()))
    .sort();
  return recordJson({ ...record, prs });
}

const sameShown = (a: ResponseRecord, b: ResponseRecord) => shown(a) === shown(b);

/** The PR's line in the response's status table, patched branches and ticks. */
async function updateRecord(input: SyncPrInput, view: ResponseView, asked: string[], botLogin: string): Promise<void> {
  const { octokit, pr, deps } = input;
  const { security, loaded, summary, previous, leaks } = view;
  const now = deps.now();
  const own = findOwnComment(loaded.comments, botLogin, RESPONSE_MARKER)!;
  let record = syncBoxes(view.record, own.body, now, security);
  const linked: LinkedPr = {
    repo: `${pr.owner}/${pr.repo}`,
    ...(pr.repo_id !== undefined ? { repo_id: pr.repo_id } : {}),
    number: pr.number,
    state: pr.merged ? "merged" : pr.open ? "open" : "closed",
    review: view.gate,
    base: input.baseSnapshot && previous ? previous.base : pr.base,
    head_sha: pr.head_sha,
    ...(view.retargetedAt ? { retargeted_at: view.retargetedAt } : {}),
    private: pr.private,
    ...(pr.default_branch ? { default_branch: pr.default_branch } : {}),
    requested: [...new Set([...(previous?.requested ?? []), ...asked])],
    ...(pr.private ? {} : { leaks: leaks.length }),
    // A released response checks nothing: what it knew of the head's commits is kept for a reopen.
    ...(view.wording || previous?.wording ? { wording: view.wording ?? previous?.wording } : {}),
  };
  record = { ...record, prs: [...record.prs.filter((p) => !(p.repo === linked.repo && p.number === linked.number) && p !== previous), linked] };
  // "Patched on …" and "commits do not refer to the vulnerability" follow from `prs` when the
  // response is rendered (settleTicks); `patched` keeps the supported branches for old records.
  if (pr.merged && security.supported_branches.includes(pr.base)) record = { ...record, patched: [...new Set([...record.patched, pr.base])] };
  record = advance(tick(record, ["fix.patch", "fix.prioritised"], now), security);
  if (input.settle) record = input.settle(record);
  // A push that asked nobody and changed nothing the response shows writes nothing: the new head
  // and its wording check are hidden data (the gate run on the head is what a redelivery finds,
  // and the wording is remembered per head in the store).
  if (input.pushed && !asked.length && sameShown(view.record, record)) return;

  const effects = noEffects();
  effects.responseBody = await renderResponse(record, security, { title: summary.title, reporter: summary.reporter }, loaded.overrides, { keys: deps.keys, issue: view.issue, now, current: own.body });
  if (summary.open) Object.assign(effects, responseLabels(summary.labels, record));
  const state = { comments: loaded.comments, botLogin, labels: [...summary.labels], assignees: [], open: summary.open };
  await applyEffects(octokit, view.issue, state, effects);
  // A caller that syncs several PRs hands the same summary to each: it stays as GitHub now has it.
  summary.labels = state.labels;
}
