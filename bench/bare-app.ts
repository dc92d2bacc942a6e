import type { ApplicationFunction } from "probot";
import type { MadeRequest, Replay } from "./fake-api.js";

/**
 * The baseline for "own CPU": a Probot app with no logic. On each event it makes the requests
 * the embargo app made for the same event, one after the other, answered by the same in-process
 * GitHub. What the embargo app costs beyond it is its own work: config parsing, deciding,
 * rendering, the leak firewall, signing. The requests are handed over either as the app made them
 * (`Call.made`: the route and its parameters, so the bare app pays Octokit's expansion of the route
 * as any Probot app calling GitHub does) or as ready URLs (`readyUrl`: the older, lighter baseline).
 * A list read with `octokit.paginate` reaches Octokit's hook as a ready URL (paginate expands the
 * route itself, once per list): it is made again as that URL, without that one expansion.
 */
export function bareApp(next: () => MadeRequest[]): ApplicationFunction {
  return (app) => {
    app.on(["issues.labeled", "issue_comment.created", "pull_request", "pull_request_review"], async (context) => {
      for (const r of next()) {
        await context.octokit
          .request(r.route, r.params)
          // The app may have been answered 404 (a missing config, say) or 304: so is the bare app.
          .catch((error: { status?: number }) => {
            if (error.status === undefined || error.status >= 500) throw error;
          });
      }
    });
  };
}

/**
 * The request as the fake received it, replayed as a ready URL with the headers that matter; the
 * body handed to Octokit parsed, as the app hands it, so both pay its serialization.
 */
export function readyUrl(r: Replay): MadeRequest {
  return { route: `${r.method} ${r.url}`, params: { headers: r.headers, ...(r.body === undefined ? {} : { data: r.data ?? r.body }) } };
}
