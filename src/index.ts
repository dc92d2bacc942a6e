import type { Probot } from "probot";
import { appIdentity } from "./github/app-identity.js";
import { onCommandComment } from "./handlers/commands.js";
import { onIntake } from "./handlers/intake.js";
import { onAdvisoryPublished } from "./github/announce-published.js";
import { onIssueClosed } from "./handlers/issue-closed.js";
import { onPullRequest } from "./handlers/pull-request.js";
import { LinkSealer } from "./pr/pr-link.js";
import type { Deps } from "./handlers/response-context.js";
import { KeyedQueue } from "./util/keyed-queue.js";
import { KeyRing, keyRingFromEnv } from "./security/key-ring.js";

export interface AppOptions {
  /** The clock, injectable so tests and dry runs see fixed dates. */
  now?: () => Date;
  /** The app's secret and the one being rotated out (README, "Secrets"); default: the environment's. */
  secret?: string;
  previousSecret?: string;
}

export function createApp(options: AppOptions = {}) {
  return (app: Probot): void => {
    const keys = options.secret ? new KeyRing(options.secret, options.previousSecret) : keyRingFromEnv();
    const deps: Deps = {
      botLogin: appIdentity(app),
      queue: new KeyedQueue(),
      now: options.now ?? (() => new Date()),
      keys,
      sealer: new LinkSealer(keys),
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
    app.on("repository_advisory.published", (context) => onAdvisoryPublished(deps, context));
  };
}

export default createApp();
