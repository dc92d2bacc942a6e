import { createHash } from "node:crypto";
import type { ProbotOctokit } from "probot";
import { gateRuns, gateRunNamed, type GateRun } from "../github/check-runs.js";
import { getPull } from "../github/pull-requests.js";
import type { CheckRunDecision, PrFacts } from "../pr/decide-pr.js";
import type { KeyRing } from "../security/key-ring.js";
import type { Store } from "../store/store.js";
import { prFacts, type PullLike } from "./pr-facts.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** Longer than an embargo lasts (30 days): a delivery redelivered within it is still told from a new one. */
const SEEN_TTL_MS = 60 * 24 * 3_600_000;

/**
 * Longer than any embargo and its fix PRs' life (a 90-day embargo, PRs left open past it): on
 * expiry a PR the app gated could take a passing run after a missed push. A key per fix PR.
 */
const LINKED_TTL_MS = 400 * 24 * 3_600_000;

type PrKind = "pr-seen" | "pr-linked" | "pr-reviewed" | "pr-gate";
const prName = (kind: PrKind, pr: PrFacts, scope = "") => `${kind}:${pr.repo_id ?? `${pr.owner}/${pr.repo}`.toLowerCase()}#${pr.number}${scope}`;

/** A store key about one PR, by a MAC of its key, so the store does not list which public PRs are fixes. */
const prKey = (kind: PrKind, keys: KeyRing, pr: PrFacts, scope = "") => `${kind}:${keys.sign("record", prName(kind, pr, scope))}`;

/**
 * The copy of a linked PR each of its responses is judged on: the event's, unless one as new was
 * handled for that response already (redelivered, late, or handled at once elsewhere), then the PR
 * as GitHub has it now (one `pulls/get`, only then): an old title must not open a gate the wording
 * check closed since, nor a merged PR go back to open in the response. Asked under the response's
 * lock, where the copy is written: asked before it, two deliveries handled at once (two instances,
 * or one process) both pass, and the one that takes the lock last writes its copy, older or not.
 * A PR read for one response is the event's copy for the next, judged the same way: while this
 * event waited for the next response's lock, another delivery may have handled a newer copy there
 * (then it is read again, as for an equal time; reused, it wrote the older copy's verdict last).
 */
export function prCopies(octokit: Octokit, store: Store, keys: KeyRing, event: PrFacts, updatedAt: string | undefined, repository: Parameters<typeof prFacts>[1]) {
  let held = { facts: event, at: Date.parse(updatedAt ?? "") };
  return async (response: string): Promise<PrFacts> => {
    if (!Number.isFinite(held.at)) return held.facts;
    const key = prKey("pr-seen", keys, event, `@${response}`);
    // Equal is no proof of the same copy: `updated_at` has whole seconds, and an edit in the second
    // of a review leaves that review's copy with the old title and the edit's time.
    if (await store.setIfHigher(key, held.at, SEEN_TTL_MS)) return held.facts;
    const pull = await getPull(octokit, { owner: event.owner, repo: event.repo, pull_number: event.number });
    if (!pull) return held.facts;
    // Read now, under this lock: as new as any copy handled here; remembered, so a later delivery of an older copy reads too.
    held = { facts: { ...prFacts(pull as unknown as PullLike, repository), private: event.private }, at: Date.parse((pull as { updated_at?: string }).updated_at ?? "") };
    if (Number.isFinite(held.at)) await store.setIfHigher(key, held.at, SEEN_TTL_MS);
    return held.facts;
  };
}

/**
 * Remembers that the app sealed a gate for this PR. A push the app missed leaves the next head's
 * event without a link to find (neither that head nor the one before carries a run), and the PR
 * would take it for an unlinked one and get a passing run: this says it must not.
 */
export async function rememberLinked(store: Store, keys: KeyRing, pr: PrFacts): Promise<void> {
  await store.set(prKey("pr-linked", keys, pr), "1", LINKED_TTL_MS);
}

