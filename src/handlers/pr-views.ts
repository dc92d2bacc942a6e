import type { KeyRing } from "../security/key-ring.js";
import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import { Gatekeepers } from "../github/gatekeepers.js";
import { findOwnComment } from "../github/issue-comments.js";
import type { Store } from "../store/store.js";
import { registerResponse } from "../github/event-scope.js";
import { recordScope } from "../github/repo-ids.js";
import { getIssue, listReviews, prCommits, reviewDismissals, type IssueSummary } from "../github/pull-requests.js";
import { reopenUnhandled, type PrFacts } from "../pr/decide-pr.js";
import { findLeaks, wordingKey, type LeakFinding } from "../pr/leak-check.js";
import { notReviewedHead, reaskAfterPush, type ReviewerFacts } from "../pr/pick-reviewers.js";
import { parseIssueKey } from "../pr/pr-link.js";
import { gateState, latestDismissed, reinstateDismissed, type Dismissal, type GateState, type Review } from "../pr/review-gate.js";
import { decodeRecord, RESPONSE_MARKER } from "../record/markers.js";
import { CLOSED_STATES, type LinkedPr, type ResponseRecord } from "../record/response-record.js";
import { reopenedByHand } from "../response/closed-by-hand.js";
import { loadResponse, type LoadedResponse } from "./response-context.js";
import { readConfigFrom } from "../github/read-config.js";
import { readReviewerFacts } from "./pr-reviewers.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** Everything one response contributes to a PR's gate, as read now. */
export interface ResponseView {
  key: string;
  issue: { owner: string; repo: string; issue_number: number };
  security: EmbargoConfig;
  loaded: LoadedResponse;
  record: ResponseRecord;
  summary: IssueSummary;
  gate: GateState;
  leaks: LeakFinding[];
  /** The wording check of the head's commits, remembered in the record so an unchanged head is not listed again. */
  wording?: LinkedPr["wording"];
  reviewerFacts: ReviewerFacts;
  /** Why the reviewers cannot be verified (the team cannot be read), for the config reply. */
  reviewerProblem?: string;
  previous?: LinkedPr;
  /** Since when approvals count, when the PR was retargeted after it was linked. */
  retargetedAt?: string;
  /** Asked before and to be asked again on this new head (`reaskAfterPush`). */
  reask: string[];
  /** The issue is open again while the record says closed by hand: `record` is as that reopen leaves it, not written yet. */
  reopenPending?: boolean;
}

/** The response and its issue as the caller (an event on the security issue) already holds them. */
export interface KnownResponse {
  loaded: LoadedResponse;
  summary: IssueSummary;
  /** The command's decided record, not written yet (the sync's write carries it): the first sync takes it. */
  unwritten?: { take(): ResponseRecord | undefined };
}

/** Reads about the PR itself, made at most once per sync whatever the number of responses. */
export function prReads(octokit: Octokit, pr: PrFacts) {
  const ref = { owner: pr.owner, repo: pr.repo, pull_number: pr.number };
  let reviews: Promise<Review[]> | undefined;
  let commits: Promise<{ sha: string; message: string }[]> | undefined;
  let dismissals: Promise<Dismissal[]> | undefined;
  return {
    reviews: () => (reviews ??= listReviews(octokit, ref)),
    /** The reviews if this sync read them already (no call). */
    readReviews: () => reviews,
    dismissals: () => (dismissals ??= reviewDismissals(octokit, ref)),
    commits: () => (commits ??= prCommits(octokit, ref, pr)),
  };
}

export interface ViewInput {
  octokit: Octokit;
  botLogin: string;
  keys: KeyRing;
  key: string;
  pr: PrFacts;
  prConfig: EmbargoConfig;
  /** The security repo's config, when the caller has read it (it belongs to `key`'s repo). */
  security?: EmbargoConfig;
  /** The response and issue, when the caller has read them (they belong to `key`). */
  known?: KnownResponse;
  /** The event is a push (`synchronize`): no review of the new head can have been counted yet. */
  pushed?: boolean;
  /** A review of the pushed head came (and was handled) before the push: the reviews can count. */
  reviewedFirst?: boolean;
  /** The app's gate run is on the head already: an earlier event (or this one's first delivery) handled this head. */
  headHandled?: boolean;
  reads: ReturnType<typeof prReads>;
  /** Where the response comment, config and overrides are remembered (src/store). */
  store?: Store;
  now: Date;
  /** GitHub said, in this event, that the PR was retargeted to another base commit. */
  retargeted?: boolean;
  /** `pr` was read from GitHub now (no event's copy): its base is where the PR is. */
  baseNow?: boolean;
}

/**
 * The record as the comment holds it now. A caller's comment list is kept current by its own
 * writes (applyEffects updates it), so decoding it again costs no call.
 */
