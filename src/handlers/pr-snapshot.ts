import type { ProbotOctokit } from "probot";
import { getPull } from "../github/pull-requests.js";
import type { PrFacts } from "../pr/decide-pr.js";
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

const prName = (kind: "pr-seen" | "pr-linked", pr: PrFacts) => `${kind}:${pr.repo_id ?? `${pr.owner}/${pr.repo}`.toLowerCase()}#${pr.number}`;

/** A store key about one PR, by a MAC of its key, so the store does not list which public PRs are fixes. */
const prKey = (kind: "pr-seen" | "pr-linked", keys: KeyRing, pr: PrFacts) => `${kind}:${keys.sign("record", prName(kind, pr))}`;

/**
 * A linked PR as GitHub has it now, when the event's copy (`updated_at`) is not newer than one the
 * app already handled: a redelivered or late delivery must not put back an old title (and open a gate
 * the wording check closed since), an open state after the merge, or old labels and requests.
 * Undefined when the event's copy is the newest seen: no read. One read of GitHub only then.
 */
export async function newerPull(octokit: Octokit, store: Store, keys: KeyRing, facts: PrFacts, updatedAt: string | undefined, repository: Parameters<typeof prFacts>[1]): Promise<PrFacts | undefined> {
  const at = Date.parse(updatedAt ?? "");
  if (!Number.isFinite(at)) return undefined;
  const key = prKey("pr-seen", keys, facts);
  // Equal is no proof of the same copy: `updated_at` has whole seconds, and an edit in the second
  // of a review leaves that review's copy with the old title and the edit's time.
  if (await store.setIfHigher(key, at, SEEN_TTL_MS)) return undefined;
  const pull = await getPull(octokit, { owner: facts.owner, repo: facts.repo, pull_number: facts.number });
  return pull ? { ...prFacts(pull as unknown as PullLike, repository), private: facts.private } : undefined;
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
