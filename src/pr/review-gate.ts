export interface Review {
  id?: number;
  login: string;
  state: string; // APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING
  commit_id: string | null;
  /** When it was submitted (GitHub's clock), if GitHub says. */
  submitted_at?: string | null;
}

export type GateState = "pending" | "approved" | "changes_requested";

/** A review dismissed, as the PR's timeline tells: what it said, and who dismissed it. */
export interface Dismissal {
  review_id: number;
  state: string;
  by: string;
}

const deciding = (r: Review) => r.state !== "COMMENTED" && r.state !== "PENDING";

/** Whether some reviewer who counts has a dismissed review as their latest word: only then does who dismissed it matter. */
export function latestDismissed(reviews: Review[], isReviewer: (login: string) => boolean): boolean {
  const latest = new Map<string, Review>();
  for (const review of reviews) if (isReviewer(review.login) && deciding(review)) latest.set(review.login.toLowerCase(), review);
  return [...latest.values()].some((r) => r.state === "DISMISSED");
}

/**
 * A request for changes dismissed by someone who may not open the gate still stands: anyone with
 * write access can dismiss a review, and only the team lifts the team's objection (its reviewer
 * approving, or another member dismissing it).
 */
export function reinstateDismissed(reviews: Review[], dismissals: Dismissal[], mayLift: (login: string) => boolean): Review[] {
  return reviews.map((r) => {
    if (r.state !== "DISMISSED" || r.id === undefined) return r;
    const dismissal = dismissals.find((d) => d.review_id === r.id);
    return dismissal && dismissal.state.toLowerCase() === "changes_requested" && !mayLift(dismissal.by) ? { ...r, state: "CHANGES_REQUESTED" } : r;
  });
}

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
    if (!deciding(review)) continue;
    latest.set(review.login.toLowerCase(), review);
  }
  const final = [...latest.values()];
  if (final.some((r) => r.state === "CHANGES_REQUESTED")) return "changes_requested";
  const after = (r: Review) => !since || (Boolean(r.submitted_at) && Date.parse(r.submitted_at!) > Date.parse(since));
  if (final.some((r) => r.state === "APPROVED" && r.commit_id === headSha && after(r))) return "approved";
  return "pending";
}
