import type { ProbotOctokit } from "probot";
import { isOutOfReach } from "../github/http-status.js";
import { findOwnComment } from "../github/issue-comments.js";
import { getPull, type IssueSummary } from "../github/pull-requests.js";
import { writtenSince } from "../github/record-mark.js";
import { RESPONSE_MARKER } from "../record/markers.js";
import { readConfigFrom } from "../github/read-config.js";
import { defaultConfig } from "../config/load-config.js";
import { prFacts, type PullLike } from "./pr-facts.js";
import { syncPr } from "./sync-pr.js";
import { issueKey, responseKey, type Deps, type LoadedResponse } from "./response-context.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * Every PR of a response follows its record after a close or reopen: released once the response
 * is over, gated again on a reopen. One PR, repo or reviewer failing never stops the others: "gone"
 * answers are logged, other failures are thrown once every PR has had its turn. The response and
 * the issue are those the caller read (the issue at most once, whatever the number of PRs).
 */
export async function syncLinkedPrs(deps: Deps, octokit: Octokit, loaded: LoadedResponse, current: () => Promise<IssueSummary | undefined>, log: (m: string) => void): Promise<void> {
  const issue = loaded.issue;
  const key = responseKey(issue);
  const known = await current();
  if (!known) return;
  const failures: unknown[] = [];
  for (const linked of loaded.record?.prs ?? []) {
    const [owner, repo] = linked.repo.split("/") as [string, string];
    try {
      const pull = await getPull(octokit, { owner, repo, pull_number: linked.number });
      if (!pull) {
        log(`${linked.repo}#${linked.number} is gone or out of reach; skipped`);
        continue;
      }
      const prConfig = await readConfigFrom(octokit, owner, repo, deps.store);
      const facts = prFacts(pull as unknown as PullLike, pull.base.repo);
      await deps.queue.run(key, async () =>
        syncPr({
          octokit,
          deps,
          sealer: deps.sealer,
          log,
          issueKey: issueKey(issue),
          pr: facts,
          prConfig: prConfig.ok ? prConfig.config : defaultConfig(),
          prConfigProblem: !prConfig.ok,
          security: loaded.config,
          // Read before this queue turn: another event may have written the response in between
          // (a person's ticks, a command), and a sync from the response read before would undo it.
          ...((await writtenSince(deps.store, issue, findOwnComment(loaded.comments, loaded.botLogin, RESPONSE_MARKER)?.body, deps.keys)) ? {} : { known: { loaded, summary: known } }),
        }),
      );
    } catch (error) {
      if (isOutOfReach(error)) log(`${linked.repo}#${linked.number}: ${String((error as Error).message)}; skipped`);
      else failures.push(error);
    }
  }
  if (failures.length) throw failures[0];
}
