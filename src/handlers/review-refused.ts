import type { ProbotOctokit } from "probot";
import { applyEffects } from "../github/apply-effects.js";
import { prKey } from "../pr/pr-link.js";
import { renderTemplate } from "../render/templates.js";
import { noEffects } from "../response/effects.js";
import type { ResponseView } from "./pr-views.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * GitHub refused a review request (the reviewer is no collaborator of the PR's repository, say): the
 * app records them as asked, since asking again would be refused again, so nobody is asked and the
 * gate waits. Said in the security issue (private; the PR must not say a response exists), once per
 * PR and set of people: a redelivery that is refused again finds the reply by its key.
 */
export async function tellReviewRefused(octokit: Octokit, view: ResponseView, pr: { owner: string; repo: string; number: number }, refused: string[]): Promise<void> {
  // Named without @: the people refused may not even read this repository; nobody is pinged.
  const who = refused.map((r) => (r.startsWith("team:") ? `the team ${r.slice(5)}` : r));
  const { text } = await renderTemplate("review-refused", { who, pr: `${pr.owner}/${pr.repo}#${pr.number}`, repo: `${pr.owner}/${pr.repo}` }, view.loaded.overrides);
  const state = { comments: view.loaded.comments, botLogin: view.loaded.botLogin, labels: [], assignees: [], open: view.summary.open };
  const key = `review-refused-${prKey(pr)}-${refused.map((r) => r.toLowerCase()).sort().join("+")}`;
  await applyEffects(octokit, view.issue, state, { ...noEffects(), replies: [{ key, body: text }] });
}