/**
 * During a rotation of EMBARGO_SECRET the PRs remembered before it are under the previous
 * secret's MAC: without it, such a PR whose push the app missed would take the passing run.
 */
export async function wasLinked(store: Store, keys: KeyRing, pr: PrFacts): Promise<boolean> {
  for (const mac of keys.signAll("record", prName("pr-linked", pr))) if ((await store.get(`pr-linked:${mac}`)) !== undefined) return true;
  return false;
}

/** As long as a push's delivery may come after a review of the head it made (redelivered after an outage). */
const REVIEWED_TTL_MS = 7 * 24 * 3_600_000;

/**
 * A review of a PR's head handled while that head had no run of the app's: the push that made it
 * was not handled yet, so the review found no link and counted nowhere. The push, when it comes,
 * reads the reviews (only then) to count it (src/handlers/pr-views.ts).
 */
export async function rememberReviewFirst(store: Store, keys: KeyRing, pr: PrFacts): Promise<void> {
  await store.set(prKey("pr-reviewed", keys, pr, `@${pr.head_sha}`), "1", REVIEWED_TTL_MS);
}

export async function reviewedFirst(store: Store, keys: KeyRing, pr: PrFacts): Promise<boolean> {
  return (await store.get(prKey("pr-reviewed", keys, pr, `@${pr.head_sha}`))) !== undefined;
}

const digest = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("base64url").slice(0, 16);

/**
 * What a gate run says, in short: its state, its words and its seal, then its summary apart. The
 * summary is part of what it says (a wording failure's title counts the places, its summary names
 * them: the CVE moved from the title to the description keeps the title); a run listed without
 * one (`null`) is compared without it, as the run's write does (src/github/check-runs.ts).
 */
const runMark = (status: string, conclusion: string | null | undefined, title: string | null, externalId: string | null, summary: string | null) =>
  `${digest([status, conclusion ?? null, title, externalId ?? ""])}${summary === null ? "" : `.${digest(summary)}`}`;

/** Whether the run as read is what the app remembers writing; a mark without a summary (an older version's) says nothing of it. */
function sameMark(mark: string, run: GateRun): boolean {
  const [state, summary] = mark.split(".");
  const [readState, readSummary] = runMark(run.status, run.conclusion, run.title, run.external_id, run.summary).split(".");
  return state === readState && (summary === undefined || readSummary === undefined || summary === readSummary);
}

const gateKey = (keys: KeyRing, pr: PrFacts) => prKey("pr-gate", keys, pr, `@${pr.head_sha}`);

/**
 * The app's gate runs on the PR's head, under the response's lock. A PR event reads them before it
 * (they carry the links that say which locks to take): when the app has written the gate since
 * (another delivery, handled at once), they are read again, one call, only then; deciding on the
 * old run, a verdict equal to it would not be written, and the other delivery's older one would stay.
 */
export async function gateRunsNow(octokit: Octokit, deps: { store: Store; keys: KeyRing; appId: () => Promise<number> }, pr: PrFacts, name: string, read?: GateRun[]): Promise<GateRun[]> {
  if (!read) return gateRuns(octokit, pr.owner, pr.repo, pr.head_sha, deps.appId);
  const mark = await deps.store.get(gateKey(deps.keys, pr));
  const run = gateRunNamed(read, name);
  // Nothing remembered (written by an older version, or the store lost): taken as read.
  if (mark === undefined || (run ? sameMark(mark, run) : mark === "")) return read;
  return gateRuns(octokit, pr.owner, pr.repo, pr.head_sha, deps.appId);
}

/** What the app has just written (or left, the same) on the PR's gate run on its head. */
export async function rememberGate(store: Store, keys: KeyRing, pr: PrFacts, check: CheckRunDecision, externalId: string): Promise<void> {
  await store.set(gateKey(keys, pr), runMark(check.status, check.status === "completed" ? check.conclusion : null, check.title, externalId, check.summary), SEEN_TTL_MS);
}
