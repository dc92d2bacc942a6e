import type { Probot } from "probot";
import { appIdentity, appIdOf } from "./github/app-identity.js";
import { onCommandComment } from "./handlers/commands.js";
import { onIntake } from "./handlers/intake.js";
import { onAdvisoryPublished } from "./handlers/advisory-published.js";
import { onAdvisoryReported } from "./handlers/advisory-reported.js";
import { onIssueClosed } from "./handlers/issue-closed.js";
import { onPullRequest } from "./handlers/pull-request.js";
import { onMergeGroup } from "./handlers/merge-group.js";
import { onResponseEdited } from "./handlers/response-edited.js";
import { onRepositoryVisibility } from "./handlers/repository-visibility.js";
import { onRepositoryRenamed } from "./handlers/repository-renamed.js";
import { LinkSealer } from "./pr/pr-link.js";
import type { Deps } from "./handlers/response-context.js";
import { KeyedQueue } from "./util/keyed-queue.js";
import { KeyRing, keyRingFromEnv, MissingSecretError } from "./security/key-ring.js";
import { keepEmbargoOutOfLogs } from "./security/safe-log.js";
import { withFirewall, type GuardedContext } from "./github/with-firewall.js";
import { keepDashboards } from "./dashboard/keep-dashboards.js";
import { KnownRepos } from "./tick/known-repos.js";
import { InProcessLease, stackLeases, type Lease } from "./tick/lease.js";
import { runTick, type TickReport } from "./tick/run-tick.js";
import { backfillGate, type BackfillOptions, type BackfillReport } from "./handlers/gate-backfill.js";
import { startTickTimer, tickMinutes } from "./tick/tick-timer.js";
import { appInstallations, repoInstallation } from "./github/app-installations.js";
import { MemoryStore } from "./store/memory-store.js";
import type { Store } from "./store/store.js";
import { closeOnStop, storeFromEnv } from "./store/store-from-env.js";
import { LockedQueue } from "./store/locked-queue.js";
import { oncePerDelivery } from "./store/delivery-memory.js";
import { StoreLease } from "./store/store-lease.js";
import { fenceWrites } from "./github/lock-fence.js";

export interface AppOptions {
  /** The clock, injectable so tests and dry runs see fixed dates. */
  now?: () => Date;
  /** The app's secret and the one being rotated out (README, "Secrets"); default: the environment's. */
  secret?: string;
  previousSecret?: string;
  /** Internal, for the benchmark only: `false` runs events without the leak firewall. */
  leakFirewall?: boolean;
  /** Where the secrets come from when `secret` is not given; default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** What happens when a secret is missing; default: the one line on stderr and exit code 1. */
  refuseStart?: (line: string) => void;
  /** Keep each security repo's dashboard issue on every response write (README, "Dashboard and reminders"); default true. */
  dashboard?: boolean;
  /** Minutes between ticks in this process; default EMBARGO_TICK_MINUTES, else 60; 0 = off. */
  tickMinutes?: number;
  /** The lease ticks take per repo; default in-process (a shared one goes in front: src/tick/lease.ts). */
  lease?: Lease;
  /** Memory kept between events; default: a Redis one when REDIS_URL is set (README, "Several instances"), else in-process. */
  store?: Store;
  /**
   * Whether other instances share `store`: then the per-issue lock, the delivery-id memory and the
   * tick's shared lease use it. Default: true for any store but a `MemoryStore`.
   */
  shared?: boolean;
  /** Receives the tick, for `embargo tick` and tests. */
  onTick?: (tick: () => Promise<TickReport>) => void;
  /** Receives the gate's backfill of one repository's open PRs, for `embargo backfill`. */
  onBackfill?: (backfill: (owner: string, repo: string, options?: BackfillOptions) => Promise<BackfillReport>) => void;
}

/**
 * `probot run` loads the app after its server is set up; a thrown error there ends the process as
 * an unhandled rejection, with a stack trace that buries the reason. One line, written
 * synchronously (a pipe or file on Linux), then a non-zero exit, says what to fix.
 */
