import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import { findOwnComment, listComments, type IssueRef } from "../github/issue-comments.js";
import { findTransferTarget, transferIssue } from "../github/transfer-issue.js";
import { PUBLIC_NOTICE_MARKER } from "../record/markers.js";
import { renderTemplate } from "../render/templates.js";
import { repoOverrides } from "../github/template-overrides.js";
import { addIssueLabels, postComment } from "../github/issue-writes.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface PublicReportOutcome {
  noticed: boolean;
  transferredTo?: string;
  /** What could not be done, for the log: never written on the public issue. */
  problem?: string;
}

export interface PublicIssue extends IssueRef {
  node_id: string;
  /** The repository's web URL from the payload: links follow the GitHub the event came from. */
  repo_html_url: string;
}

type Plan = { target?: { owner: string; repo: string; id: string; alreadyThere: boolean; number?: number; labels: string[] }; problem?: string };

/** Where the report may go: only into a PRIVATE repository of the same owner (INTERNAL is readable enterprise-wide). */
async function planTransfer(octokit: Octokit, issue: PublicIssue, config: EmbargoConfig): Promise<Plan> {
  if (config.public_reports !== "transfer" || !config.security_repo) return {};
  const [owner, repo] = config.security_repo.split("/") as [string, string];
  if (owner.toLowerCase() !== issue.owner.toLowerCase()) {
    return { problem: `cannot transfer to ${config.security_repo} (config security_repo): GitHub moves issues only between repositories of one owner` };
  }
  const found = await findTransferTarget(octokit, owner, repo, issue.node_id);
  if (!found.ok) {
    return {
      problem: `cannot transfer to ${config.security_repo} (config security_repo): ${found.notFound ? "no such repository, or the app is not installed on it" : "the app may not read it"}; fix security_repo in .github/embargo.yml or install the app there`,
    };
  }
  if (found.visibility !== "PRIVATE") {
    return { problem: `refused to transfer to ${config.security_repo} (config security_repo): its visibility is ${found.visibility.toLowerCase()}, not private` };
  }
  return { target: { owner, repo, id: found.id, alreadyThere: found.alreadyThere, number: found.number, labels: found.labels } };
}

/**
 * The security label landed on an issue anyone can read. Nothing about the report is repeated:
 * one short notice says where reports belong and, when configured, the issue moves to the private
 * security repo, where the label starts the real response. What fails (a security repo that does
 * not resolve, a refused transfer) goes to the log, never onto the public issue.
 */
export async function handlePublicReport(octokit: Octokit, issue: PublicIssue, config: EmbargoConfig, botLogin: string): Promise<PublicReportOutcome> {
  const ref: IssueRef = { owner: issue.owner, repo: issue.repo, issue_number: issue.issue_number };
  const { target, problem } = await planTransfer(octokit, issue, config);
  const outcome: PublicReportOutcome = { noticed: false, problem };

  const comments = await listComments(octokit, ref);
  if (!findOwnComment(comments, botLogin, PUBLIC_NOTICE_MARKER)) {
    const { text } = await renderTemplate(
      "public-notice",
      {
        transferred: Boolean(target),
        report_instructions: config.report_instructions,
        advisory_url: `${issue.repo_html_url}/security/advisories/new`,
      },
      repoOverrides(octokit, issue.owner, issue.repo),
    );
    await postComment(octokit, ref, `${PUBLIC_NOTICE_MARKER}\n${text}`, { marker: PUBLIC_NOTICE_MARKER, botLogin });
    outcome.noticed = true;
  }

  if (target) {
    let number = target.number;
    if (!target.alreadyThere) {
      const moved = await transferIssue(octokit, issue.node_id, target.id);
      if ("refused" in moved) return { ...outcome, problem: `GitHub refused to transfer the issue to ${target.owner}/${target.repo}: ${moved.refused}` };
      number = moved.number;
    }
    // Labels survive a transfer only when the target has the same label; adding it starts the response there.
    if (number !== undefined && !target.labels.some((l) => l.toLowerCase() === config.label.toLowerCase())) {
      await addIssueLabels(octokit, { owner: target.owner, repo: target.repo, issue_number: number }, [config.label]);
    }
    if (number !== undefined) outcome.transferredTo = `${target.owner}/${target.repo}#${number}`;
  }
  return outcome;
}
