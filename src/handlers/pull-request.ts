import type { Context } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import { defaultConfig, type ConfigResult } from "../config/load-config.js";
import { gateRuns } from "../github/check-runs.js";
import { privateNow } from "../github/made-public.js";
import { Gatekeepers } from "../github/gatekeepers.js";
import type { PrFacts } from "../pr/decide-pr.js";
import { findReferences } from "../pr/find-references.js";
import { knowLinks, learnRepoId, responseKey } from "../github/repo-ids.js";
import { parseIssueKey, prBinding } from "../pr/pr-link.js";
import { syncPr } from "./sync-pr.js";
import { prFacts, type PullLike } from "./pr-facts.js";
import { prCopies, rememberReviewFirst, reviewedFirst } from "./pr-snapshot.js";
import { readConfig, type Deps } from "./response-context.js";
import { catchUpClose } from "./unhandled-close.js";
import { gateUnlinked } from "./unlinked-gate.js";

type IssueRef = { owner: string; repo: string; issue_number: number };

type PrContext =
  | Context<"pull_request.opened">
  | Context<"pull_request.edited">
  | Context<"pull_request.synchronize">
  | Context<"pull_request.reopened">
  | Context<"pull_request.closed">
  | Context<"pull_request_review.submitted">
  | Context<"pull_request_review.dismissed">;

/** At most this many references in a PR's text are tried as self-links (each costs a few reads). */
const MAX_REFERENCES = 5;

/** The issue numbers a PR's text could self-link: none (and nothing read) unless it is private and by a person. */
function selfLinkCandidates(facts: PrFacts, htmlUrl?: string): number[] {
  if (!facts.private || !facts.author || facts.author.endsWith("[bot]")) return [];
  return findReferences(`${facts.title}\n${facts.body}`, `${facts.owner}/${facts.repo}`, htmlUrl).slice(0, MAX_REFERENCES);
}

/**
 * A PR links itself only when it lives in the security repo itself and its author may run
 * commands there, and so may whoever made this event (anyone with write access can edit or reopen
 * a team member's PR: the text is then theirs as much as the author's); every reference in its
 * text is tried. For anyone else nothing is read, so nothing on the PR can tell them whether an
 * issue is a response.
 */
async function selfLinks(context: PrContext, facts: PrFacts, config: EmbargoConfig, numbers: number[]): Promise<string[]> {
  const repo = `${facts.owner}/${facts.repo}`;
  // A repo whose config names another security repo is a product repo, whatever its visibility.
  if (config.security_repo && config.security_repo.toLowerCase() !== repo.toLowerCase()) return [];
  const gatekeepers = new Gatekeepers(context.octokit, config, { owner: facts.owner, repo: facts.repo });
  const actor = context.payload.sender?.login ?? "";
  const allowed = (await gatekeepers.is(facts.author)) && (actor.toLowerCase() === facts.author.toLowerCase() || (await gatekeepers.is(actor)));
  return allowed ? numbers.map((n) => `${repo}#${n}`) : [];
}

/**
 * What the event says of the PR's base. An event's base is a snapshot (a late review still names
 * the old one): only `edited` with `changes.base` is GitHub's word that it changed (`edited`), and
 * a retarget only when it moved to another commit (`retargeted`: a renamed base branch is the same
 * commit, and brings nothing new in).
 */
function baseChange(payload: PrContext["payload"]): { edited: boolean; retargeted: boolean } {
  const changed = payload.action === "edited" ? (payload as { changes?: { base?: { ref?: { from?: string }; sha?: { from?: string } } } }).changes?.base : undefined;
  if (!changed) return { edited: false, retargeted: false };
  const base = (payload.pull_request as unknown as PullLike).base;
  const retargeted = changed.sha?.from !== undefined && base.sha !== undefined ? changed.sha.from !== base.sha : changed.ref?.from !== undefined && changed.ref.from !== base.ref;
  return { edited: true, retargeted };
}

/**
 * Any PR event: find the responses this PR is linked to in a constant number of calls (the sealed
 * links on the app's own gate run of its head, or of the previous head after a push; for a PR in
 * the security repo by someone who may run commands, the references in its text), then sync it for
 * each. The PR repo's config is read only once a link is known (or a private PR's text names an
 * issue it may link itself to), or to give an open unlinked PR whose head has no run of the app's
 * its passing run: an unlinked PR whose head has one costs one call.
 */
