import type { ProbotOctokit } from "probot";
import type { PullLike } from "../handlers/pr-facts.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** A listed PR with the repository GitHub gives with it (its base's): enough for `prFacts`, no other read. */
export interface ListedPull extends PullLike {
  base: PullLike["base"] & { repo: { id: number; name: string; owner: { login: string }; private: boolean; visibility?: string; default_branch?: string } };
}

const PER_PAGE = 100;

/**
 * A repository's open PRs numbered above `after`, oldest first, each once, read a page of 100 at a
 * time only as far as the caller goes: PR numbers rise with creation, so a run stopped at #n goes
 * on from there at the cost of the pages before it, never of their PRs. GitHub's pages are
 * offsets into the list as it is at each read: a PR closed (merged) on a page already read moves
 * every later one up a place, and the PR that moves onto that page would never be read. So a page
 * that starts past the last PR given has the page before it read again, and read from where it
 * holds one not given yet: one more read per page, none per PR.
 */
export async function* openPulls(octokit: Octokit, owner: string, repo: string, after = 0): AsyncGenerator<ListedPull> {
  const list = async (page: number) =>
    (await octokit.rest.pulls.list({ owner, repo, state: "open", sort: "created", direction: "asc", per_page: PER_PAGE, page })).data as unknown as ListedPull[];
  let last = after;
  for (let page = 1; ; page++) {
    let pulls = await list(page);
    while (page > 1 && !(pulls[0] && pulls[0].number <= last)) {
      const before = await list(page - 1);
      if (!before.some((p) => p.number > last)) break;
      page--;
      pulls = before;
    }
    for (const pull of pulls) {
      if (pull.number <= last) continue;
      last = pull.number;
      yield pull;
    }
    if (pulls.length < PER_PAGE) return;
  }
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
