import type { Probot } from "probot";
import { appIdentity } from "./github/app-identity.js";
import { onCommandComment } from "./handlers/commands.js";
import { onIntake } from "./handlers/intake.js";
import { onIssueClosed } from "./handlers/issue-closed.js";
import { onPullRequest } from "./handlers/pull-request.js";
import { LinkSealer } from "./pr/pr-link.js";
import type { Deps } from "./handlers/response-context.js";
import { KeyedQueue } from "./util/keyed-queue.js";

export interface AppOptions {
  /** The clock, injectable so tests and dry runs see fixed dates. */
  now?: () => Date;
  /** The key material that seals PR links (README, "Fix PRs"); defaults to the environment's. */
  linkSecret?: string;
}

function linkSecretFromEnv(): string {
  return process.env.EMBARGO_LINK_SECRET || process.env.WEBHOOK_SECRET || process.env.PRIVATE_KEY || "development";
}

export function createApp(options: AppOptions = {}) {
  return (app: Probot): void => {
    const deps: Deps = {
      botLogin: appIdentity(app),
      queue: new KeyedQueue(),
      now: options.now ?? (() => new Date()),
      sealer: new LinkSealer(options.linkSecret ?? linkSecretFromEnv()),
    };
    app.on(["issues.opened", "issues.labeled"], (context) => onIntake(deps, context));
    app.on(["issue_comment.created", "issue_comment.edited"], (context) => onCommandComment(deps, context));
    app.on(
      [
        "pull_request.opened",
        "pull_request.edited",
        "pull_request.synchronize",
        "pull_request.reopened",
        "pull_request.closed",
        "pull_request_review.submitted",
        "pull_request_review.dismissed",
      ],
      (context) => onPullRequest(deps, context),
    );
    app.on("issues.closed", (context) => onIssueClosed(deps, context));
  };
}

export default createApp();
