import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import { changeDashboard } from "../dashboard/dashboard-hook.js";
import { FEED_PROBLEMS, readIndex, rowOf, type DashboardRow } from "../dashboard/dashboard-index.js";
import { findDashboard } from "../github/dashboard-issue.js";
import { readConfigFrom } from "../github/read-config.js";
import { knowRepoId, learnRepoId } from "../github/repo-ids.js";
import { repoParams } from "../github/announce-context.js";
import { EventScope, runInScope } from "../github/event-scope.js";
import { getIssue, hasLabelledIssue, listOpenResponses, privateRepos, type ListedIssue } from "../github/tick-github.js";
import { issueKey, loadResponse, responseKey, type Deps } from "../handlers/response-context.js";
import { CLOSED_STATES, type ResponseRecord } from "../record/response-record.js";
import type { KnownRepos } from "./known-repos.js";
import type { Lease } from "./lease.js";
import { retryClosedNotices } from "./closed-notices.js";
import { reconcileResponse, type ReconcileInput } from "./reconcile-response.js";
import { catchUpLogged, closesWithoutDashboard } from "./unhandled-closes.js";
import { catchUpClose } from "../handlers/unhandled-close.js";
import { FEEDS_SEEN, tickFeeds } from "./tick-feeds.js";
import { catchUpReports } from "./missed-reports.js";
import { tickReportProblems } from "../dashboard/report-problems.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface TickInstallation {
  id: number;
  octokit: Octokit;
}

export interface TickEnv {
  deps: Deps;
  known: KnownRepos;
  lease: Lease;
  log: (message: string) => void;
  /** Every installation of the app, each with an octokit authenticated for it. */
  installations: () => Promise<TickInstallation[]>;
  /** Runs one repo's tick behind the leak firewall, as webhook handlers run (src/index.ts). */
  guard?: (octokit: Octokit, run: () => Promise<void>) => Promise<void>;
}

export interface TickReport {
  repos: string[];
  responses: number;
  /** Repos another tick held (skipped), and repos that failed (logged; the next tick tries again). */
  skipped: string[];
  failed: string[];
}

/** A repo's tick may not outlast this; a lease is given up after it whatever happened. */
const LEASE_MS = 30 * 60_000;

/**
 * One tick: for each installation, its security repos (discovered once per process, then
 * remembered), each under a lease so that two ticks never work on one repo at once: every open
 * response reconciled, its reminders posted, and the dashboard rebuilt from the responses.
 */
export async function runTick(env: TickEnv): Promise<TickReport> {
  const report: TickReport = { repos: [], responses: 0, skipped: [], failed: [] };
  for (const installation of await env.installations()) {
    if (!env.known.has(installation.id)) {
      const { found, unread } = await discoverRepos(installation.octokit, env.log);
      // A repo that could not be read (or whose config is invalid) may be a security repo: the tick
      // fails on it (cron sees exit 1), and the installation is not taken as discovered, so the
      // next tick reads it again.
      if (unread.length) for (const repo of found) env.known.add(installation.id, repo.full, repo.id);
      else env.known.discovered(installation.id, found);
      report.failed.push(...unread);
    }
    for (const full of env.known.repos(installation.id)) {
      const release = await env.lease.acquire(`tick:${full}`, LEASE_MS);
      if (!release) {
        report.skipped.push(full);
        continue;
      }
      try {
        const run = async () => {
          // The id GitHub listed the repo with (or an event wrote a response there with): its records are bound to it.
          const id = env.known.idOf(full);
          if (id !== undefined) knowRepoId(repoParams(full), id);
          report.responses += await tickRepo(env, installation.octokit, full);
        };
        const work = () => (env.guard ? env.guard(installation.octokit, run) : runInScope(new EventScope("tick"), run));
        await (release.hold ? release.hold(work) : work());
        report.repos.push(full);
      } catch (error) {
        report.failed.push(full);
        env.log(`tick: ${full} failed (${(error as Error).message.split("\n")[0]}); the next tick tries again`);
      } finally {
        await release();
      }
    }
  }
  return report;
}

/**
 * The installation's security repos, found once: each private repo's config (the label it uses)
 * and one call to see whether any issue has that label. Later ticks use the list in memory, and
 * an event that writes a response adds its repo. `unread`: repos GitHub did not answer for.
 */
