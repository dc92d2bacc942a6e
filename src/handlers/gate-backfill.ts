import type { ProbotOctokit } from "probot";
import { gateRuns } from "../github/check-runs.js";
import { httpStatus, isTransient } from "../github/http-status.js";
import { openPulls, watchRateLimit, type ListedPull } from "../github/open-pulls.js";
import { readConfigFrom } from "../github/read-config.js";
import { prFacts } from "./pr-facts.js";
import type { Deps } from "./response-context.js";
import { gateEveryPr, gateUnlinked } from "./unlinked-gate.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * Requests of the installation's hourly limit a backfill leaves untouched: the app's events share
 * that limit, and a fix PR's gate must not wait an hour for a backfill of ordinary PRs.
 */
export const RATE_RESERVE = 1000;

export interface BackfillOptions {
  /** Go on from this PR number (a run stopped before it): the PRs below are listed, not judged. */
  from?: number;
  reserve?: number;
}

export interface BackfillReport {
  repo: string;
  /** Open PRs judged (one read of their head's runs each). */
  judged: number;
  /** Of those, the ones given the passing run. */
  written: number;
  /** PRs GitHub refused one read or write for (a 4xx that says nothing of the next PR), with its status: left to their next event. */
  refused?: { number: number; status: number }[];
  /** `public_pr.gate_every_pr` is false there: no PR was listed. */
  off?: boolean;
  /**
   * Stopped before the PR `at` (go on with `from: at`): the rate limit's reserve was reached
   * (`reset`), or `error`; `listing` when it was reading the list of open PRs (`at` is then the
   * number after the last PR it came to, not necessarily a PR).
   */
  stopped?: { at: number; reset?: Date; error?: string; listing?: boolean };
}

const firstLine = (error: unknown) => (error as Error).message.split("\n")[0] ?? "";

/**
 * `embargo backfill owner/repo`: every open PR of a repository judged as a PR event that changes
 * no text (a review) judges it, so PRs opened before the gate's passing run existed get it now
 * rather than on their next push or edit. The decision is the event's own (`gateUnlinked`): a head
 * with a run of the app's (a linked PR's gate, a passing run already there) gets nothing more, nor
 * does a PR the app gated once (its witnesses), and a broken config judges by the defaults. No
 * self-link is tried and no linked PR is synced: the tick keeps those. Cost: the config (once),
 * two list pages per 100 open PRs (src/github/open-pulls.ts), one read per PR's head, one create per PR given the run; a second
 * run creates nothing. Stops before `reserve` requests are left of the rate limit.
 */
export async function backfillGate(deps: Deps, octokit: Octokit, owner: string, repo: string, options: BackfillOptions = {}): Promise<BackfillReport> {
  const report: BackfillReport = { repo: `${owner}/${repo}`, judged: 0, written: 0 };
  // Read once for every PR (an event reads it per PR, conditionally): the same file judges them all.
  const config = await readConfigFrom(octokit, owner, repo, deps.store);
  if (!gateEveryPr(config)) return { ...report, off: true };
  const rate = watchRateLimit(octokit);
  const reserve = options.reserve ?? RATE_RESERVE;
  const from = options.from ?? 1;
  const pulls = openPulls(octokit, owner, repo, from - 1);
  // The PR after the last one judged or refused: where a run stopped while listing goes on from.
  let next = from;
  for (;;) {
    let listed: IteratorResult<ListedPull>;
    try {
      listed = await pulls.next();
    } catch (error) {
      if (!isTransient(error)) throw error;
      return { ...report, stopped: { at: next, listing: true, error: firstLine(error) } };
    }
    if (listed.done) break;
    const pull = listed.value;
    const { remaining, reset } = rate();
    if (remaining !== undefined && remaining < reserve) return { ...report, stopped: { at: pull.number, ...(reset ? { reset } : {}) } };
    next = pull.number + 1;
    try {
      const pr = prFacts(pull, pull.base.repo);
      const runs = await gateRuns(octokit, owner, repo, pr.head_sha, deps.appId);
      if (await gateUnlinked(deps, octokit, pr, runs, async () => config)) report.written++;
    } catch (error) {
      // A rate limit or an outage refuses the next PR too: stop there, to go on from it later.
      if (isTransient(error)) return { ...report, stopped: { at: pull.number, error: firstLine(error) } };
      // One PR refused (its head gone, a 422): stopping would stop every later run at it too.
      (report.refused ??= []).push({ number: pull.number, status: httpStatus(error)! });
      continue;
    }
    report.judged++;
  }
  return report;
}
