import type { ProbotOctokit } from "probot";
import { isOutOfReach } from "./http-status.js";

type Octokit = InstanceType<typeof ProbotOctokit>;
type IssueRef = { owner: string; repo: string; issue_number: number };

/** The issue's latest `closed` event: its id, and the commit whose closing keyword closed it, if one did. */
export interface CloseEvent {
  id: number;
  commit?: string;
  /** When GitHub recorded it (ISO), if it says. */
  at?: string;
}

const PER_PAGE = 100;

/** How a close was made cannot be told yet: whoever meets the close next decides (src/handlers/unhandled-close.ts). */
export class CloseNotListed extends Error {}

/** Clocks of one GitHub event and its listing agree to the second; a close this much older is another close. */
const LISTING_LAG_MS = 60_000;
/** GitHub's listing of an issue's events may lag its webhook: read again after these waits. */
const LISTING_WAITS_MS = [1_000, 3_000];

function lastPage(link: string | undefined): number {
  const match = /[?&]page=(\d+)[^>]*>;\s*rel="last"/.exec(link ?? "");
  return match ? Number(match[1]) : 1;
}

type IssueEvent = Awaited<ReturnType<Octokit["rest"]["issues"]["listEvents"]>>["data"][number];

/**
 * The issue's newest event of one of `kinds`. Events come oldest first, so the newest page is read
 * first (one call for an issue with up to 100 events, two past that) and earlier pages only while
 * none is found. Undefined when the issue cannot be read, null when it has none.
 */
async function latestOf(octokit: Octokit, issue: IssueRef, kinds: string[]): Promise<IssueEvent | null | undefined> {
  const read = async (page: number) => octokit.rest.issues.listEvents({ ...issue, per_page: PER_PAGE, page });
  try {
    const first = await read(1);
    let page = lastPage(first.headers.link);
    let events = page === 1 ? first.data : (await read(page)).data;
    for (;;) {
      const found = [...events].reverse().find((e) => kinds.includes(e.event));
      if (found) return found;
      if (--page < 1) return null;
      events = page === 1 ? first.data : (await read(page)).data;
    }
  } catch (error) {
    if (isOutOfReach(error)) return undefined;
    throw error;
  }
}

/**
 * How the issue was last closed, as its events tell: the `issues.closed` webhook does not say
 * whether a person closed it or a merged PR's `Fixes #n` did, and only the event's `commit_id`
 * does. Undefined when the issue cannot be read, null when it has no close event.
 */
async function latestClose(octokit: Octokit, issue: IssueRef): Promise<CloseEvent | null | undefined> {
  const close = await latestOf(octokit, issue, ["closed"]);
  return close && { id: close.id, ...(close.commit_id ? { commit: close.commit_id } : {}), ...(close.created_at ? { at: close.created_at } : {}) };
}

/**
 * When the issue was last reopened (ISO), as its events tell: the issue itself does not say, and
 * a reopen nobody handled has no webhook to give it. Only a reopen listed after the latest close
 * listed is that reopen; undefined when none is (the listing may lag) or the issue cannot be read.
 */
export async function latestReopen(octokit: Octokit, issue: IssueRef): Promise<string | undefined> {
  const last = await latestOf(octokit, issue, ["closed", "reopened"]);
  return last?.event === "reopened" ? last.created_at : undefined;
}

/**
 * The close an `issues.closed` event reports (`closedAt`: its payload's `closed_at`), as the
 * issue's events list it: the latest close, once one is listed that is not older than this one.
 * Not listed yet is no answer (a keyword close would pass for a close by hand, a close by hand for
 * the earlier keyword close): read again after each of `waits`, and past them `CloseNotListed` is
 * thrown (a redelivery, the next PR event or the tick decides). A later close listed instead is the close that stands. Undefined when the
 * issue's events cannot be read.
 */
export async function reportedClose(octokit: Octokit, issue: IssueRef, closedAt: string | null | undefined, waits: number[] = LISTING_WAITS_MS): Promise<CloseEvent | undefined> {
  const since = closedAt ? Date.parse(closedAt) - LISTING_LAG_MS : NaN;
  for (const wait of [0, ...waits]) {
    if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
    const close = await latestClose(octokit, issue);
    if (close === undefined) return undefined;
    // A payload or a close without a time (never seen): the latest close, as before there were times.
    if (Number.isNaN(since) || (close && (!close.at || Date.parse(close.at) >= since))) return close ?? undefined;
  }
  throw new CloseNotListed(`${issue.owner}/${issue.repo}#${issue.issue_number}: its close at ${closedAt} is not listed among its events yet; whether a closing keyword made it is unknown (redeliver the event)`);
}