export async function onPullRequest(deps: Deps, context: PrContext): Promise<void> {
  const { payload } = context;
  const pull = payload.pull_request as unknown as PullLike;
  const repository = payload.repository;
  const octokit = context.octokit;
  const facts = prFacts(pull, repository);
  // A late event from before the repo was made public must not get a private PR's labels and reviewers.
  facts.private = await privateNow(octokit, repository);
  const self = prBinding(facts);
  const runs = await gateRuns(octokit, facts.owner, facts.repo, facts.head_sha, deps.appId);
  let links = runs.flatMap((r) => deps.sealer.openLinks(r.external_id, self));
  const before = payload.action === "synchronize" ? (payload as { before?: string }).before : undefined;
  if (!links.length && before) {
    const previous = await gateRuns(octokit, facts.owner, facts.repo, before, deps.appId);
    links = previous.flatMap((r) => deps.sealer.openLinks(r.external_id, self));
  }
  let keys = knowLinks(links);
  // Only a change of the PR's text can make it name an issue: reviews and pushes never self-link.
  const textChanged = ["opened", "edited", "reopened"].includes(payload.action);
  const candidates = !keys.length && textChanged ? selfLinkCandidates(facts, repository.html_url) : [];
  // No link: the PR still gets the gate's name, passing (src/handlers/unlinked-gate.ts).
  const unlinked = async (config: () => Promise<ConfigResult>) => void (await gateUnlinked(deps, octokit, facts, runs, config));
  // A review of a head without the app's run: a push not handled yet, whose links it cannot find. The push counts it.
  const review = payload.action === "submitted" ? (payload as { review?: { commit_id?: string } }).review : undefined;
  if (!runs.length && review?.commit_id === facts.head_sha) await rememberReviewFirst(deps.store, deps.keys, facts);
  if (!keys.length && !candidates.length) return unlinked(() => readConfig(context, deps.store));
  const configResult = await readConfig(context, deps.store);
  // A broken config must not open or hide the gate: its defaults find the run, and the gate says so.
  const prConfig = configResult.ok ? configResult.config : defaultConfig();
  // Links the app sealed are the PR's; a text's references are only candidates, each judged by its own sync.
  const sealed = keys.length > 0;
  if (!keys.length && configResult.ok) keys = await selfLinks(context, facts, prConfig, candidates);
  // A PR whose text names an issue, judged under a broken config (no self-link tried): it may be a
  // fix PR, so it gets no passing run; a broken config must not open a gate.
  if (!keys.length) return configResult.ok ? unlinked(async () => configResult) : undefined;
  // A linked PR's event handled after a newer one (redelivered, late, or at once): judged, under each response's lock, on GitHub's PR now.
  const copyFor = prCopies(octokit, deps.store, deps.keys, facts, pull.updated_at, repository);
  // One queue per response, by its repository's id: an issue event names a renamed security repo
  // by its new name, this PR's link by the old one. A link sealed before it carried the id: read once.
  for (const key of keys) await learnRepoId(octokit, parseIssueKey(key)!);
  const unique = [...new Map(keys.map((k) => [responseKey(parseIssueKey(k)!), k])).values()];
  const { edited, retargeted } = baseChange(payload);
  const log = (m: string) => context.log.info(m);
  // Closes not handled yet, by response: judged once this PR's gate is written (it waits on them).
  const unhandled = new Map<string, { issue: IssueRef; security: EmbargoConfig }>();
  const unhandledClose = (issue: IssueRef, security: EmbargoConfig) => unhandled.set(responseKey(issue), { issue, security });
  for (const [i, issueKey] of unique.entries()) {
    // Each response gets its own sync under its own queue; after the first, the run is read afresh.
    const response = responseKey(parseIssueKey(issueKey)!);
    await deps.queue.run(response, async () => {
      const pr = await copyFor(response);
      const sameHead = pr.head_sha === facts.head_sha;
      // Only GitHub's word that the base changed (or a merge, which says where the PR went) moves the
      // record's base: a late review must not put the old one back.
      const baseSnapshot = !edited && !pr.merged;
      const pushed = payload.action === "synchronize" && sameHead;
      const reviewed = pushed && (await reviewedFirst(deps.store, deps.keys, pr));
      return syncPr({ octokit, deps, sealer: deps.sealer, log, issueKey, pr, prConfig, prConfigProblem: !configResult.ok, pushed, reviewedFirst: reviewed, retargeted, baseSnapshot, unhandledClose, ...(sealed ? { linked: unique } : {}), ...(i === 0 && sameHead ? { runs } : {}) });
    });
  }
  for (const { issue, security } of unhandled.values()) await catchUpClose(deps, octokit, issue, security, log);
}