function knownResponse(known: KnownResponse, keys: KeyRing): LoadedResponse {
  const { loaded } = known;
  const unwritten = known.unwritten?.take();
  if (unwritten) {
    registerResponse(loaded.issue, unwritten);
    return { ...loaded, record: unwritten };
  }
  const own = findOwnComment(loaded.comments, loaded.botLogin, RESPONSE_MARKER);
  const decoded = own ? decodeRecord(own.body, keys, recordScope(loaded.issue)) : undefined;
  const record = decoded?.found ? decoded.record : undefined;
  registerResponse(loaded.issue, record);
  return { ...loaded, record };
}

/**
 * The gate without the reviews where they cannot change it, else from the reviews: a response
 * that is over ignores the gate; a closed or merged PR on the head the record knows keeps the
 * verdict it had (nothing is guarded any more); a push keeps only a request for changes, since
 * approvals are of older heads (a review of the new head comes with its own event). Otherwise
 * every reviewer's latest review is read, and each one's membership checked once.
 */
async function readGate(input: ViewInput, gatekeepers: Gatekeepers, previous: LinkedPr | undefined, released: boolean, retargetedAt: string | undefined): Promise<GateState> {
  const { pr } = input;
  const sameHead = Boolean(previous?.head_sha) && previous!.head_sha === pr.head_sha;
  const newHead = Boolean(previous?.head_sha) && !sameHead;
  if (released || (!pr.open && sameHead)) return previous?.review ?? "pending";
  if (input.pushed && newHead && previous!.review !== "changes_requested" && !input.reviewedFirst) return "pending";
  const reviews = await input.reads.reviews();
  const counted = new Set((await gatekeepers.filter([...new Set(reviews.map((r) => r.login))])).map((l) => l.toLowerCase()));
  const counts = (login: string) => counted.has(login.toLowerCase());
  let standing = reviews;
  // Who dismissed a review is read (the timeline) only when a reviewer who counts has a dismissed review as their latest.
  if (latestDismissed(reviews, counts)) {
    const dismissals = await input.reads.dismissals();
    const lifters = new Set((await gatekeepers.filter([...new Set(dismissals.map((d) => d.by))])).map((l) => l.toLowerCase()));
    standing = reinstateDismissed(reviews, dismissals, (login) => lifters.has(login.toLowerCase()));
  }
  return gateState(standing, counts, pr.head_sha, retargetedAt);
}

/** Whom a push asks again, judged with the reviews only when the gate read them already: no call. */
const reaskNow = async (input: ViewInput, reask: string[]) => notReviewedHead(reask, reask.length ? await input.reads.readReviews() : undefined, input.pr.head_sha);

/** At most this many commit findings are remembered; past it the commits are listed on each event. */
const WORDING_MEMO_MAX = 10;

const WORDING_TTL_MS = 30 * 24 * 3_600_000;

/** Keyed by a MAC of the wording key, so the store holds nothing a guess of the secrets could be checked against. */
const wordingStoreKey = (keys: KeyRing, key: string) => `pr-wording:${keys.sign("record", `wording:${key}`)}`;

/**
 * A head's commit findings remembered in the store by an event that wrote no record (a push that
 * changed nothing shown). Content-addressed (head sha and secrets), so it cannot be stale; the
 * findings name only rules and short commit shas, which the public gate run shows anyway.
 */
