import type { ProbotOctokit } from "probot";
import { branchItemId } from "../checklist/checklist-items.js";
import type { EmbargoConfig } from "../config/config-schema.js";
import { loadConfig } from "../config/load-config.js";
import { applyEffects } from "../github/apply-effects.js";
import { gateRuns, requestReviews, upsertGateRun, type GateRun } from "../github/check-runs.js";
import { decidePr, type PrFacts } from "../pr/decide-pr.js";
import { findLeaks } from "../pr/leak-check.js";
import { parseIssueKey, type LinkSealer } from "../pr/pr-link.js";
import { gateState, type Review } from "../pr/review-gate.js";
import { CLOSED_STATES, type LinkedPr, type ResponseRecord } from "../record/response-record.js";
import { noEffects } from "../response/effects.js";
import { renderResponse } from "../response/render-response.js";
import { responseLabels } from "../response/response-labels.js";
import { syncBoxes, tick } from "../response/sync-boxes.js";
import { findOwnComment } from "../github/issue-comments.js";
import { RESPONSE_MARKER } from "../record/markers.js";
import { loadResponse, type Deps } from "./response-context.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface PullLike {
  number: number;
  title: string;
  body: string | null;
  state: string;
  merged?: boolean | null;
  merged_at?: string | null;
  user: { login: string } | null;
  base: { ref: string };
  head: { sha: string; ref: string };
  labels: { name: string }[];
  requested_reviewers?: ({ login?: string } | null)[] | null;
  requested_teams?: ({ slug?: string } | null)[] | null;
}

export function prFacts(pull: PullLike, repository: { owner: { login: string }; name: string; private: boolean; visibility?: string }): PrFacts {
  return {
    owner: repository.owner.login,
    repo: repository.name,
    number: pull.number,
    private: repository.private && repository.visibility !== "internal",
    author: pull.user?.login ?? "",
    base: pull.base.ref,
    head_sha: pull.head.sha,
    head_ref: pull.head.ref,
    open: pull.state === "open",
    merged: Boolean(pull.merged || pull.merged_at),
    labels: pull.labels.map((l) => l.name),
    requested_reviewers: (pull.requested_reviewers ?? []).flatMap((r) => (r?.login ? [r.login] : [])),
    requested_teams: (pull.requested_teams ?? []).flatMap((t) => (t?.slug ? [t.slug] : [])),
    title: pull.title,
    body: pull.body ?? "",
  };
}

export async function readRepoConfig(octokit: Octokit, owner: string, repo: string) {
  return loadConfig(async (file) => {
    const { config, files } = await octokit.config.get({ owner, repo, path: `.github/${file}` });
    return files.some((f) => f.config !== null) ? config : null;
  });
}

/** Reviewers who count for the gate: the security team, or admins and maintainers without one. */
async function reviewerTest(octokit: Octokit, security: EmbargoConfig, pr: PrFacts, logins: string[]): Promise<(login: string) => boolean> {
  if (security.team) {
    const [org, team_slug] = security.team.split("/") as [string, string];
    const members = await octokit.paginate(octokit.rest.teams.listMembersInOrg, { org, team_slug, per_page: 100 });
    const set = new Set(members.map((m) => m.login.toLowerCase()));
    return (login) => set.has(login.toLowerCase());
  }
  const allowed = new Set<string>();
  for (const login of new Set(logins.map((l) => l.toLowerCase()))) {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: pr.owner, repo: pr.repo, username: login });
    if (data.permission === "admin" || data.role_name === "maintain") allowed.add(login);
  }
  return (login) => allowed.has(login.toLowerCase());
}

function advance(record: ResponseRecord, security: EmbargoConfig): ResponseRecord {
  let state = record.state;
  if ((state === "triage" || state === "confirmed") && record.prs.length) state = "fixing";
  const merged = record.prs.some((p) => p.state === "merged");
  const allPatched = security.supported_branches.every((b) => record.patched.includes(b));
  if (state === "fixing" && merged && allPatched) state = "fixed";
  return { ...record, state };
}

export interface SyncPrInput {
  octokit: Octokit;
  deps: Deps;
  sealer: LinkSealer;
  log: (message: string) => void;
  issueKey: string;
  pr: PrFacts;
  prConfig: EmbargoConfig;
  /** The security repo's config, when the caller (an event on the security issue) has read it. */
  security?: EmbargoConfig;
  /** The gate runs already on the head commit, when the caller has read them. */
  runs?: GateRun[];
}

/**
 * Brings one linked PR and the security issue's record in line: PR labels, review requests, the
 * gate run on the head commit; the PR's line in the status table, patched branches, ticks.
 */
