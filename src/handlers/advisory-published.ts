import type { Context } from "probot";
import { markStep } from "../announce/publish-steps.js";
import { readConfigFrom } from "../github/read-config.js";
import { loadResponse, reportConfigProblems, responseKey, type Deps, type LoadedResponse } from "./response-context.js";
import { learnRepoId } from "../github/repo-ids.js";
import { tick } from "../response/sync-boxes.js";
import { repoParams } from "../github/announce-context.js";
import { runAnnounceActions } from "../github/announce-run.js";
import { findResponseByAdvisory } from "../github/response-by-advisory.js";
import { privateNow } from "../github/made-public.js";
import type { NotifyDeps } from "../notify/notify.js";

/**
 * `repository_advisory.published`: an advisory published by hand on GitHub is followed, so the
 * response runs publish steps 2–6 (CHANGES/NEWS PR, un-embargo steps, reporter, close, review).
 */
export async function onAdvisoryPublished(deps: Deps, context: Context<"repository_advisory.published">): Promise<void> {
  const { payload } = context;
  const octokit = context.octokit;
  const ghsa = payload.repository_advisory.ghsa_id;
  const product = await readConfigFrom(octokit, payload.repository.owner.login, payload.repository.name, deps.store);
  if (!product.ok) return;
  // A payload is a snapshot: a repo made public since is no security repo (made-public.ts).
  const securityRepo = product.config.security_repo ?? ((await privateNow(octokit, payload.repository)) ? payload.repository.full_name : undefined);
  if (!securityRepo) return;
  const security = await readConfigFrom(octokit, ...(securityRepo.split("/") as [string, string]), deps.store);
  const botLogin = await deps.botLogin();
  // Records are bound to the security repo's id, which this event (on another repo) may not know.
  await learnRepoId(octokit, repoParams(securityRepo));
  // A broken file still names its label (or the default): the response is found, and told.
  const issue = await findResponseByAdvisory(octokit, securityRepo, security.ok ? security.config.label : security.label, ghsa, botLogin, deps.keys);
  if (!issue) return;
  const ref = { ...repoParams(securityRepo), issue_number: issue.number };
  await deps.queue.run(responseKey(ref), async () => {
    // Nothing follows, but the team hears why: the advisory is public, and `/announce publish` finishes once the file is fixed.
    if (!security.ok) return reportConfigProblems(octokit, ref, security.problems, security.label, botLogin, undefined, "publish");
    const loaded = await loadResponse(octokit, ref, security.config, botLogin, deps.keys, deps.store, { allComments: true });
    if (!loaded.record) return;
    const labels = issue.labels.flatMap((l) => (typeof l === "string" ? [l] : l.name ? [l.name] : []));
    const facts = { title: issue.title, html_url: issue.html_url, user: issue.user, labels, open: issue.state === "open" };
    await followPublished(deps, loaded, facts, ghsa, payload.repository_advisory.published_at, context.log);
  });
}

/** What following a published advisory needs of its response's issue. */
export interface PublishedIssue {
  title: string;
  html_url: string;
  user: { login: string } | null;
  labels: string[];
  open: boolean;
}

/**
 * The response follows its advisory, published on GitHub (by hand, or found so by the tick when
 * the `published` webhook was lost): publish steps 2–6 run as `/announce publish` runs them, one
 * response write when they are done or one failed (after an outage, a redelivery or the next tick
 * finishes the rest), and a step GitHub refused is replied in the issue, once, and recorded: the
 * tick leaves it to `/announce publish` (src/tick/reconcile-response.ts). Run in the issue's queue.
 */
export async function followPublished(deps: Deps, loaded: LoadedResponse, issue: PublishedIssue, ghsa: string, publishedAt: string | null | undefined, log: NotifyDeps["log"]): Promise<void> {
  if (!loaded.record) return;
  const state = { comments: loaded.comments, botLogin: loaded.botLogin, labels: issue.labels, assignees: [], open: issue.open };
  const now = deps.now();
  let record = loaded.record;
  if (!record.publish_steps?.advisory) {
    const at = publishedAt ?? now.toISOString();
    const marked = tick(markStep(record, "advisory", now), ["disclosure.published"], now);
    record = { ...marked, advisory: marked.advisory ? { ...marked.advisory, published_at: at } : marked.advisory };
  }
  await runAnnounceActions(
    loaded.octokit,
    {
      issue: loaded.issue, config: loaded.config, record, state, overrides: loaded.overrides, now, keys: deps.keys,
      issueData: { title: issue.title, html_url: issue.html_url, user: issue.user }, key: `advisory-published-${ghsa}`,
      notify: { env: deps.env ?? process.env, log },
    },
    [{ kind: "announce.publish" }],
  );
}
