import { createHash } from "node:crypto";
import type { EmbargoConfig } from "../config/config-schema.js";
import { mentions } from "../security/normalize-text.js";
import { cut } from "../util/cut.js";
import { MAX_FEED_BYTES, parseFeed, type FeedEntry } from "./parse-feed.js";

/** How many entries the memory keeps (the dashboard's hidden index stores it), and opens per poll. */
export const MAX_SEEN = 500;
export const MAX_NEW_PER_POLL = 10;

export type FetchFn = (
  url: string,
  init?: { headers?: Record<string, string>; signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number; headers?: { get(name: string): string | null }; text(): Promise<string> }>;

/** A feed that does not answer within this is skipped until the next poll. */
const FETCH_TIMEOUT_MS = 20_000;

export interface MatchedEntry extends FeedEntry {
  /** The memory key (`entryKey`) and the keywords it matched. */
  key: string;
  /** The entry's other key: by its id, when `key` is its CVE's (what it was keyed by before it named one). */
  aliases: string[];
  matched: string[];
}

export interface PollResult {
  newEntries: MatchedEntry[];
  /** The memory to store: the previous one plus the new entries' keys, the oldest dropped past MAX_SEEN. */
  seen: string[];
  /** Feeds that could not be read, and why (for the log and the dashboard). */
  problems: FeedProblem[];
}

/** A feed that could not be read: its URL and what went wrong. */
export interface FeedProblem {
  url: string;
  problem: string;
}

/**
 * One key per vulnerability, not per feed: the CVE id when the entry names one (NVD and GitHub
 * list the same CVE under different ids), else the entry's id. Hashed, so the memory is compact
 * and holds no text from the feed.
 */
export function entryKey(entry: Pick<FeedEntry, "cve" | "id" | "feed">): string {
  const basis = entry.cve ? entry.cve.toUpperCase() : `${entry.feed} ${entry.id}`;
  return createHash("sha256").update(basis).digest("base64url").slice(0, 16);
}

/**
 * Every key an entry may be remembered by: its CVE's, and its own id's. A feed often lists an
 * advisory before its CVE id is assigned; the same entry naming it later is not a new one.
 */
export function entryKeys(entry: Pick<FeedEntry, "cve" | "id" | "feed">): string[] {
  const key = entryKey(entry);
  return entry.cve ? [key, entryKey({ id: entry.id, feed: entry.feed })] : [key];
}

/** The words a feed's entries must name: its own, else every component's name and package name. */
export function feedKeywords(config: EmbargoConfig, feed: { keywords?: string[] }): string[] {
  if (feed.keywords?.length) return feed.keywords;
  const words = new Set<string>();
  for (const [name, component] of Object.entries(config.components)) {
    words.add(name);
    if (component.package?.name) words.add(component.package.name);
  }
  return [...words];
}

/**
 * Reads every configured feed and returns the entries that match their keywords and were not seen
 * before. Pure apart from `fetchFn`: the caller opens the issues (`openFeedIssue`) and then stores
 * `seen`. An unreadable feed is reported in `problems` and changes nothing.
 */
export async function pollFeeds(fetchFn: FetchFn, config: EmbargoConfig, seen: string[]): Promise<PollResult> {
  const known = new Set(seen);
  const newEntries: MatchedEntry[] = [];
  const learned: string[] = [];
  const problems: FeedProblem[] = [];
  for (const feed of config.feeds) {
    let entries: FeedEntry[];
    try {
      const response = await fetchFn(feed.url, {
        headers: { accept: "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1" },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      if (Number(response.headers?.get("content-length") ?? 0) > MAX_FEED_BYTES) throw new Error(`larger than ${MAX_FEED_BYTES} characters`);
      const body = await response.text();
      if (body.length > MAX_FEED_BYTES) throw new Error(`larger than ${MAX_FEED_BYTES} characters`);
      entries = parseFeed(body, feed.url);
    } catch (error) {
      problems.push({ url: feed.url, problem: cut((error as Error).message, 200) });
      continue;
    }
    const keywords = feedKeywords(config, feed);
    for (const entry of entries) {
      if (newEntries.length >= MAX_NEW_PER_POLL) break;
      const [key, ...aliases] = entryKeys(entry);
      if (known.has(key!)) continue;
      if (aliases.some((k) => known.has(k))) {
        // Seen before its CVE id was assigned: remembered by that CVE now, so another feed listing the CVE is not new.
        known.add(key!);
        learned.push(key!);
        continue;
      }
      const haystack = `${entry.title} ${entry.summary}`;
      const matched = keywords.filter((k) => mentions(haystack, k));
      if (!matched.length) continue;
      for (const k of [key!, ...aliases]) known.add(k);
      newEntries.push({ ...entry, key: key!, aliases, matched });
    }
  }
  return { newEntries, seen: [...seen, ...learned, ...newEntries.flatMap((e) => [e.key, ...e.aliases])].slice(-MAX_SEEN), problems };
}
