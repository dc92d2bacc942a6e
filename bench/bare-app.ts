import type { ApplicationFunction } from "probot";
import type { Replay } from "./fake-api.js";

/**
 * The baseline for "own CPU": a Probot app with no logic. On each event it makes exactly the
 * requests the embargo app made for the event before it (same methods, URLs, headers and bodies,
 * so the same operationIds, answered by the same in-process GitHub), one after the other. What
 * the embargo app costs beyond it is its own work: config parsing, deciding, rendering, the leak
 * firewall, signing.
 */
export function bareApp(next: () => Replay[]): ApplicationFunction {
  return (app) => {
    app.on(["issues.labeled", "issue_comment.created", "pull_request", "pull_request_review"], async (context) => {
      for (const r of next()) {
        await context.octokit
          .request(`${r.method} ${r.url}`, { headers: r.headers, ...(r.body === undefined ? {} : { data: r.data ?? r.body }) })
          // The app may have been answered 404 (a missing config, say): so is the bare app.
          .catch((error: { status?: number }) => {
            if (error.status === undefined || error.status >= 500) throw error;
          });
      }
    });
  };
}
