export interface Review {
  login: string;
  state: string; // APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING
  commit_id: string | null;
  /** When it was submitted (GitHub's clock), if GitHub says. */
  submitted_at?: string | null;
}

export type GateState = "pending" | "approved" | "changes_requested";

/**
 * The merge gate: each reviewer's latest deciding review counts. Any reviewer from the team whose
 * latest says "changes requested" keeps it failing; otherwise an approval of the current head
 * opens it; an approval of an older head does not (a push needs a new look), nor one submitted
 * before `since` (the PR was retargeted then: the same head brings other commits into another base).
 */
export function gateState(reviews: Review[], isReviewer: (login: string) => boolean, headSha: string, since?: string): GateState {
  const latest = new Map<string, Review>();
  for (const review of reviews) {
    if (!isReviewer(review.login)) continue;
    if (review.state === "COMMENTED" || review.state === "PENDING") continue;
    latest.set(review.login.toLowerCase(), review);
  }
  const final = [...latest.values()];
  if (final.some((r) => r.state === "CHANGES_REQUESTED")) return "changes_requested";
  const after = (r: Review) => !since || (Boolean(r.submitted_at) && Date.parse(r.submitted_at!) > Date.parse(since));
  if (final.some((r) => r.state === "APPROVED" && r.commit_id === headSha && after(r))) return "approved";
  return "pending";
}
