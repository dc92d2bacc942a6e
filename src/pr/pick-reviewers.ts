import type { Review } from "./review-gate.js";
import type { EmbargoConfig } from "../config/config-schema.js";
import type { ResponseRecord } from "../record/response-record.js";
import type { PrFacts } from "./decide-pr.js";

/** What the reads found out about possible reviewers. */
export interface ReviewerFacts {
  /** Of `reviewerCandidates`, those whose approval opens the gate. */
  gatekeepers: string[];
  /** Members of the security team the app may add when no candidate counts (read only then). */
  pool: string[];
}

const lower = (s: string) => s.toLowerCase();

function unique(logins: string[]): string[] {
  const seen = new Set<string>();
  return logins.filter((l) => l && !seen.has(lower(l)) && Boolean(seen.add(lower(l))));
}

/**
 * Who should review a fix, by login (a login reveals less than a team called "security"): the
 * response's owner, its experts, then the owners of the affected components. Never the author.
 */
export function reviewerCandidates(pr: PrFacts, record: ResponseRecord, security: EmbargoConfig): string[] {
  const owners = record.components.flatMap((c) => security.components[c]?.owners ?? []);
  return unique([...(record.triager ? [record.triager] : []), ...record.experts, ...owners]).filter((l) => lower(l) !== lower(pr.author));
}

function teamFor(pr: PrFacts, security: EmbargoConfig, prConfig: EmbargoConfig): string | undefined {
  const team = pr.private ? security.team : prConfig.public_pr.review_team;
  if (!team) return undefined;
  const [org, slug] = team.split("/") as [string, string];
  // GitHub takes team reviewers only from the PR's own organization.
  return org.toLowerCase() === pr.owner.toLowerCase() ? slug : undefined;
}

/** True when the candidates hold nobody whose approval counts, so team members must be added. */
export function needsPool(pr: PrFacts, security: EmbargoConfig, gatekeepers: string[]): boolean {
  const securityTeamAsked = pr.private && Boolean(teamFor(pr, security, security));
  return !securityTeamAsked && gatekeepers.length === 0;
}

/**
 * The reviewers a linked PR should have. With nobody to ask by login, up to
 * `public_pr.max_reviewers` members of the security team; with candidates of whom none may open
 * the gate, one team member more, so that at least one request can lead to an open gate.
 */
export function wantedReviewers(pr: PrFacts, record: ResponseRecord, security: EmbargoConfig, prConfig: EmbargoConfig, facts: ReviewerFacts) {
  const team = teamFor(pr, security, prConfig);
  const candidates = reviewerCandidates(pr, record, security);
  let reviewers = candidates;
  if (needsPool(pr, security, facts.gatekeepers)) {
    const pool = unique(facts.pool).filter((l) => lower(l) !== lower(pr.author) && !candidates.some((c) => lower(c) === lower(l)));
    reviewers = [...candidates, ...pool.slice(0, candidates.length ? 1 : prConfig.public_pr.max_reviewers)];
  }
  return { reviewers, teamReviewers: team ? [team] : [] };
}

/**
 * Who to ask again for a head the app has not seen yet (a push): of the people and teams asked
 * before, those GitHub no longer lists as requested (`pr` is the event's view of the PR). A
 * request survives a push; it is gone once its reviewer submitted a review (of the old head, which
 * no longer counts) or was removed by hand. Nobody once the app has handled this head (its gate
 * run is on it), so a redelivered push asks nobody twice.
 */
export function reaskAfterPush(pr: PrFacts, previous: { head_sha?: string; requested?: string[] } | undefined, headHandled: boolean): string[] {
  if (headHandled || !previous?.head_sha || previous.head_sha === pr.head_sha) return [];
  const pending = new Set(pr.requested_reviewers.map(lower));
  const teams = new Set(pr.requested_teams.map(lower));
  return (previous.requested ?? []).filter((a) => (a.startsWith("team:") ? !teams.has(lower(a.slice(5))) : !pending.has(lower(a))));
}

/**
 * Of those a push leaves to ask again, whoever has not reviewed its head already: a review handled
 * before the push (GitHub dropped their request) is of this head, not an older one; a dismissed
 * one is no look (the gate waits for theirs, so they are asked). `reviews`: undefined when this
 * sync did not read them (none is read for this).
 */
export function notReviewedHead(reask: string[], reviews: readonly Review[] | undefined, headSha: string): string[] {
  if (!reviews) return reask;
  const reviewed = new Set(reviews.filter((r) => r.commit_id === headSha && r.state !== "PENDING" && r.state !== "DISMISSED").map((r) => lower(r.login)));
  return reask.filter((who) => !reviewed.has(lower(who)));
}
