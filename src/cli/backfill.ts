import type { Options } from "probot";
import type { BackfillOptions, BackfillReport } from "../handlers/gate-backfill.js";
import { withAppFromEnv, type AppIo } from "./app-from-env.js";

export type BackfillIo = AppIo;

const USAGE = "usage: embargo backfill <owner/repo> [--from <pr-number>]";
const REPO = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/;

function parse(args: string[]): { owner: string; repo: string; from?: number } | undefined {
  const [target, flag, value, ...rest] = args;
  const m = REPO.exec(target ?? "");
  if (!m || rest.length) return undefined;
  if (flag === undefined) return { owner: m[1]!, repo: m[2]! };
  if (flag !== "--from" || !/^[1-9]\d{0,9}$/.test(value ?? "")) return undefined;
  return { owner: m[1]!, repo: m[2]!, from: Number(value) };
}

const LISTED_REFUSED = 10;

/** One line a person reads: what was done, and how to go on when it stopped early. */
export function describeBackfill(report: BackfillReport): string {
  const head = `embargo backfill ${report.repo}:`;
  if (report.off) return `${head} \`public_pr.gate_every_pr\` is false there, so no PR gets the gate's passing run: nothing done`;
  // A permission the installation lacks refuses every PR alike: the first few say which.
  const listed = (report.refused ?? []).slice(0, LISTED_REFUSED).map((r) => `#${r.number} (HTTP ${r.status})`);
  const more = (report.refused?.length ?? 0) - listed.length;
  const refused = listed.length ? `; GitHub refused ${listed.join(", ")}${more > 0 ? ` and ${more} more` : ""}, left to their next event` : "";
  const done = `${report.judged} open PR(s) judged, ${report.written} given the gate's passing run ("No review needed")${refused}`;
  const stop = report.stopped;
  if (!stop) return `${head} ${done}${refused ? "" : "; every open PR now carries a run of the gate or was gated once"}`;
  const again = `embargo backfill ${report.repo} --from ${stop.at}`;
  if (stop.error && stop.listing) return `${head} ${done}; stopped listing the open PRs from #${stop.at} on (${stop.error}): run \`${again}\` to go on`;
  if (stop.error) return `${head} ${done}; stopped at #${stop.at} (${stop.error}): run \`${again}\` to go on`;
  const when = stop.reset ? ` after ${stop.reset.toISOString().slice(11, 16)} UTC, when GitHub's limit resets` : " in an hour";
  return `${head} ${done}; stopped before #${stop.at} to leave the app's events their share of the rate limit: run \`${again}\`${when}`;
}

/**
 * `embargo backfill <owner/repo>`: the open PRs of a product repository get the gate's passing run
 * as their next event would give it (src/handlers/gate-backfill.ts), with the app's credentials,
 * secret and store (REDIS_URL: its memory of the PRs it gated). Exit 0 when every open PR was
 * judged, 1 when it stopped early (the line says where to go on from) or GitHub refused a PR, 2 on
 * bad usage or missing credentials.
 */
export async function runBackfillCommand(args: string[], io: BackfillIo, probotOptions: Options = {}): Promise<number> {
  const target = parse(args);
  if (!target) {
    io.err(USAGE);
    return 2;
  }
  let backfill: ((owner: string, repo: string, options?: BackfillOptions) => Promise<BackfillReport>) | undefined;
  const report = await withAppFromEnv(io, "backfill", "read its gates and its memory of gated PRs", probotOptions, { onBackfill: (b) => (backfill = b) }, (store) => {
    if (!store) io.err("without REDIS_URL the app's memory of the PRs it gated is its process's: here only the priority label tells a PR the app gated once (README, \"Making the gate required\")");
    return backfill!(target.owner, target.repo, target.from ? { from: target.from } : {});
  });
  if (!report) return 2;
  io.out(describeBackfill(report));
  return report.stopped || report.refused?.length ? 1 : 0;
}
