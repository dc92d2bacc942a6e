import type { Probot } from "probot";
import { withResponseWrites } from "../github/response-writes.js";
import type { Deps } from "../handlers/response-context.js";
import type { KnownRepos } from "../tick/known-repos.js";
import { dashboardHook, type PayloadIssue } from "./dashboard-hook.js";

/**
 * Every handler registered after this runs with the dashboard hook in scope, so any response
 * write, by any handler, updates its dashboard row (and tells the tick the repo has responses).
 * Wrapping `app.on` keeps the registrations in src/index.ts as they are.
 */
export function keepDashboards(app: Probot, deps: Deps, known: KnownRepos): void {
  const on = app.on.bind(app) as (events: unknown, handler: (context: never) => Promise<void>) => void;
  (app as { on: unknown }).on = (events: unknown, handler: (context: never) => Promise<void>) =>
    on(events, (context: never) => {
      const ctx = context as unknown as { octokit: Parameters<typeof dashboardHook>[1]; log: { warn: (m: string) => void }; payload: { issue?: PayloadIssue; installation?: { id: number } } };
      const installation = ctx.payload.installation?.id;
      const hook = dashboardHook(deps, ctx.octokit, (m) => ctx.log.warn(m), ctx.payload.issue, (full, id) => installation && known.add(installation, full, id));
      return withResponseWrites(hook, () => handler(context));
    });
}
