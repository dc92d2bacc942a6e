import type { EmbargoConfig } from "../config/config-schema.js";
import { CLOSED_STATES, type ResponseRecord } from "../record/response-record.js";
import { SEVERITY_LABEL_PREFIX } from "../response/effects.js";
import type { LeakFinding } from "./leak-check.js";
import type { GateState } from "./review-gate.js";

export interface PrFacts {
  owner: string;
  repo: string;
  number: number;
  private: boolean;
  author: string;
  base: string;
  head_sha: string;
  head_ref: string;
  open: boolean;
  merged: boolean;
  labels: string[];
  requested_reviewers: string[];
  requested_teams: string[];
  title: string;
  body: string;
}

export interface CheckRunDecision {
  status: "in_progress" | "completed";
  conclusion?: "success" | "failure" | "neutral";
  title: string;
  summary: string;
}

export interface PrDecision {
  addLabels: string[];
  removeLabels: string[];
  reviewers: string[];
  teamReviewers: string[];
  check: CheckRunDecision;
}

/** The reviewers a linked PR should have: the team (a neutral one on public PRs) and component owners. */
export function wantedReviewers(pr: PrFacts, record: ResponseRecord, security: EmbargoConfig, prConfig: EmbargoConfig) {
  const team = pr.private ? security.team : prConfig.public_pr.review_team;
  const teamReviewers: string[] = [];
  if (team) {
    const [org, slug] = team.split("/") as [string, string];
    // GitHub takes team reviewers only from the PR's own organization.
    if (org.toLowerCase() === pr.owner.toLowerCase()) teamReviewers.push(slug);
  }
  const owners = record.components.flatMap((c) => security.components[c]?.owners ?? []);
  const reviewers = [...new Set(owners)].filter((l) => l.toLowerCase() !== pr.author.toLowerCase());
  return { reviewers, teamReviewers };
}

/**
 * What a linked PR should carry. Everything here may end up on a public PR, so its texts are
 * fixed phrases and configured neutral names: no issue number, no CVE, no "security".
 */
export function decidePr(input: {
  pr: PrFacts;
  record: ResponseRecord;
  issueOpen: boolean;
  security: EmbargoConfig;
  prConfig: EmbargoConfig;
  gate: GateState;
  leaks: LeakFinding[];
  alreadyRequested: string[];
  rerequest: boolean;
}): PrDecision {
  const { pr, record, security, prConfig, gate, leaks } = input;
  const priority = prConfig.public_pr.priority_label;
  const severityLabel = pr.private && record.severity ? `${SEVERITY_LABEL_PREFIX}${record.severity}` : undefined;
  const released = !input.issueOpen || CLOSED_STATES.includes(record.state);
  const has = (l: string) => pr.labels.some((x) => x.toLowerCase() === l.toLowerCase());

  if (released) {
    const success = record.state === "announced";
    return {
      addLabels: [],
      removeLabels: [priority, ...(pr.private ? pr.labels.filter((l) => l.toLowerCase().startsWith(SEVERITY_LABEL_PREFIX)) : [])].filter(has),
      reviewers: [],
      teamReviewers: [],
      check: success
        ? { status: "completed", conclusion: "success", title: "Released", summary: "The review this change waited for is complete." }
        : { status: "completed", conclusion: "neutral", title: "No longer gated", summary: "This change no longer needs the extra review." },
    };
  }

  const wanted = wantedReviewers(pr, record, security, prConfig);
  const asked = new Set([...input.alreadyRequested, ...pr.requested_reviewers].map((l) => l.toLowerCase()));
  const askedTeams = new Set(pr.requested_teams.map((t) => t.toLowerCase()));
  const reviewers = pr.open ? wanted.reviewers.filter((l) => input.rerequest || !asked.has(l.toLowerCase())) : [];
  const teamReviewers = pr.open ? wanted.teamReviewers.filter((t) => input.rerequest || (!askedTeams.has(t.toLowerCase()) && !asked.has(`team:${t.toLowerCase()}`))) : [];

  let check: CheckRunDecision;
  if (!pr.private && leaks.length) {
    check = {
      status: "completed",
      conclusion: "failure",
      title: `Wording needs a change (${leaks.length})`,
      summary: ["This change may not say what it fixes until the fix is released. Reword these places:", "", ...leaks.map((l) => `- ${l.place}: ${l.rule}`)].join("\n"),
    };
  } else if (gate === "changes_requested") {
    check = { status: "completed", conclusion: "failure", title: "Changes requested", summary: "A required reviewer asked for changes. The gate opens when they approve the current head commit." };
  } else if (gate === "approved") {
    check = { status: "completed", conclusion: "success", title: "Approved", summary: "A required reviewer approved the current head commit." };
  } else {
    check = { status: "in_progress", title: "Waiting for review", summary: "A required reviewer must approve the current head commit before this can merge. A new push needs a new approval." };
  }
  return {
    addLabels: pr.open ? [priority, ...(severityLabel ? [severityLabel] : [])].filter((l) => !has(l)) : [],
    removeLabels: pr.labels.filter((l) => pr.private && l.toLowerCase().startsWith(SEVERITY_LABEL_PREFIX) && l !== severityLabel),
    reviewers,
    teamReviewers,
    check,
  };
}
