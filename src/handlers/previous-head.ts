import type { ProbotOctokit } from "probot";
import { gateRuns } from "../github/check-runs.js";
import { knowLinks, sameResponse } from "../github/repo-ids.js";
import type { PrFacts } from "../pr/decide-pr.js";
import { prBinding, type LinkSealer } from "../pr/pr-link.js";
import type { ResponseView } from "./pr-views.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * The PR's links the app sealed on the head its responses' records knew, when its head now has no
 * gate run of the app's (a push it never handled, so nothing carried the links forward), other
 * than `known`. Without them a sync from one response (the tick's, a release's) would write that
 * response's verdict alone on the new head, and seal it alone: a released one would open the gate
 * while another still waits. One read per head the records knew, only then.
 */
export async function previousHeadLinks(octokit: Octokit, appId: () => Promise<number>, sealer: LinkSealer, pr: PrFacts, views: ResponseView[], known: string[]): Promise<string[]> {
  const heads = [...new Set(views.flatMap((v) => (v.previous?.head_sha && v.previous.head_sha !== pr.head_sha ? [v.previous.head_sha] : [])))];
  const found: string[] = [];
  for (const sha of heads) {
    const runs = await gateRuns(octokit, pr.owner, pr.repo, sha, appId);
    found.push(...knowLinks(runs.flatMap((r) => sealer.openLinks(r.external_id, prBinding(pr)))));
  }
  return found.filter((k, i) => !known.some((x) => sameResponse(x, k)) && found.findIndex((x) => sameResponse(x, k)) === i);
}
