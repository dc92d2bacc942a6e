import type { KeyRing } from "../security/key-ring.js";
import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import { Gatekeepers } from "../github/gatekeepers.js";
import { getIssue, listReviews, prCommits, teamMembers, type IssueSummary } from "../github/pull-requests.js";
import type { PrFacts } from "../pr/decide-pr.js";
import { findLeaks, type LeakFinding } from "../pr/leak-check.js";
import { needsPool, reviewerCandidates, type ReviewerFacts } from "../pr/pick-reviewers.js";
import { parseIssueKey } from "../pr/pr-link.js";
import { gateState, type GateState, type Review } from "../pr/review-gate.js";
import { CLOSED_STATES, type LinkedPr, type ResponseRecord } from "../record/response-record.js";
import { loadResponse, type LoadedResponse } from "./response-context.js";
import { readConfigFrom } from "../github/read-config.js";

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
  reviewerFacts: ReviewerFacts;
  /** Why the reviewers cannot be verified (the team cannot be read), for the config reply. */
  reviewerProblem?: string;
  previous?: LinkedPr;
}

/** Reads about the PR itself, made at most once per sync whatever the number of responses. */
export function prReads(octokit: Octokit, pr: PrFacts) {
  const ref = { owner: pr.owner, repo: pr.repo, pull_number: pr.number };
  let reviews: Promise<Review[]> | undefined;
  let commits: Promise<{ sha: string; message: string }[]> | undefined;
  return {
    reviews: () => (reviews ??= listReviews(octokit, ref)),
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
  reads: ReturnType<typeof prReads>;
}

/**
 * One response's view of the PR: its config, record and issue, the gate as its reviewers see it,
 * and the wording check against its secrets. Undefined when the response is gone or is none: its
 * link is then dropped.
 */
export async function readResponseView(input: ViewInput): Promise<ResponseView | undefined> {
  const { octokit, pr } = input;
  const issue = parseIssueKey(input.key);
  if (!issue) return undefined;
  const sameRepo = issue.owner.toLowerCase() === pr.owner.toLowerCase() && issue.repo.toLowerCase() === pr.repo.toLowerCase();
  const result = input.security ? { ok: true as const, config: input.security } : sameRepo ? { ok: true as const, config: input.prConfig } : await readConfigFrom(octokit, issue.owner, issue.repo);
  if (!result.ok) return undefined;
  const security = result.config;
  const summary = await getIssue(octokit, issue);
  if (!summary) return undefined;
  const loaded = await loadResponse(octokit, issue, security, input.botLogin, input.keys);
  const record = loaded.record;
  if (!record) return undefined;

  const gatekeepers = new Gatekeepers(octokit, security, { owner: issue.owner, repo: issue.repo });
  const reviews = await input.reads.reviews();
  const counted = new Set((await gatekeepers.filter([...new Set(reviews.map((r) => r.login))])).map((l) => l.toLowerCase()));
  const gate = gateState(reviews, (login) => counted.has(login.toLowerCase()), pr.head_sha);

  const released = !summary.open || CLOSED_STATES.includes(record.state);
  const slot = `${pr.owner}/${pr.repo}`.toLowerCase();
  const previous = record.prs.find((p) => p.repo.toLowerCase() === slot && p.number === pr.number);
  // Reviewers were already asked for this head: who else might be added is not worth the calls.
  const askedThisHead = Boolean(previous?.requested?.length) && previous?.head_sha === pr.head_sha;
  const reviewerFacts: ReviewerFacts = { gatekeepers: [], pool: [] };
  if (!released && pr.open && !askedThisHead) {
    reviewerFacts.gatekeepers = await gatekeepers.filter(reviewerCandidates(pr, record, security));
    if (security.team && needsPool(pr, security, reviewerFacts.gatekeepers)) {
      reviewerFacts.pool = await teamMembers(octokit, security.team, input.prConfig.public_pr.max_reviewers + 1);
    }
  }
  const leaks =
    pr.private || released
      ? []
      : findLeaks(
          { title: pr.title, body: pr.body, branch: pr.head_ref, commits: await input.reads.commits() },
          { issueKey: input.key, issueUrls: [summary.html_url, summary.url], cve: record.cve, ghsa: record.ghsa, words: input.prConfig.public_pr.leak_words },
        );
  return { key: input.key, issue, security, loaded, record, summary, gate, leaks, reviewerFacts, reviewerProblem: gatekeepers.problem, previous };
}