async function rememberedWording(input: ViewInput, key: string): Promise<LeakFinding[] | undefined> {
  const text = input.store ? await input.store.get(wordingStoreKey(input.keys, key)) : undefined;
  if (!text) return undefined;
  try {
    const found = JSON.parse(text) as unknown;
    return Array.isArray(found) && found.every((f) => typeof f?.rule === "string" && typeof f?.place === "string") ? (found as LeakFinding[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The wording check against this response's secrets. The title, body and branch come with the
 * event; the commits of a head never change, so their findings are remembered per head and per
 * secrets (`wordingKey`) in the signed record, and listed again only for a new head or new secrets.
 * The words are the security repository's and the PR repository's together: that repository's
 * admins (not the security team) may add words, never take one away (DESIGN.md, "Trust").
 */
async function readWording(input: ViewInput, security: EmbargoConfig, record: ResponseRecord, summary: IssueSummary, previous: LinkedPr | undefined, released: boolean) {
  const { pr } = input;
  if (pr.private || released) return { leaks: [] as LeakFinding[] };
  const own = security.public_pr.leak_words;
  const added = input.prConfig.public_pr.leak_words;
  const words = own === added ? own : [...new Set([...own, ...added])];
  const secrets = { issueKey: input.key, issueUrls: [summary.html_url, summary.url], ...(record.former_names?.length ? { formerNames: record.former_names } : {}), cve: record.cve, ghsa: record.ghsa, words };
  const key = wordingKey(pr.head_sha, secrets);
  const texts = { title: pr.title, body: pr.body, branch: pr.head_ref, commits: [] };
  const known = previous?.wording?.key === key ? previous.wording.commits : await rememberedWording(input, key);
  const commitLeaks = known ?? findLeaks({ title: "", body: "", branch: "", commits: await input.reads.commits() }, secrets);
  if (!known && input.store && commitLeaks.length <= WORDING_MEMO_MAX) await input.store.set(wordingStoreKey(input.keys, key), JSON.stringify(commitLeaks), WORDING_TTL_MS);
  const leaks = [...findLeaks(texts, secrets), ...commitLeaks];
  const wording = commitLeaks.length <= WORDING_MEMO_MAX ? { key, commits: commitLeaks } : undefined;
  return { leaks, wording };
}

/** A linked response that exists but cannot be read now (its config or its record is broken): it keeps its link and blocks. */
export interface UnreadableView {
  key: string;
  unreadable: true;
}

/**
 * One response's view of the PR: its config, record and issue, the gate as its reviewers see it,
 * and the wording check against its secrets. Undefined when the response is gone (its issue
 * deleted, which takes an admin) or is none: its link is then dropped. A response whose config or
 * record cannot be read is `unreadable`: anyone with write access can delete or damage the app's
 * comment, and that must not hand the gate to the PR's other responses.
 */
export async function readResponseView(input: ViewInput): Promise<ResponseView | UnreadableView | undefined> {
  const { octokit, pr } = input;
  const issue = parseIssueKey(input.key);
  if (!issue) return undefined;
  const sameRepo = issue.owner.toLowerCase() === pr.owner.toLowerCase() && issue.repo.toLowerCase() === pr.repo.toLowerCase();
  const unreadable = { key: input.key, unreadable: true as const };
  const result = input.security ? { ok: true as const, config: input.security } : sameRepo ? { ok: true as const, config: input.prConfig } : await readConfigFrom(octokit, issue.owner, issue.repo, input.store);
  if (!result.ok) return unreadable;
  const security = result.config;
  const summary = input.known?.summary ?? (await getIssue(octokit, issue));
  if (!summary) return undefined;
  const loaded = input.known ? knownResponse(input.known, input.keys) : await loadResponse(octokit, issue, security, input.botLogin, input.keys, input.store);
  if (!loaded.record) return unreadable;
  // A reopen not handled yet is judged as its `issues.reopened` will leave the record (gated
  // again); that write is the caller's (src/handlers/unhandled-close.ts), which `reopenPending` asks for.
  const reopenPending = reopenUnhandled(summary.open, loaded.record);
  const record = reopenPending ? reopenedByHand(loaded.record) : loaded.record;

  // The record, not the issue's state: a close not handled yet releases nothing (src/pr/decide-pr.ts).
  const released = CLOSED_STATES.includes(record.state);
  const slot = `${pr.owner}/${pr.repo}`.toLowerCase();
  // By the repository's id when both know it: a renamed or transferred repo's PR is the same PR.
  const inPrRepo = (p: LinkedPr) => (p.repo_id !== undefined && pr.repo_id !== undefined ? p.repo_id === pr.repo_id : p.repo.toLowerCase() === slot);
  const previous = record.prs.find((p) => inPrRepo(p) && p.number === pr.number);
  const gatekeepers = new Gatekeepers(octokit, security, { owner: issue.owner, repo: issue.repo });
  // A retarget keeps the head but changes what merging it brings in: approvals from before it are
  // stale. Started only by GitHub's `edited` event saying so (a late event's base is a snapshot, and
  // a renamed base branch is the same commit), dated when the app sees it, never earlier; that
  // event redelivered, the record already on its base, keeps the first date.
  const seen = previous?.retargeted_at !== undefined && previous.base === pr.base;
  // The PR as GitHub has it now, on another base than the record's: a retarget whose `edited` event the app never handled (it was down).
  const missed = Boolean(input.baseNow && pr.open && previous && previous.base !== pr.base);
  const retargetedAt = (input.retargeted || missed) && previous && !seen ? input.now.toISOString() : previous?.retargeted_at;
  const gate = await readGate(input, gatekeepers, previous, released, retargetedAt);
  const reask = released || !pr.open ? [] : await reaskNow(input, reaskAfterPush(pr, previous, Boolean(input.headHandled)));
  const reviewerFacts = released || !pr.open ? { gatekeepers: [], pool: [] } : await readReviewerFacts(octokit, { pr, record, security, prConfig: input.prConfig, previous, gatekeepers, reask });
  const { leaks, wording } = await readWording(input, security, record, summary, previous, released);
  return { key: input.key, issue, security, loaded, record, summary, gate, leaks, wording, reviewerFacts, reviewerProblem: gatekeepers.problem, previous, ...(retargetedAt ? { retargetedAt } : {}), reask, ...(reopenPending ? { reopenPending } : {}) };
}
