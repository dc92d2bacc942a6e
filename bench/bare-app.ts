import type { ApplicationFunction } from "probot";
import type { Call, MadeRequest, Replay } from "./fake-api.js";

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

/** The requests as the app made them (`api.capture` on): the routes and parameters it handed Octokit. */
export function madeAsApp(calls: Call[]): MadeRequest[] {
  return calls.map((c) => {
    if (!c.made) throw new Error(`${c.method} ${c.path} was not made through Octokit's request hook: the bare app cannot make it as the app did`);
    return c.made;
  });
}

/** What GitHub received: method, URL, the headers that matter and the body. */
const received = (c: Call) => `${c.method} ${c.replay!.url} ${JSON.stringify(c.replay!.headers)} ${c.replay!.body ?? ""}`;

/** The bare app must have made exactly the app's requests: a baseline making others measures nothing. */
export function sameRequests(who: string, app: Call[], bare: Call[]): void {
  const want = app.map(received);
  const got = bare.map(received);
  const at = want.findIndex((w, i) => w !== got[i]);
  if (at === -1 && want.length === got.length) return;
  const i = at === -1 ? Math.min(want.length, got.length) : at;
  throw new Error(`the bare app (${who}) did not make the app's requests: request ${i + 1} of ${want.length} was\n  ${got[i] ?? "(none)"}\ninstead of\n  ${want[i] ?? "(none)"}`);
}