export async function discoverRepos(octokit: Octokit, log: (m: string) => void): Promise<{ found: { full: string; id: number }[]; unread: string[] }> {
  const found: { full: string; id: number }[] = [];
  const unread: string[] = [];
  for (const { full, id } of await privateRepos(octokit)) {
    const [owner, repo] = full.split("/") as [string, string];
    try {
      const result = await readConfigFrom(octokit, owner, repo);
      if (!result.ok) {
        // A security repo whose config someone broke must not just drop out of the tick; a product
        // repo's broken PR settings are its PRs' business, and must not fail every tick (nor make each
        // look for security repos again). Its issues under the file's label (or the default) tell them apart.
        if (await hasLabelledIssue(octokit, owner, repo, result.label)) {
          log(`tick: ${full} has an invalid .github/embargo.yml (${result.problems[0] ?? "?"}); not ticked until it is fixed`);
          unread.push(full);
        } else log(`tick: ${full} has an invalid .github/embargo.yml and no issue labelled ${result.label}: not a security repo`);
      } else if (await hasLabelledIssue(octokit, owner, repo, result.config.label)) found.push({ full, id });
    } catch (error) {
      log(`tick: ${full} could not be read (${(error as Error).message.split("\n")[0]}); the next tick tries again`);
      unread.push(full);
    }
  }
  return { found, unread };
}

async function tickRepo(env: TickEnv, octokit: Octokit, full: string): Promise<number> {
  const { deps } = env;
  const [owner, repo] = full.split("/") as [string, string];
  const result = await readConfigFrom(octokit, owner, repo, deps.store);
  // A failure, not a skip: no reminder, dashboard or feed runs until the config is fixed, and cron must hear of it.
  if (!result.ok) throw new Error(`its .github/embargo.yml is invalid (${result.problems[0] ?? "?"}): nothing is ticked until it is fixed`);
  const config = result.config;
  const open = await listOpenResponses(octokit, owner, repo, config.label);
  // Once per repo: its responses' records and queues are keyed by its id (src/github/repo-ids.ts).
  if (open.length) await learnRepoId(octokit, { owner, repo });
  const rows = new Map<number, DashboardRow>();
  const prConfigs = new Map();
  const unhandled: ReconcileInput["unhandled"] = new Map();
  const botLogin = await deps.botLogin();
  // Reports an open response already stands for: its issue the app opened from the report, or its record.
  const reported = new Set(open.flatMap((i) => (i.intake && i.author === botLogin ? [i.intake] : [])));
  for (const issue of open) {
    const ref = { owner, repo, issue_number: issue.number };
    let record;
    try {
      record = await deps.queue.run(responseKey(ref), () => reconcileResponse({ deps, octokit, owner, repo, issue, config, log: env.log, prConfigs, unhandled }));
    } catch (error) {
      // One response that cannot be reconciled must not stop the others, nor the dashboard.
      env.log(`tick: ${issueKey(ref)} was not reconciled (${(error as Error).message.split("\n")[0]}); the next tick tries again`);
    }
    if (record?.ghsa) reported.add(record.ghsa.toUpperCase());
    if (record) rows.set(issue.number, rowOf(record, config, { n: issue.number, url: issue.html_url, title: issue.title, assignees: issue.assignees }, deps.now()));
  }
  const log = (m: string) => env.log(`tick: ${m}`);
  const reports = await catchUpReports(deps, octokit, full, config, reported, env.log);
  // Closes nobody handled: of another response sharing a PR with these (its own tick may be far off), or found without a dashboard.
  for (const { issue, security } of unhandled.values()) {
    const record = await catchUpLogged(deps, octokit, issue, security, log);
    // One of these rows, judged after its row was made (a reopen nobody handled): the row follows the record.
    const listed = `${issue.owner}/${issue.repo}`.toLowerCase() === full.toLowerCase() ? open.find((i) => i.number === issue.issue_number) : undefined;
    if (record && listed && rows.has(listed.number)) rows.set(listed.number, rowOf(record, config, { n: listed.number, url: listed.html_url, title: listed.title, assignees: listed.assignees }, deps.now()));
  }
  await closesWithoutDashboard(deps, octokit, owner, repo, config, log);
  const repairs = await staleRows(env, octokit, full, config, open);
  const feeds = await tickFeeds(deps, octokit, full, config, env.log);
  await changeDashboard(
    deps,
    { octokit, owner, repo, log: env.log },
    (index) => {
      // Rows kept from the index: closed ones (until their 30 days pass), and those of open issues
      // that could not be reconciled this time; the others were rebuilt above.
      const openNumbers = new Set(open.map((i) => i.number));
      const kept = index.rows.filter((r) => !rows.has(r.n) && (CLOSED_STATES.includes(r.state) || openNumbers.has(r.n)));
      const repaired = [...repairs.values()].map((make) => make(index.rows.find((r) => r.n === make.n)));
      const byNumber = new Map([...kept, ...repaired.filter((r): r is DashboardRow => Boolean(r)), ...rows.values()].map((r) => [r.n, r]));
      // The feeds' problems are this tick's: an old one goes when the feed is read again (or no longer configured).
      const { [FEED_PROBLEMS]: _before, ...rest } = index;
      const problems = feeds?.problems.length ? { [FEED_PROBLEMS]: feeds.problems } : {};
      return tickReportProblems({ ...rest, v: 1, rows: [...byNumber.values()], ...(feeds ? { [FEEDS_SEEN]: feeds.seen } : {}), ...problems }, reports.problems, config, deps.now());
    },
    config,
  );
  return rows.size;
}