function refuseToStart(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

export function createApp(options: AppOptions = {}) {
  return (app: Probot): void => {
    // Before anything can fail: a failed delivery's error carries the report and the failed write's text.
    keepEmbargoOutOfLogs(app.log);
    let keys: KeyRing;
    try {
      keys = options.secret ? new KeyRing(options.secret, options.previousSecret) : keyRingFromEnv(options.env);
    } catch (error) {
      if (!(error instanceof MissingSecretError)) throw error;
      (options.refuseStart ?? refuseToStart)(error.message);
      return;
    }
    const log = (m: string) => app.log.warn(m);
    const env = options.env ?? process.env;
    const redis = options.store ? undefined : storeFromEnv(env, log);
    if (redis) closeOnStop(() => redis.close());
    const store = options.store ?? redis ?? new MemoryStore();
    // Several instances (README, "Several instances"): the store carries the lock, the deliveries and the lease.
    const shared = options.shared ?? !(store instanceof MemoryStore);
    const deps: Deps = {
      botLogin: appIdentity(app),
      appId: appIdOf(app),
      queue: shared ? new LockedQueue(store, undefined, log) : new KeyedQueue(),
      now: options.now ?? (() => new Date()),
      keys,
      sealer: new LinkSealer(keys),
      env,
      store,
      dashboards: options.dashboard !== false,
    };
    const known = new KnownRepos();
    if (options.dashboard !== false) keepDashboards(app, deps, known);
    const lease = options.lease ?? (shared ? stackLeases(new StoreLease(store), new InProcessLease()) : new InProcessLease());
    const firewalled = (context: GuardedContext, run: () => Promise<void>) => {
      // A write under a per-issue lock another instance may have taken since (Redis restarted) fails instead.
      if (shared) fenceWrites(context.octokit);
      return options.leakFirewall === false ? run() : withFirewall(context, deps.botLogin, run, store);
    };
    // Every handler, and the tick's work on each repo, runs behind the leak firewall (README, "Leak firewall");
    // with a shared store, each handler acts once per delivery however many instances it reaches.
    const guarded = (context: GuardedContext & { id?: string }, run: () => Promise<void>, handler?: string) =>
      shared && handler && context.id
        ? oncePerDelivery(store, { id: context.id, handler }, () => firewalled(context, run), undefined, log).then(() => undefined)
        : firewalled(context, run);
    // The tick has no event: its scope starts empty, so every repo it writes to is asked for its visibility.
    const tickLog = { error: (fields: object, message: string) => app.log.error(fields, message) };
    const guardAs = (name: string) => (octokit: GuardedContext["octokit"], run: () => Promise<void>) => guarded({ name, payload: {}, octokit, log: tickLog }, run);
    const tick = () => runTick({ deps, known, lease, log, installations: () => appInstallations(app), guard: guardAs("tick") });
    options.onTick?.(tick);
    options.onBackfill?.(async (owner, repo, backfill) => {
      const octokit = await repoInstallation(app, owner, repo);
      if (!octokit) throw new Error(`the app is not installed on ${owner}/${repo}`);
      let report: BackfillReport | undefined;
      await guardAs("backfill")(octokit, async () => void (report = await backfillGate(deps, octokit, owner, repo, backfill)));
      return report!;
    });
    startTickTimer(tick, options.tickMinutes ?? tickMinutes(env, log), log);
    app.on(["issues.opened", "issues.labeled"], (context) => guarded(context, () => onIntake(deps, context), "intake"));
    app.on(["issue_comment.created", "issue_comment.edited"], (context) => guarded(context, () => onCommandComment(deps, context), "commands"));
    app.on("issue_comment.edited", (context) => guarded(context, () => onResponseEdited(deps, context), "response-edited"));
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
      (context) => guarded(context, () => onPullRequest(deps, context), "pull-request"),
    );
    // A required gate must be reported on a merge queue's commits too (README, "Making the gate required").
    app.on("merge_group.checks_requested", (context) => guarded(context, () => onMergeGroup(deps, context), "merge-group"));
    app.on(["issues.closed", "issues.reopened"], (context) => guarded(context, () => onIssueClosed(deps, context), "issue-closed"));
    app.on("repository_advisory.published", (context) => guarded(context, () => onAdvisoryPublished(deps, context), "advisory-published"));
    app.on("repository_advisory.reported", (context) => guarded(context, () => onAdvisoryReported(deps, context), "advisory-reported"));
    // An event fired while a repo was private may arrive after it was made public: the store remembers which were.
    app.on(["repository.publicized", "repository.privatized"], (context) => guarded(context, () => onRepositoryVisibility(deps, context), "repository-visibility"));
    // A security repo renamed or transferred: records still bound to its former name are bound to its id.
    app.on(["repository.renamed", "repository.transferred"], (context) => guarded(context, () => onRepositoryRenamed(deps, context), "repository-renamed"));
  };
}

export default createApp();
