import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import type { Gatekeepers } from "../github/gatekeepers.js";
import { teamMembers } from "../github/pull-requests.js";
import type { PrFacts } from "../pr/decide-pr.js";
import { needsPool, reviewerCandidates, type ReviewerFacts } from "../pr/pick-reviewers.js";
import type { LinkedPr, ResponseRecord } from "../record/response-record.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** At most this many people the config names are checked for membership before the team is listed. */
const NAMED_CHECKS = 5;

const lower = (s: string) => s.toLowerCase();

/** People the security repo's config already names, who are likely on the team: the rotation, release managers, component owners. */
function namedInConfig(security: EmbargoConfig): string[] {
  return [...security.triage_rotation, ...security.release_managers, ...Object.values(security.components).flatMap((c) => c.owners ?? [])];
}

export interface ReviewerInput {
  pr: PrFacts;
  record: ResponseRecord;
  security: EmbargoConfig;
  prConfig: EmbargoConfig;
  previous?: LinkedPr;
  gatekeepers: Gatekeepers;
  /** Of those asked before, whom a push leaves without a pending request (`reaskAfterPush`). */
  reask: string[];
}

/**
 * What picking reviewers needs to know, with the fewest calls. Nothing when they were already
 * asked for this head, or when a push left all their requests pending. After a push that did not, the people asked last time (the same candidates, and the
 * team members picked then) when no new candidate appeared and one of them can still open the
 * gate. Otherwise one membership check per
 * candidate; when none of them can open the gate, one check per person the config names; and
 * only when nobody named is on the team, one page of the team's members (just as many as will be
 * asked), so the cost never grows with the team.
 */
export async function readReviewerFacts(octokit: Octokit, input: ReviewerInput): Promise<ReviewerFacts> {
  const { pr, record, security, prConfig, previous, gatekeepers } = input;
  const asked = previous?.requested ?? [];
  // Already asked, and no push since or a push that left every request pending (`reask` is empty
  // for a head the app has handled): who else might be added is not worth the calls.
  if (asked.length && !input.reask.length) return { gatekeepers: [], pool: [] };
  const candidates = reviewerCandidates(pr, record, security);
  const isCandidate = (l: string) => candidates.some((c) => lower(c) === lower(l));
  if (asked.length && candidates.every((c) => asked.some((a) => lower(a) === lower(c)))) {
    // The same people again, if one of them can still open the gate (current data): usually one check.
    const pool = asked.filter((a) => !a.startsWith("team:") && !isCandidate(a));
    for (const login of [...pool, ...candidates]) {
      if (await gatekeepers.is(login)) return pool.includes(login) ? { gatekeepers: [], pool } : { gatekeepers: [login], pool: [] };
      if (gatekeepers.problem) return { gatekeepers: [], pool };
    }
  }
  const facts: ReviewerFacts = { gatekeepers: await gatekeepers.filter(candidates), pool: [] };
  if (!security.team || !needsPool(pr, security, facts.gatekeepers)) return facts;
  const wanted = candidates.length ? 1 : prConfig.public_pr.max_reviewers;
  const named = [...new Set(namedInConfig(security).map(lower))].filter((l) => !isCandidate(l) && l !== lower(pr.author)).slice(0, NAMED_CHECKS);
  for (const login of named) {
    if (facts.pool.length >= wanted || gatekeepers.problem) break;
    if (await gatekeepers.is(login)) facts.pool.push(login);
  }
  // Nobody the config names can open the gate: only then is the team listed, one page of `wanted + 1` (the author may be among them).
  if (facts.pool.length < wanted && !gatekeepers.problem) facts.pool.push(...(await teamMembers(octokit, security.team, wanted + 1)));
  return facts;
}
