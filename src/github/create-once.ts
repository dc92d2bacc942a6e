import { httpStatus } from "./http-status.js";

/**
 * Per-request options that turn @octokit/plugin-retry off for one call (its `request.retries`,
 * read before the Octokit's own `retry.retries`). Probot's Octokit retries any 5xx, POSTs
 * included, and GitHub sometimes answers 502 to a create it made: retried blindly, that is two
 * response comments, two replies, two issues. A create goes through `createOnce` instead.
 */
export const NO_RETRY = { request: { retries: 0 } } as const;

/** Tries of a create in all (the first and at most 2 more), and the wait before each look. */
const TRIES = 3;
let pauseMs = 1_000;

/** Tests set the wait to 0: the wait is for GitHub's lists to show a create just made. */
export function setCreatePause(ms: number): void {
  pauseMs = ms;
}

/**
 * GitHub may have done it: a 5xx, or no answer (a reset, a timeout: Octokit reports those as 500).
 * A 4xx, rate limits included, was refused before any work; an error without a status never left
 * the process (the leak firewall's block) and is not tried again.
 */
export function mayHaveMade(error: unknown): boolean {
  const status = httpStatus(error);
  return status !== undefined && status >= 500;
}

/**
 * A create that GitHub may have made is never made twice: `create` runs without Octokit's retry
 * (pass it `NO_RETRY`); when its answer says nothing (`mayHaveMade`), the object is looked for
 * the way the app finds it again later (`find`: its hidden marker, its issue lookup), after a
 * short wait, and adopted when there; else it is created again, up to `TRIES` in all. The last
 * failure fails the event, as any failed write does: its redelivery finds what was made. On the
 * normal path this costs nothing more than the create.
 */
export async function createOnce<T>(create: () => Promise<T>, find: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (error) {
      if (!mayHaveMade(error) || attempt >= TRIES) throw error;
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs * attempt));
      const found = await find();
      if (found !== undefined) return found;
    }
  }
}
