import type { Probot } from "probot";
import { appIdentity } from "./github/app-identity.js";
import { onCommandComment } from "./handlers/commands.js";
import { onIntake } from "./handlers/intake.js";
import type { Deps } from "./handlers/response-context.js";
import { KeyedQueue } from "./util/keyed-queue.js";

export interface AppOptions {
  /** The clock, injectable so tests and dry runs see fixed dates. */
  now?: () => Date;
}

export function createApp(options: AppOptions = {}) {
  return (app: Probot): void => {
    const deps: Deps = { botLogin: appIdentity(app), queue: new KeyedQueue(), now: options.now ?? (() => new Date()) };
    app.on(["issues.opened", "issues.labeled"], (context) => onIntake(deps, context));
    app.on(["issue_comment.created", "issue_comment.edited"], (context) => onCommandComment(deps, context));
  };
}

export default createApp();
