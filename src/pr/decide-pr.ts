import type { EmbargoConfig } from "../config/config-schema.js";
import { CLOSED_STATES, type ResponseRecord } from "../record/response-record.js";
import { SEVERITY_LABEL_PREFIX } from "../response/effects.js";
import type { LeakFinding } from "./leak-check.js";
import { wantedReviewers, type ReviewerFacts } from "./pick-reviewers.js";
import type { GateState } from "./review-gate.js";

export interface PrFacts {
  owner: string;
  repo: string;
  /** GitHub's id of the repository: kept through a rename or transfer, when the name is not. */
  repo_id?: number;
  number: number;
  private: boolean;
  author: string;
  base: string;
  /** The repository's default branch, for the "patched on the default branch" item. */
  default_branch?: string;
  head_sha: string;
  head_ref: string;
  open: boolean;
  merged: boolean;
  labels: string[];
  requested_reviewers: string[];
  requested_teams: string[];
  title: string;
  body: string;
  /** For the compare API past 250 commits, and the gate's neutral details link. */
  base_sha?: string;
  commits?: number;
  html_url?: string;
}

export interface CheckRunDecision {
  status: "in_progress" | "completed";
  conclusion?: "success" | "failure" | "neutral" | "action_required";
  title: string;
  summary: string;
}

export interface PrDecision {
  addLabels: string[];
  /** Labels this response wants on the PR, present already or not: another response's release must not take them off. */
  keepLabels?: string[];
  removeLabels: string[];
  reviewers: string[];
  teamReviewers: string[];
  /** Team review requests to withdraw: the security team's, asked for while the PR's repository was private. */
  withdrawTeams?: string[];
  /** Wanted reviewers GitHub already lists as requested though the record does not know them (a lost answer): remembered as asked. */
  pendingWanted?: string[];
  check: CheckRunDecision;
}

/** Whether a response's issue is closed while its record is not: a close nobody handled yet. */
export const closeUnhandled = (issueOpen: boolean, record: ResponseRecord): boolean => !issueOpen && !CLOSED_STATES.includes(record.state);

/**
 * Whether a response's issue is open while its record says a person closed it: a reopen nobody
 * handled yet (its `issues.reopened` failed or never came). The response goes on; its gates must
 * not stay released on the record of a close that was undone.
 */
export const reopenUnhandled = (issueOpen: boolean, record: ResponseRecord): boolean => issueOpen && record.state === "closed" && record.closed_by_hand !== undefined;

/**
 * What a linked PR should carry. Everything here may end up on a public PR, so its texts are
 * fixed phrases and configured neutral names: no issue number, no CVE, no "security".
 */
