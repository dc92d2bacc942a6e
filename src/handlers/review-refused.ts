import type { ProbotOctokit } from "probot";
import { applyEffects } from "../github/apply-effects.js";
import { prKey } from "../pr/pr-link.js";
import { renderTemplate } from "../render/templates.js";
import { noEffects } from "../response/effects.js";
import type { ResponseView } from "./pr-views.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** A reviewer (a login, or `team:slug`) GitHub refused, with its status (422, 403, 404). */
export interface RefusedReviewer {
  who: string;
  status: number;
}

/**
 * GitHub refused a review request (the reviewer is no collaborator of the PR's repository, say): the
 * app records them as asked, since asking again would be refused again, so nobody is asked and the
 * gate waits. Said in the security issue (private; the PR must not say a response exists), once per
 * PR and set of people: a redelivery that is refused again finds the reply by its key.
 */
export async function tellReviewRefused(octokit: Octokit, view: ResponseView, pr: { owner: string; repo: string; number: number }, refused: RefusedReviewer[]): Promise<void> {
  // Named without @: the people refused may not even read this repository; nobody is pinged.
  const name = (r: string) => (r.startsWith("team:") ? `the team ${r.slice(5)}` : r);
  // A 403 is the app's own permission ("Resource not accessible by integration"), not the person's
  // access: giving them access would change nothing.
  const who = refused.filter((r) => r.status !== 403).map((r) => name(r.who));
  const denied = refused.filter((r) => r.status === 403).map((r) => name(r.who));
  const { text } = await renderTemplate("review-refused", { who, denied, pr: `${pr.owner}/${pr.repo}#${pr.number}`, repo: `${pr.owner}/${pr.repo}` }, view.loaded.overrides);
  const state = { comments: view.loaded.comments, botLogin: view.loaded.botLogin, labels: [], assignees: [], open: view.summary.open };
  const key = `review-refused-${prKey(pr)}-${refused.map((r) => r.who.toLowerCase()).sort().join("+")}`;
  await applyEffects(octokit, view.issue, state, { ...noEffects(), replies: [{ key, body: text }] });
}
