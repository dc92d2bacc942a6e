import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import type { MatchedEntry } from "../feeds/poll-feeds.js";
import { neutralize } from "../render/neutralize.js";
import { renderTemplate } from "../render/templates.js";
import { cut } from "../util/cut.js";
import { repoParams } from "./announce-context.js";
import { createOnce, NO_RETRY } from "./create-once.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** The hidden marker of a feed entry's issue: its memory key, which names nothing. */
export function feedMarker(key: string): string {
  return `<!-- embargo:feed ${key} -->`;
}

const FEED_MARKER_RE = /<!-- embargo:feed ([A-Za-z0-9_-]+) -->/g;

/**
 * The memory keys of every entry the app opened an issue for, oldest first: one list of the
 * labelled issues, for a tick with no memory of its own (no dashboard index to keep it in).
 */
export async function feedKeysOpened(octokit: Octokit, securityRepo: string, config: EmbargoConfig, botLogin: string): Promise<string[]> {
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repoParams(securityRepo), labels: config.label, state: "all", per_page: 100 });
  return issues.flatMap((i) => (i.pull_request || i.user?.login !== botLogin ? [] : [...(i.body ?? "").matchAll(FEED_MARKER_RE)].map((m) => m[1]!))).reverse();
}

/** Opens in this process, by repo and key: two ticks at once wait for the first one's issue. */
const inFlight = new Map<string, Promise<FeedIssue>>();

export interface FeedIssue {
  number: number;
  created: boolean;
}

/**
 * The issue for this entry if the app opened one: labelled issues updated since the entry was
 * published (the issue came after it, so the list stays short), by the app when known, with the marker.
 */
async function findFeedIssue(octokit: Octokit, securityRepo: string, config: EmbargoConfig, entry: MatchedEntry, botLogin?: string) {
  const published = entry.published ? Date.parse(entry.published) : NaN;
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
    ...repoParams(securityRepo),
    labels: config.label,
    state: "all",
    ...(Number.isNaN(published) ? {} : { since: new Date(published).toISOString() }),
    per_page: 100,
  });
  // By any of its keys: the issue may have been opened before the entry named its CVE.
  const markers = [entry.key, ...(entry.aliases ?? [])].map(feedMarker);
  return issues.find((i) => !i.pull_request && (!botLogin || i.user?.login === botLogin) && markers.some((m) => (i.body ?? "").includes(m)));
}

/** "CVE-…: what it is": NVD's entries are titled with the id alone, so their summary says what. */
function issueTitle(entry: MatchedEntry): string {
  const what = entry.cve && entry.title.trim().toUpperCase() === entry.cve ? entry.summary : entry.title;
  return `${entry.cve ?? "Feed entry"}: ${cut(neutralize(what), 150)}`;
}

/**
 * The entry's link as a link destination inside a table cell. The URL parser's own form has no
 * space, control or non-ASCII character left; of what it keeps, a parenthesis would close the
 * link, a `|` the cell, and a `\` would escape the template's closing parenthesis.
 */
function linkTarget(link: string | undefined): string | undefined {
  return link && new URL(link).href.replace(/[()|\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * A response issue for one matching feed entry, with the config's label so the usual intake runs:
 * the CVE id, link and summary (neutralised: the feed is someone else's text). Never two issues for
 * one entry: the marker is looked for first, after a restart too, and after a create answered 5xx.
 */
export function openFeedIssue(octokit: Octokit, securityRepo: string, config: EmbargoConfig, entry: MatchedEntry, botLogin?: string): Promise<FeedIssue> {
  const flight = `${securityRepo.toLowerCase()} ${entry.key}`;
  const running = inFlight.get(flight);
  if (running) return running;
  const work = (async (): Promise<FeedIssue> => {
    const existing = await findFeedIssue(octokit, securityRepo, config, entry, botLogin);
    if (existing) return { number: existing.number, created: false };
    const clean = (s: string | undefined) => (s === undefined ? undefined : neutralize(s));
    const link = linkTarget(entry.link);
    // The title is the link's text: a `]` in it would close that text (and its own `\` escape the one put before).
    const title = link ? entry.title.replace(/[\\[\]]/g, "\\$&") : entry.title;
    const view = { ...entry, link, title: clean(title), summary: clean(entry.summary), published: clean(entry.published), matched: entry.matched.map(neutralize) };
    const { text } = await renderTemplate("feed-entry", view);
    // Adopted after a lost answer, it is still this call's issue: `created` stays true.
    const made = await createOnce(
      async () => (await octokit.rest.issues.create({ ...repoParams(securityRepo), title: issueTitle(entry), body: `${text}\n\n${[entry.key, ...(entry.aliases ?? [])].map(feedMarker).join("\n")}`, labels: [config.label], ...NO_RETRY })).data,
      () => findFeedIssue(octokit, securityRepo, config, entry, botLogin),
    );
    return { number: made.number, created: true };
  })();
  inFlight.set(flight, work);
  return work.finally(() => inFlight.delete(flight));
}