export function decidePr(input: {
  pr: PrFacts;
  record: ResponseRecord;
  security: EmbargoConfig;
  prConfig: EmbargoConfig;
  gate: GateState;
  leaks: LeakFinding[];
  alreadyRequested: string[];
  /** Asked before, to be asked again: after a push, those whose request is no longer pending ("team:slug" for a team). */
  reask: string[];
  reviewerFacts: ReviewerFacts;
  /** Who may approve cannot be verified (the configured team cannot be read). */
  reviewerProblem?: boolean;
  /** The PR's repository has an invalid config: the gate cannot be evaluated. */
  configProblem?: boolean;
  /** The record's line says the PR was private when last synced: its severity label is the app's. */
  wasPrivate?: boolean;
}): PrDecision {
  const { pr, record, security, prConfig, gate, leaks } = input;
  const priority = prConfig.public_pr.priority_label;
  const severityLabel = pr.private && record.severity ? `${SEVERITY_LABEL_PREFIX}${record.severity}` : undefined;
  // Only the record ends a response. An issue closed while its record is open is a close not
  // handled yet (a closing keyword's, or one whose webhook was lost): the gate keeps waiting, and
  // says only what it always says, until that close is judged (src/handlers/unhandled-close.ts).
  const released = CLOSED_STATES.includes(record.state);
  const has = (l: string) => pr.labels.some((x) => x.toLowerCase() === l.toLowerCase());
  // A repository made public since keeps what the app put on its private PR unless taken off:
  // the severity of an unannounced issue, on a PR anyone can now read.
  const ownSeverity = (l: string) => (pr.private || input.wasPrivate === true) && l.toLowerCase().startsWith(SEVERITY_LABEL_PREFIX);
  // So does the security team's review request (a public PR asks `public_pr.review_team`, a login list otherwise).
  const [teamOrg, teamSlug] = (security.team ?? "").toLowerCase().split("/");
  const publicTeam = prConfig.public_pr.review_team?.toLowerCase();
  const withdrawTeams = !pr.private && input.wasPrivate === true && teamOrg === pr.owner.toLowerCase() && publicTeam !== `${teamOrg}/${teamSlug}` ? pr.requested_teams.filter((t) => t.toLowerCase() === teamSlug) : [];

  if (released) {
    const success = record.state === "announced";
    return {
      addLabels: [],
      removeLabels: [priority, ...pr.labels.filter(ownSeverity)].filter(has),
      reviewers: [],
      teamReviewers: [],
      withdrawTeams,
      check: success
        ? { status: "completed", conclusion: "success", title: "Released", summary: "The review this change waited for is complete." }
        : { status: "completed", conclusion: "neutral", title: "No longer gated", summary: "This change no longer needs the extra review." },
    };
  }

  const wanted = wantedReviewers(pr, record, security, prConfig, input.reviewerFacts);
  const asked = new Set([...input.alreadyRequested, ...pr.requested_reviewers].map((l) => l.toLowerCase()));
  const askedTeams = new Set(pr.requested_teams.map((t) => t.toLowerCase()));
  const reask = new Set(input.reask.map((l) => l.toLowerCase()));
  const reviewers = pr.open ? wanted.reviewers.filter((l) => reask.has(l.toLowerCase()) || !asked.has(l.toLowerCase())) : [];
  const teamReviewers = pr.open ? wanted.teamReviewers.filter((t) => reask.has(`team:${t.toLowerCase()}`) || (!askedTeams.has(t.toLowerCase()) && !asked.has(`team:${t.toLowerCase()}`))) : [];

  let check: CheckRunDecision;
  if (!pr.private && leaks.length) {
    check = {
      status: "completed",
      conclusion: "failure",
      title: `Wording needs a change (${leaks.length})`,
      summary: wordingSummary(leaks),
    };
  } else if (input.configProblem) {
    check = blocked("Configuration needs a fix", "This repository's configuration file for this app is invalid, so this check cannot be evaluated. It is evaluated again on the next change to this pull request once the file is fixed.");
  } else if (gate === "changes_requested") {
    check = { status: "completed", conclusion: "failure", title: "Changes requested", summary: "A required reviewer asked for changes. The gate opens when they approve the current head commit." };
  } else if (gate === "approved") {
    check = { status: "completed", conclusion: "success", title: "Approved", summary: "A required reviewer approved the current head commit." };
  } else if (input.reviewerProblem) {
    check = blocked("Reviewers cannot be verified", "The app cannot check who may approve this change, so it keeps waiting. The maintainers have been told.");
  } else {
    check = blocked("Waiting for review", "Waiting for a required reviewer to approve the current head commit. A new push needs a new approval.");
  }
  const known = new Set(input.alreadyRequested.map((l) => l.toLowerCase()));
  const pendingWanted = pr.open
    ? [
        ...wanted.reviewers.filter((l) => !known.has(l.toLowerCase()) && pr.requested_reviewers.some((r) => r.toLowerCase() === l.toLowerCase())),
        ...wanted.teamReviewers.filter((t) => !known.has(`team:${t.toLowerCase()}`) && askedTeams.has(t.toLowerCase())).map((t) => `team:${t}`),
      ]
    : [];
  return {
    pendingWanted,
    addLabels: pr.open ? [priority, ...(severityLabel ? [severityLabel] : [])].filter((l) => !has(l)) : [],
    keepLabels: pr.open ? [priority, ...(severityLabel ? [severityLabel] : [])] : [],
    removeLabels: pr.labels.filter((l) => ownSeverity(l) && l !== severityLabel),
    reviewers,
    teamReviewers,
    withdrawTeams,
    check,
  };
}

/**
 * An open PR no response is linked to gets a passing run of the gate, so that the check can be
 * required (GitHub waits forever for a required check nobody reports) and a fix PR is not the one
 * PR that has it. It says only what any PR could: no link, no response, no "security". Nothing is
 * written where the head has a run of the app's already (a redelivery, another PR's gate on a
 * shared head), for a closed PR, when the repo turned it off, or for a PR the app once gated (a
 * linked PR whose pushes the app missed: its gate waits for the tick, which finds the links).
 */
export function decideUnlinked(input: { open: boolean; enabled: boolean; headHasRun: boolean; onceLinked: boolean }): CheckRunDecision | undefined {
  if (!input.open || !input.enabled || input.headHasRun || input.onceLinked) return undefined;
  return NO_REVIEW_NEEDED;
}

/** The unlinked PR's gate: the same words on every such PR. */
export const NO_REVIEW_NEEDED: CheckRunDecision = Object.freeze({ status: "completed", conclusion: "success", title: "No review needed", summary: "This change needs no extra review." });

/** Places listed in the gate's summary: GitHub refuses a summary over 65,535 characters, and then the gate is not written at all. */
const LISTED_LEAKS = 50;

function wordingSummary(leaks: LeakFinding[]): string {
  const listed = leaks.slice(0, LISTED_LEAKS).map((l) => `- ${l.place}: ${l.rule}`);
  const rest = leaks.length - listed.length;
  if (rest > 0) listed.push(`- and ${rest.toLocaleString("en-US")} more places`);
  return ["This change may not say what it fixes until the fix is released. Reword these places:", "", ...listed].join("\n");
}

/**
 * A linked response that cannot be read now (its record deleted or damaged, its config broken)
 * adds nothing to the PR and keeps the gate waiting until it can be read again.
 */
export function unreadableDecision(): PrDecision {
  return { addLabels: [], removeLabels: [], reviewers: [], teamReviewers: [], check: blocked("Waiting for review", "Waiting for a required reviewer to approve the current head commit. A new push needs a new approval.") };
}

/**
 * A waiting gate is completed with `action_required` rather than left in progress: GitHub turns a
 * run in progress for more than 14 days into `stale`, and an embargo lasts up to 30. Its details
 * link is the PR itself, so nothing new is said.
 */
function blocked(title: string, summary: string): CheckRunDecision {
  return { status: "completed", conclusion: "action_required", title, summary };
}