export async function syncPr(input: SyncPrInput): Promise<void> {
  const { octokit, deps, pr, prConfig } = input;
  const issue = parseIssueKey(input.issueKey);
  if (!issue) return;
  const sameRepo = issue.owner.toLowerCase() === pr.owner.toLowerCase() && issue.repo.toLowerCase() === pr.repo.toLowerCase();
  const securityResult = input.security
    ? { ok: true as const, config: input.security }
    : sameRepo
      ? { ok: true as const, config: prConfig }
      : await readRepoConfig(octokit, issue.owner, issue.repo);
  if (!securityResult.ok) {
    input.log(`the security repository's config is invalid; ${pr.owner}/${pr.repo}#${pr.number} was not synced`);
    return;
  }
  const security = securityResult.config;
  const botLogin = await deps.botLogin();
  const loaded = await loadResponse(octokit, issue, security, botLogin, deps.keys);
  if (!loaded.record) return;
  const { data: securityIssue } = await octokit.rest.issues.get(issue);
  const issueOpen = securityIssue.state === "open";

  const prRef = { owner: pr.owner, repo: pr.repo, pull_number: pr.number };
  const reviews: Review[] = (await octokit.paginate(octokit.rest.pulls.listReviews, { ...prRef, per_page: 100 })).map((r) => ({
    login: r.user?.login ?? "",
    state: r.state,
    commit_id: r.commit_id ?? null,
  }));
  const isReviewer = await reviewerTest(octokit, security, pr, reviews.map((r) => r.login));
  const gate = gateState(reviews, isReviewer, pr.head_sha);

  let record = loaded.record;
  const leaks =
    pr.private || !issueOpen || CLOSED_STATES.includes(record.state)
      ? []
      : findLeaks(
          {
            title: pr.title,
            body: pr.body,
            branch: pr.head_ref,
            commits: (await octokit.rest.pulls.listCommits({ ...prRef, per_page: 100 })).data.map((c) => ({ sha: c.sha, message: c.commit.message })),
          },
          { issueKey: input.issueKey, cve: record.cve, ghsa: record.ghsa, words: prConfig.public_pr.leak_words },
        );

  const slot = `${pr.owner}/${pr.repo}`.toLowerCase();
  const previous = record.prs.find((p) => p.repo.toLowerCase() === slot && p.number === pr.number);
  const decision = decidePr({
    pr,
    record,
    issueOpen,
    security,
    prConfig,
    gate,
    leaks,
    alreadyRequested: previous?.requested ?? [],
    // A new head since the last sync is a push: ask again. Derived from the record, not from the
    // event's action, so a redelivered `synchronize` does not ping the reviewers twice.
    rerequest: Boolean(previous?.head_sha && previous.head_sha !== pr.head_sha),
  });

  const prIssue = { owner: pr.owner, repo: pr.repo, issue_number: pr.number };
  if (decision.addLabels.length) await octokit.rest.issues.addLabels({ ...prIssue, labels: decision.addLabels });
  for (const name of decision.removeLabels) {
    await octokit.rest.issues.removeLabel({ ...prIssue, name }).catch((error: { status?: number }) => {
      if (error.status !== 404) throw error;
    });
  }
  const asked = await requestReviews(octokit, prRef, decision.reviewers, decision.teamReviewers, input.log);
  const runs = input.runs ?? (await gateRuns(octokit, pr.owner, pr.repo, pr.head_sha, prConfig.public_pr.check_name));
  const existing = runs[0];
  // Keep the sealed link byte-for-byte when it still opens to this issue: a fresh seal differs every time.
  const externalId = existing && input.sealer.open(existing.external_id)?.toLowerCase() === input.issueKey.toLowerCase() ? existing.external_id! : input.sealer.seal(input.issueKey);
  await upsertGateRun(octokit, { owner: pr.owner, repo: pr.repo, head_sha: pr.head_sha, name: prConfig.public_pr.check_name, external_id: externalId }, existing, decision.check);

  const now = deps.now();
  const own = findOwnComment(loaded.comments, botLogin, RESPONSE_MARKER)!;
  record = syncBoxes(record, own.body, now);
  const linked: LinkedPr = {
    repo: `${pr.owner}/${pr.repo}`,
    number: pr.number,
    state: pr.merged ? "merged" : pr.open ? "open" : "closed",
    review: gate,
    base: pr.base,
    head_sha: pr.head_sha,
    private: pr.private,
    requested: [...new Set([...(previous?.requested ?? []), ...asked])],
    ...(pr.private ? {} : { leaks: leaks.length }),
  };
  record = { ...record, prs: [...record.prs.filter((p) => p !== previous), linked] };
  const ticks = ["fix.patch", "fix.prioritised"];
  if (!pr.private && !leaks.length && issueOpen) ticks.push("fix.no_reference");
  if (pr.merged && security.supported_branches.includes(pr.base)) {
    record = { ...record, patched: [...new Set([...record.patched, pr.base])] };
    ticks.push(branchItemId(pr.base));
  }
  record = advance(tick(record, ticks, now), security);

  const effects = noEffects();
  effects.responseBody = await renderResponse(record, security, { title: securityIssue.title, reporter: securityIssue.user?.login ?? "" }, loaded.overrides, { keys: deps.keys, issue, now });
  const labels = securityIssue.labels.map((l) => (typeof l === "string" ? l : (l.name ?? "")));
  if (issueOpen) Object.assign(effects, responseLabels(labels, record));
  await applyEffects(octokit, issue, { comments: loaded.comments, botLogin, labels, assignees: [], open: issueOpen }, effects);
}
