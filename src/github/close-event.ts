import type { ProbotOctokit } from "probot";
import { isOutOfReach } from "./http-status.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** The issue's latest `closed` event: its id, and the commit whose closing keyword closed it, if one did. */
export interface CloseEvent {
  id: number;
  commit?: string;
  /** When GitHub recorded it (ISO), if it says. */
  at?: string;
}

const PER_PAGE = 100;

function lastPage(link: string | undefined): number {
  const match = /[?&]page=(\d+)[^>]*>;\s*rel="last"/.exec(link ?? "");
  return match ? Number(match[1]) : 1;
}

/**
 * How the issue was last closed, as its events tell: the `issues.closed` webhook does not say
 * whether a person closed it or a merged PR's `Fixes #n` did, and only the event's `commit_id`
 * does. Events come oldest first, so the newest page is read first (one call for an issue with up
 * to 100 events, two past that) and earlier pages only while no close is found. Undefined when
 * the issue has no close event or cannot be read.
 */
export async function latestClose(octokit: Octokit, issue: { owner: string; repo: string; issue_number: number }): Promise<CloseEvent | undefined> {
  const read = async (page: number) => octokit.rest.issues.listEvents({ ...issue, per_page: PER_PAGE, page });
  try {
    const first = await read(1);
    let page = lastPage(first.headers.link);
    let events = page === 1 ? first.data : (await read(page)).data;
    for (;;) {
      const close = [...events].reverse().find((e) => e.event === "closed");
      if (close) return { id: close.id, ...(close.commit_id ? { commit: close.commit_id } : {}), ...(close.created_at ? { at: close.created_at } : {}) };
      if (--page < 1) return undefined;
      events = page === 1 ? first.data : (await read(page)).data;
    }
  } catch (error) {
    if (isOutOfReach(error)) return undefined;
    throw error;
  }
}
