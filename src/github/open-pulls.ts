import type { ProbotOctokit } from "probot";
import type { PullLike } from "../handlers/pr-facts.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** A listed PR with the repository GitHub gives with it (its base's): enough for `prFacts`, no other read. */
export interface ListedPull extends PullLike {
  base: PullLike["base"] & { repo: { id: number; name: string; owner: { login: string }; private: boolean; visibility?: string; default_branch?: string } };
}

/**
 * A repository's open PRs, oldest first, one page of 100 per call, read only as far as the caller
 * goes: PR numbers rise with creation, so a run stopped at #n goes on from there (`from`) at the
 * cost of the pages before it, never of their PRs.
 */
export async function* openPulls(octokit: Octokit, owner: string, repo: string): AsyncGenerator<ListedPull[]> {
  const pages = octokit.paginate.iterator(octokit.rest.pulls.list, { owner, repo, state: "open", sort: "created", direction: "asc", per_page: 100 });
  for await (const page of pages) yield page.data as unknown as ListedPull[];
}

/**
 * What GitHub said of the installation's rate limit in its latest answer on this client (undefined
 * before one says it): a long run stops while the live app still has requests left to handle events.
 */
export function watchRateLimit(octokit: Octokit): () => { remaining?: number; reset?: Date } {
  let last: { remaining?: number; reset?: Date } = {};
  octokit.hook.after("request", (response) => {
    const headers = response.headers as Record<string, string | number | undefined>;
    const remaining = Number(headers["x-ratelimit-remaining"]);
    const reset = Number(headers["x-ratelimit-reset"]);
    if (Number.isFinite(remaining) && headers["x-ratelimit-remaining"] !== undefined) last = { remaining, ...(Number.isFinite(reset) && reset > 0 ? { reset: new Date(reset * 1000) } : {}) };
  });
  return () => last;
}