type RowMaker = ((previous?: DashboardRow) => DashboardRow | undefined) & { n: number };

/**
 * Rows the dashboard still shows as open whose issue is not open any more (a close whose webhook
 * was lost): the close is judged as that webhook would have (src/handlers/unhandled-close.ts),
 * and the row follows the record. And closed rows whose
 * chat messages still wait (`notify`): those are sent again (src/tick/closed-notices.ts).
 */
async function staleRows(env: TickEnv, octokit: Octokit, full: string, config: EmbargoConfig, open: ListedIssue[]): Promise<RowMaker[]> {
  const { deps } = env;
  const [owner, repo] = full.split("/") as [string, string];
  const dashboard = await findDashboard(octokit, owner, repo, await deps.botLogin());
  if (!dashboard) return [];
  const openNumbers = new Set(open.map((i) => i.number));
  const closed = (r: DashboardRow) => CLOSED_STATES.includes(r.state);
  const revisit = readIndex(dashboard.body, deps.keys, full).rows.filter((r) => !openNumbers.has(r.n) && (!closed(r) || r.notify));
  const makers: RowMaker[] = [];
  for (const row of revisit) {
    const ref = { owner, repo, issue_number: row.n };
    const issue = await getIssue(octokit, ref);
    let record: ResponseRecord | undefined;
    if (issue && closed(row) && !issue.open) {
      try {
        record = await deps.queue.run(responseKey(ref), () => retryClosedNotices({ deps, octokit, owner, repo, issue, config, log: env.log }));
      } catch (error) {
        env.log(`tick: ${issueKey(ref)}: its waiting chat messages were not sent (${(error as Error).message.split("\n")[0]}); the next tick tries again`);
        continue;
      }
    } else if (issue && !issue.open) {
      // A close nobody handled (its webhook failed or was lost): judged here as the webhook would have.
      try {
        record = await catchUpClose(deps, octokit, ref, config, (m) => env.log(`tick: ${m}`));
      } catch (error) {
        // The row is kept as it was, so the next tick comes back to it.
        env.log(`tick: ${issueKey(ref)}: its close was not handled (${(error as Error).message.split("\n")[0]}); the next tick tries again`);
        const keep = ((previous?: DashboardRow) => previous) as RowMaker;
        keep.n = row.n;
        makers.push(keep);
        continue;
      }
    } else if (issue) record = (await loadResponse(octokit, ref, config, await deps.botLogin(), deps.keys, deps.store)).record;
    const make = ((previous?: DashboardRow) =>
      record && issue ? rowOf(record, config, { n: row.n, url: issue.html_url, title: issue.title, assignees: issue.assignees }, deps.now(), previous) : undefined) as RowMaker;
    make.n = row.n;
    makers.push(make);
  }
  return makers;
}
