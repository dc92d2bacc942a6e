import type { CheckRunDecision, PrDecision } from "./decide-pr.js";

const RANK: Record<string, number> = { failure: 0, action_required: 1, success: 2, neutral: 3 };

function rank(check: CheckRunDecision): number {
  return check.status === "completed" ? (RANK[check.conclusion ?? "neutral"] ?? 1) : 1;
}

/**
 * One PR, several responses: the gate opens only when every response it belongs to is satisfied,
 * so the most blocking check wins; labels and reviewers are the union, and a label one response
 * releases stays while another still wants it.
 */
export function combineDecisions(decisions: PrDecision[]): PrDecision {
  const [first, ...rest] = decisions;
  if (!first) throw new Error("combineDecisions needs at least one decision");
  const lower = (s: string) => s.toLowerCase();
  const unique = (list: string[]) => list.filter((x, i) => list.findIndex((y) => lower(y) === lower(x)) === i);
  const add = unique(decisions.flatMap((d) => d.addLabels));
  // A label one response still wants stays, whether it is to be added or is there already.
  const wanted = [...add, ...decisions.flatMap((d) => d.keepLabels ?? [])];
  return {
    addLabels: add,
    removeLabels: unique(decisions.flatMap((d) => d.removeLabels)).filter((l) => !wanted.some((a) => lower(a) === lower(l))),
    reviewers: unique(decisions.flatMap((d) => d.reviewers)),
    teamReviewers: unique(decisions.flatMap((d) => d.teamReviewers)),
    withdrawTeams: unique(decisions.flatMap((d) => d.withdrawTeams ?? [])).filter((t) => !decisions.some((d) => d.teamReviewers.some((w) => lower(w) === lower(t)))),
    check: rest.reduce((best, d) => (rank(d.check) < rank(best) ? d.check : best), first.check),
  };
}
