import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import { findOwnComment, listComments, type IssueRef } from "../github/issue-comments.js";
import { PUBLIC_NOTICE_MARKER } from "../record/markers.js";
import { renderTemplate } from "../render/templates.js";
import { repoOverrides } from "../github/template-overrides.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface PublicReportOutcome {
  noticed: boolean;
  transferredTo?: string;
  problem?: string;
}

interface TargetRepo {
  repository: { id: string; isPrivate: boolean } | null;
}

interface Transferred {
  transferIssue: { issue: { number: number } };
}

/**
 * The security label landed on an issue anyone can read. Nothing about the report is repeated:
 * one short notice says where reports belong and, when configured, the issue moves to the private
 * security repo, where the label starts the real response.
 */
export async function handlePublicReport(
  octokit: Octokit,
  issue: IssueRef,
  issueNodeId: string,
  config: EmbargoConfig,
  botLogin: string,
): Promise<PublicReportOutcome> {
  const outcome: PublicReportOutcome = { noticed: false };
  let target: { owner: string; repo: string; id: string } | undefined;
  if (config.public_reports === "transfer" && config.security_repo) {
    const [owner, repo] = config.security_repo.split("/") as [string, string];
    if (owner.toLowerCase() !== issue.owner.toLowerCase()) {
      outcome.problem = `cannot transfer to ${config.security_repo}: GitHub moves issues only between repositories of one owner`;
    } else {
      const found = await octokit.graphql<TargetRepo>(
        "query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { id isPrivate } }",
        { owner, name: repo },
      );
      if (!found.repository) outcome.problem = `cannot transfer: ${config.security_repo} was not found`;
      else if (!found.repository.isPrivate) outcome.problem = `refused to transfer: ${config.security_repo} is not private`;
      else target = { owner, repo, id: found.repository.id };
    }
  }

  const comments = await listComments(octokit, issue);
  if (!findOwnComment(comments, botLogin, PUBLIC_NOTICE_MARKER)) {
    const { text } = await renderTemplate(
      "public-notice",
      {
        transferred: Boolean(target),
        report_instructions: config.report_instructions,
        advisory_url: `https://github.com/${issue.owner}/${issue.repo}/security/advisories/new`,
      },
      repoOverrides(octokit, issue.owner, issue.repo),
    );
    await octokit.rest.issues.createComment({ ...issue, body: `${PUBLIC_NOTICE_MARKER}\n${text}` });
    outcome.noticed = true;
  }

  if (target) {
    const moved = await octokit.graphql<Transferred>(
      "mutation($issue: ID!, $repo: ID!) { transferIssue(input: { issueId: $issue, repositoryId: $repo }) { issue { number } } }",
      { issue: issueNodeId, repo: target.id },
    );
    const number = moved.transferIssue.issue.number;
    // Labels survive a transfer only when the target has the same label; adding it starts the response there.
    await octokit.rest.issues.addLabels({ owner: target.owner, repo: target.repo, issue_number: number, labels: [config.label] });
    outcome.transferredTo = `${target.owner}/${target.repo}#${number}`;
  }
  return outcome;
}
