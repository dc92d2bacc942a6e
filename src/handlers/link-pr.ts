import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import { httpStatus, isTransient } from "../github/http-status.js";
import type { IssueRef } from "../github/issue-comments.js";
import { getPull } from "../github/pull-requests.js";
import { canSeeRepo } from "../github/repo-access.js";
import type { PrFacts } from "../pr/decide-pr.js";
import { readConfigFrom } from "../github/read-config.js";
import { syncPr, type SyncPrInput } from "./sync-pr.js";
import { prFacts, type PullLike } from "./pr-facts.js";
import type { IssueState } from "../github/apply-effects.js";
import type { IssueNow } from "../github/issue-now.js";
import type { KnownResponse } from "./pr-views.js";
import type { Store } from "../store/store.js";
import type { ResponseRecord } from "../record/response-record.js";
import type { Deps, LoadedResponse } from "./response-context.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface LinkTarget {
  owner: string;
  repo: string;
  number: number;
}

/** Why a link failed, for the `link-failed` template: it words each reason and how to retry. */
export interface LinkFailure {
  ref: string;
  reason: "unseen" | "no-pull" | "config" | "github" | "shared-head";
  author?: string;
  repo?: string;
  /** The config's problems or GitHub's answer: someone else's words, neutralized before printing. */
  detail?: string;
}

export type PreparedLink = { ok: true; ref: string; pr: PrFacts; prConfig: EmbargoConfig } | ({ ok: false } & LinkFailure);

/**
 * The reads of `/triage pr`, before anything is written: the author must see the PR's repository
 * (the app sees more than they do, and must not act there for them; a public one everybody sees),
 * the PR must exist, and its
 * repository's config must be valid. Whether a repo exists is never told apart from "you cannot
 * see it", so the answer does not reveal private repositories.
 */
export async function prepareLink(octokit: Octokit, issue: IssueRef, config: EmbargoConfig, author: string, link: LinkTarget, store?: Store): Promise<PreparedLink> {
  const ref = `${link.owner}/${link.repo}#${link.number}`;
  const same = link.owner.toLowerCase() === issue.owner.toLowerCase() && link.repo.toLowerCase() === issue.repo.toLowerCase();
  const pull = await getPull(octokit, { owner: link.owner, repo: link.repo, pull_number: link.number });
  // A public repository is readable by everyone (GitHub's own word, from the PR's base repo); any
  // other needs the author's permission there, asked of GitHub.
  const isPublic = pull?.base.repo.private === false && pull.base.repo.visibility !== "internal";
  if (!same && !isPublic && !(await canSeeRepo(octokit, link.owner, link.repo, author))) {
    return { ok: false, ref, reason: "unseen", author: `@${author}`, repo: `${link.owner}/${link.repo}` };
  }
  if (!pull) return { ok: false, ref, reason: "no-pull" };
  const prConfig = same ? { ok: true as const, config } : await readConfigFrom(octokit, link.owner, link.repo, store);
  if (!prConfig.ok) return { ok: false, ref, reason: "config", detail: prConfig.problems.join("; ") };
  return { ok: true, ref, pr: prFacts(pull as unknown as PullLike, pull.base.repo), prConfig: prConfig.config };
}

/**
 * What the command that links a PR already holds: its response (the comment list its own writes
 * keep current) and the issue as it read it, with the labels and state its writes left. The sync
 * then reads neither again.
 */
export function knownFromCommand(loaded: LoadedResponse, now: IssueNow, state: IssueState, links: { html_url: string; url: string }, unwritten?: ResponseRecord): KnownResponse {
  // Handed over once: the first sync writes it; a later one (another link) decodes what that write left.
  let held = unwritten;
  const handOver = {
    take: () => {
      const record = held;
      held = undefined;
      return record;
    },
  };
  return { loaded, ...(unwritten ? { unwritten: handOver } : {}), summary: { open: state.open, title: now.title, reporter: now.reporter, labels: state.labels, assignees: state.assignees, html_url: links.html_url, url: links.url } };
}

/** Syncs a prepared link; a refusal from GitHub on the way is returned as the failure to answer. */
export async function syncLink(
  deps: Deps,
  octokit: Octokit,
  issue: IssueRef,
  config: EmbargoConfig,
  link: Extract<PreparedLink, { ok: true }>,
  log: (m: string) => void,
  known?: KnownResponse,
  settle?: SyncPrInput["settle"],
): Promise<LinkFailure | undefined> {
  try {
    const refused = await syncPr({
      octokit,
      deps,
      sealer: deps.sealer,
      log,
      issueKey: `${issue.owner}/${issue.repo}#${issue.issue_number}`,
      pr: link.pr,
      prConfig: link.prConfig,
      security: config,
      known,
      settle,
    });
    return refused === "shared-head" ? { ref: link.ref, reason: "shared-head" } : undefined;
  } catch (error) {
    const status = httpStatus(error);
    if (status === undefined || isTransient(error)) throw error;
    log(`linking ${link.ref} failed: ${status} ${(error as Error).message}`);
    return { ref: link.ref, reason: "github", detail: `${status} (${(error as Error).message.split("\n")[0]!.slice(0, 200)})` };
  }
}
