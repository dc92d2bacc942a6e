import type { CheckRunDecision } from "./decide-pr.js";

/** GitHub's merge-queue branch: `gh-readonly-queue/<base>/pr-<number>-<head sha>`, with or without `refs/heads/`. */
const QUEUE_REF = /^(?:refs\/heads\/)?gh-readonly-queue\/.+\/pr-(\d+)-[0-9a-f]{40}$/;

/** The PR numbers a merge group's head ref names (none for a ref of another shape). */
export function mergeGroupPulls(headRef: string): number[] {
  const m = QUEUE_REF.exec(headRef);
  return m ? [Number(m[1])] : [];
}

/** The app's gate on one PR's head as GitHub has it now; undefined when there is none (or the PR is gone or closed). */
export type PullGate = { status: string; conclusion: string | null } | undefined;

/** Conclusions GitHub counts as a passing required check; `neutral` is a released response's. */
const PASSING = new Set(["success", "neutral"]);

/**
 * The gate on a merge group's commit: passing only when the group names its PRs and each has a
 * completed, passing gate of the app's on its head now. Anything else blocks, in words that say
 * nothing of why (a group may hold a fix PR, and a merge queue is public where its repo is).
 */
export function decideMergeGroup(gates: PullGate[]): CheckRunDecision {
  const open = gates.length > 0 && gates.every((g) => g !== undefined && g.status === "completed" && PASSING.has(g.conclusion ?? ""));
  return open
    ? { status: "completed", conclusion: "success", title: "Ready to merge", summary: "Every change in this group passed this check." }
    : { status: "completed", conclusion: "action_required", title: "Waiting for review", summary: "A change in this group has not passed this check yet. It is checked again when the group is queued again." };
}
