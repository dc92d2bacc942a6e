import type { ProbotOctokit } from "probot";
import { isRateLimited } from "./http-status.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

interface GraphqlError {
  type?: string;
  message?: string;
  path?: (string | number)[];
}

/** GraphQL's "gone or not allowed" answers: the caller says what could not be done and carries on. */
function refusal(error: unknown): GraphqlError[] | undefined {
  const e = error as { name?: string; errors?: GraphqlError[]; status?: number };
  if (e.name === "GraphqlResponseError" && Array.isArray(e.errors)) {
    return e.errors.every((x) => x.type === "NOT_FOUND" || x.type === "FORBIDDEN") ? e.errors : undefined;
  }
  if (isRateLimited(error)) return undefined;
  return e.status === 403 || e.status === 404 ? [{ type: e.status === 404 ? "NOT_FOUND" : "FORBIDDEN" }] : undefined;
}

export type TransferTarget =
  | {
      ok: true;
      id: string;
      /** GitHub's visibility: PRIVATE, INTERNAL or PUBLIC (`isPrivate` is true for INTERNAL too). */
      visibility: string;
      /** A redelivery after the move: the issue already lives in the target. */
      alreadyThere: boolean;
      number?: number;
      labels: string[];
    }
  | { ok: false; notFound: boolean };

/** The security repo to move a public report into, and where the issue is now: one query. */
export async function findTransferTarget(octokit: Octokit, owner: string, name: string, issueNodeId: string): Promise<TransferTarget> {
  interface Answer {
    repository: { id: string; visibility: string } | null;
    issue: { number: number; repository: { id: string }; labels: { nodes: { name: string }[] } | null } | null;
  }
  let answer: Answer;
  try {
    answer = await octokit.graphql<Answer>(
      `query($owner: String!, $name: String!, $issue: ID!) {
        repository(owner: $owner, name: $name) { id visibility }
        issue: node(id: $issue) { ... on Issue { number repository { id } labels(first: 100) { nodes { name } } } }
      }`,
      { owner, name, issue: issueNodeId },
    );
  } catch (error) {
    const errors = refusal(error);
    if (!errors) throw error;
    // Only the issue is gone (deleted meanwhile): the target is still known.
    const partial = (error as { data?: Answer }).data;
    if (!partial?.repository || errors.some((x) => x.path?.[0] !== "issue")) return { ok: false, notFound: errors.some((x) => x.type === "NOT_FOUND") };
    answer = { repository: partial.repository, issue: null };
  }
  if (!answer.repository) return { ok: false, notFound: true };
  const alreadyThere = answer.issue?.repository.id === answer.repository.id;
  return {
    ok: true,
    id: answer.repository.id,
    visibility: answer.repository.visibility,
    alreadyThere,
    number: alreadyThere ? answer.issue?.number : undefined,
    labels: alreadyThere ? (answer.issue?.labels?.nodes ?? []).map((l) => l.name) : [],
  };
}

/** Moves the issue (GraphQL `transferIssue`): its number in the target, or GitHub's reason for refusing. */
export async function transferIssue(octokit: Octokit, issueNodeId: string, repositoryId: string): Promise<{ number: number } | { refused: string }> {
  try {
    const moved = await octokit.graphql<{ transferIssue: { issue: { number: number } } }>(
      "mutation($issue: ID!, $repo: ID!) { transferIssue(input: { issueId: $issue, repositoryId: $repo }) { issue { number } } }",
      { issue: issueNodeId, repo: repositoryId },
    );
    return { number: moved.transferIssue.issue.number };
  } catch (error) {
    const e = error as { name?: string; status?: number; message?: string; errors?: GraphqlError[] };
    // Any answer GitHub gives about this transfer is final, but "try later" (a rate limit, REST's
    // 403 or GraphQL's RATE_LIMITED), a network or a server failure: those fail the event, and its
    // redelivery moves the issue.
    const later = isRateLimited(error) || (e.errors ?? []).some((x) => x.type === "RATE_LIMITED");
    if (!later && (e.name === "GraphqlResponseError" || e.status === 403 || e.status === 404 || e.status === 422)) return { refused: String(e.message).slice(0, 300) };
    throw error;
  }
}
