import type { ProbotOctokit } from "probot";
import type { CheckRunDecision } from "../pr/decide-pr.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface GateRun {
  id: number;
  external_id: string | null;
  status: string;
  conclusion: string | null;
  title: string | null;
}

/** The app's gate runs on one commit: one call, whatever the number of issues or PRs. */
export async function gateRuns(octokit: Octokit, owner: string, repo: string, sha: string, name: string): Promise<GateRun[]> {
  const { data } = await octokit.rest.checks.listForRef({ owner, repo, ref: sha, check_name: name, filter: "latest", per_page: 10 });
  return data.check_runs.map((r) => ({ id: r.id, external_id: r.external_id, status: r.status, conclusion: r.conclusion, title: r.output?.title ?? null }));
}

/** Creates or updates the gate run on the head commit; a run that already says the same costs nothing. */
export async function upsertGateRun(
  octokit: Octokit,
  target: { owner: string; repo: string; head_sha: string; name: string; external_id: string },
  existing: GateRun | undefined,
  check: CheckRunDecision,
): Promise<void> {
  const output = { title: check.title, summary: check.summary };
  const conclusion = check.status === "completed" ? check.conclusion : undefined;
  if (existing && existing.status === check.status && (existing.conclusion ?? undefined) === conclusion && existing.title === check.title && existing.external_id === target.external_id) return;
  if (existing) {
    await octokit.rest.checks.update({
      owner: target.owner,
      repo: target.repo,
      check_run_id: existing.id,
      status: check.status,
      ...(conclusion ? { conclusion, completed_at: new Date().toISOString() } : {}),
      external_id: target.external_id,
      output,
    });
    return;
  }
  await octokit.rest.checks.create({
    owner: target.owner,
    repo: target.repo,
    name: target.name,
    head_sha: target.head_sha,
    status: check.status,
    ...(conclusion ? { conclusion, completed_at: new Date().toISOString() } : {}),
    external_id: target.external_id,
    output,
  });
}

/**
 * Asks for reviews. GitHub refuses the whole request when one reviewer is not a collaborator
 * (422); then each is asked alone, and whoever is refused is logged and skipped.
 */
export async function requestReviews(
  octokit: Octokit,
  pr: { owner: string; repo: string; pull_number: number },
  reviewers: string[],
  teamReviewers: string[],
  log: (message: string) => void,
): Promise<string[]> {
  if (!reviewers.length && !teamReviewers.length) return [];
  const asked = [...reviewers, ...teamReviewers.map((t) => `team:${t}`)];
  try {
    await octokit.rest.pulls.requestReviewers({ ...pr, reviewers, team_reviewers: teamReviewers });
    return asked;
  } catch (error) {
    if ((error as { status?: number }).status !== 422) throw error;
  }
  const done: string[] = [];
  for (const one of asked) {
    const team = one.startsWith("team:");
    try {
      await octokit.rest.pulls.requestReviewers({ ...pr, ...(team ? { team_reviewers: [one.slice(5)] } : { reviewers: [one] }) });
      done.push(one);
    } catch (error) {
      if ((error as { status?: number }).status !== 422) throw error;
      log(`review request refused for ${one} on ${pr.owner}/${pr.repo}#${pr.pull_number}`);
      // Recorded as asked all the same: asking again on every event would only repeat the refusal.
      done.push(one);
    }
  }
  return done;
}
