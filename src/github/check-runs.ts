import type { ProbotOctokit } from "probot";
import type { CheckRunDecision } from "../pr/decide-pr.js";
import { isRateLimited } from "./http-status.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface GateRun {
  id: number;
  name: string;
  external_id: string | null;
  status: string;
  conclusion: string | null;
  title: string | null;
  summary: string | null;
}

/**
 * The app's own gate runs on one commit: one call, whatever the number of issues or PRs, and no
 * config needed to make it (the runs are asked by the app's id, not by the configured name, so an
 * unlinked PR whose head has its passing run costs this one call). Runs by another app or a
 * workflow are never returned, and are dropped again here: anyone with write access can create one, and its external_id must never
 * reach the link sealer.
 */
export async function gateRuns(octokit: Octokit, owner: string, repo: string, sha: string, appId: () => Promise<number>): Promise<GateRun[]> {
  const id = await appId();
  const { data } = await octokit.rest.checks.listForRef({ owner, repo, ref: sha, app_id: id, filter: "latest", per_page: 10 });
  return data.check_runs
    .filter((r) => r.app?.id === id)
    .map((r) => ({ id: r.id, name: r.name, external_id: r.external_id, status: r.status, conclusion: r.conclusion, title: r.output?.title ?? null, summary: r.output?.summary ?? null }));
}

/** Of the app's runs on a commit, the gate under the name the PR's repo configures now, else another of its gates (renamed on update). */
export function gateRunNamed(runs: GateRun[], name: string): GateRun | undefined {
  return runs.find((r) => r.name === name) ?? runs[0];
}

/** Creates or updates the gate run on the head commit; a run that already says the same costs nothing. */
export async function upsertGateRun(
  octokit: Octokit,
  target: { owner: string; repo: string; head_sha: string; name: string; external_id: string; details_url?: string },
  existing: GateRun | undefined,
  check: CheckRunDecision,
  now: Date,
): Promise<void> {
  const output = { title: check.title, summary: check.summary };
  const conclusion = check.status === "completed" ? check.conclusion : undefined;
  // A run found under another name (the repo renamed its gate) is renamed rather than left blocking.
  const renamed = Boolean(existing && (existing.name ?? target.name) !== target.name);
  const same =
    existing &&
    !renamed &&
    existing.status === check.status &&
    (existing.conclusion ?? undefined) === conclusion &&
    existing.title === check.title &&
    (existing.summary === null || existing.summary === check.summary) &&
    (existing.external_id ?? "") === target.external_id;
  if (same) return;
  // action_required sends people to details_url: the PR itself, which says nothing new.
  const details = target.details_url ? { details_url: target.details_url } : {};
  const completion = conclusion ? { conclusion, completed_at: now.toISOString() } : {};
  // A run without a link (an unlinked PR's, a merge group's) carries none at all: never a seal of nothing.
  const sealed = target.external_id ? { external_id: target.external_id } : {};
  if (existing) {
    await octokit.rest.checks.update({ owner: target.owner, repo: target.repo, check_run_id: existing.id, ...(renamed ? { name: target.name } : {}), status: check.status, ...completion, ...details, ...sealed, output });
    return;
  }
  await octokit.rest.checks.create({ owner: target.owner, repo: target.repo, name: target.name, head_sha: target.head_sha, status: check.status, ...completion, ...details, ...sealed, output });
}

function status(error: unknown): number | undefined {
  return (error as { status?: number }).status;
}

/** Withdraws team review requests; one GitHub no longer lists (answered, removed by hand) is no failure. */
export async function withdrawTeamReviews(octokit: Octokit, pr: { owner: string; repo: string; pull_number: number }, teams: string[], log: (message: string) => void): Promise<void> {
  if (!teams.length) return;
  try {
    await octokit.rest.pulls.removeRequestedReviewers({ ...pr, reviewers: [], team_reviewers: teams });
  } catch (error) {
    if (![422, 404].includes(status(error) ?? 0) || isRateLimited(error)) throw error;
    log(`withdrawing the review request of ${teams.join(", ")} on ${pr.owner}/${pr.repo}#${pr.pull_number}: ${status(error)}; skipped`);
  }
}

/**
 * Asks for reviews. GitHub refuses the whole request when one reviewer is not a collaborator
 * (422); then each is asked alone, and whoever is refused (422, 403, 404) is skipped and passed to
 * `refused` with GitHub's status (said in the security issue): one reviewer never stops the others.
 */
export async function requestReviews(
  octokit: Octokit,
  pr: { owner: string; repo: string; pull_number: number },
  reviewers: string[],
  teamReviewers: string[],
  log: (message: string) => void,
  refused: (who: string, status: number) => void = () => undefined,
): Promise<string[]> {
  reviewers = reviewers.filter(Boolean);
  teamReviewers = teamReviewers.filter(Boolean);
  if (!reviewers.length && !teamReviewers.length) return [];
  const asked = [...reviewers, ...teamReviewers.map((t) => `team:${t}`)];
  try {
    await octokit.rest.pulls.requestReviewers({ ...pr, reviewers, team_reviewers: teamReviewers });
    return asked;
  } catch (error) {
    if (![422, 403, 404].includes(status(error) ?? 0) || isRateLimited(error)) throw error;
  }
  const done: string[] = [];
  for (const one of asked) {
    const team = one.startsWith("team:");
    try {
      await octokit.rest.pulls.requestReviewers({ ...pr, ...(team ? { team_reviewers: [one.slice(5)] } : { reviewers: [one] }) });
    } catch (error) {
      if (![422, 403, 404].includes(status(error) ?? 0) || isRateLimited(error)) throw error;
      log(`review request refused for ${one} on ${pr.owner}/${pr.repo}#${pr.pull_number}`);
      refused(one, status(error)!);
    }
    // Recorded as asked either way: asking again on every event would only repeat the refusal.
    done.push(one);
  }
  return done;
}
