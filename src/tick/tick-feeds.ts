import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import { readIndex } from "../dashboard/dashboard-index.js";
import { pollFeeds, type FeedProblem, type FetchFn } from "../feeds/poll-feeds.js";
import { findDashboard } from "../github/dashboard-issue.js";
import { feedKeysOpened, openFeedIssue } from "../github/feed-issue.js";
import type { Deps } from "../handlers/response-context.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** The dashboard index field that remembers the feed entries already seen (hashes, bounded by MAX_SEEN). */
export const FEEDS_SEEN = "feeds_seen";

/** The feeds' memory of a repo without a dashboard index (`seen`, as the index would hold it). */
const seenKey = (full: string) => `feeds-seen:${full}`.toLowerCase();
const SEEN_TTL_MS = 30 * 24 * 3_600_000;

function parsedList(raw: string | undefined): unknown[] | undefined {
  try {
    const value: unknown = raw ? JSON.parse(raw) : undefined;
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the repo's CVE feeds: each new matching entry opens one response issue. Returns the memory
 * to store in the dashboard's index, without the entries whose issue could not be opened (the
 * next tick tries them again; the issue's own marker still stops a duplicate), and the feeds that
 * could not be read (shown on the dashboard: a log line alone goes unseen for weeks). Undefined
 * when the repo reads no feed.
 */
export async function tickFeeds(
  deps: Deps,
  octokit: Octokit,
  full: string,
  config: EmbargoConfig,
  log: (message: string) => void,
  fetchFn: FetchFn = fetch,
): Promise<{ seen: string[]; problems: FeedProblem[] } | undefined> {
  if (!config.feeds.length) return undefined;
  const [owner, repo] = full.split("/") as [string, string];
  const botLogin = await deps.botLogin();
  const found = config.dashboard.enabled ? await findDashboard(octokit, owner, repo, botLogin) : undefined;
  const stored = found ? readIndex(found.body, deps.keys, full)[FEEDS_SEEN] : undefined;
  // No memory (no dashboard, or none yet): the issues opened before say what was seen. Without
  // them every entry would look new: the same first ten per poll, and a duplicate wherever the
  // feed's date for an entry (its text, not ours) hides the issue from `findFeedIssue`'s `since`.
  // Without a dashboard (disabled, or none found), the store keeps the memory: the markers' list
  // covers every labelled issue ever, so it is read once (per store), not every tick.
  const kept = found ? undefined : parsedList(await deps.store.get(seenKey(full)));
  const list = Array.isArray(stored) ? stored : kept;
  const seen = list ? list.filter((k): k is string => typeof k === "string") : await feedKeysOpened(octokit, full, config, botLogin);
  const result = await pollFeeds(fetchFn, config, seen);
  for (const p of result.problems) log(`tick: ${full}: ${p.url}: ${p.problem}`);
  const failed = new Set<string>();
  for (const entry of result.newEntries) {
    try {
      await openFeedIssue(octokit, full, config, entry, botLogin);
    } catch (error) {
      for (const key of [entry.key, ...entry.aliases]) failed.add(key);
      log(`tick: ${full}: a feed entry's issue could not be opened (${(error as Error).message.split("\n")[0]}); the next tick tries again`);
    }
  }
  const memory = result.seen.filter((key) => !failed.has(key));
  if (!found) await deps.store.set(seenKey(full), JSON.stringify(memory), SEEN_TTL_MS);
  return { seen: memory, problems: result.problems };
}
