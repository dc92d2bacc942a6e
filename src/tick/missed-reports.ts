import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import { octokitPlatform } from "../github/platform.js";
import { triageReports } from "../github/triage-reports.js";
import { intakeReport, intakeSeenKey } from "../handlers/advisory-reported.js";
import type { Deps } from "../handlers/response-context.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** Reports opened, and component repos whose reports in triage go nowhere (why, in repos' words). */
export interface CaughtUp {
  opened: number;
  problems: { repo: string; problem: string }[];
}

/**
 * Reports whose `repository_advisory.reported` delivery failed (or came while the app was down):
 * GitHub does not redeliver, so each component repo's reports still in triage are read (one call
 * per repo) and each that no open response knows of (`known`: GHSA ids, upper case) runs what the
 * webhook runs, which opens nothing where the app's issue is found by its marker. Nothing here
 * fails the tick: a repo the app cannot read is skipped, anything else is tried again next tick.
 * GitHub Enterprise Server has no advisories: nothing is read there.
 */
export async function catchUpReports(deps: Deps, octokit: Octokit, full: string, config: EmbargoConfig, known: Set<string>, log: (m: string) => void): Promise<CaughtUp> {
  const problems: CaughtUp["problems"] = [];
  if (!octokitPlatform(octokit).advisories) return { opened: 0, problems };
  const products = new Map<string, string>();
  for (const c of Object.values(config.components)) if (c.repo && !products.has(c.repo.toLowerCase())) products.set(c.repo.toLowerCase(), c.repo);
  let opened = 0;
  for (const product of products.values()) {
    try {
      const reports = await triageReports(octokit, product);
      if (!reports) {
        log(`tick: ${full}: the reports of ${product} cannot be read (not installed there, or no permission); skipped`);
        continue;
      }
      const [owner, repo] = product.split("/") as [string, string];
      for (const report of reports.filter((r) => !known.has(r.ghsa_id.toUpperCase()))) {
        // Its issue was opened or found before (by the webhook or a tick): nothing to look for.
        if (await deps.store.get(intakeSeenKey(full, report.ghsa_id))) continue;
        const { outcome, why, notPrivate } = await intakeReport(deps, octokit, { owner, repo }, report, (m) => log(`tick: ${m}`), full);
        if (outcome === "opened") {
          opened++;
          log(`tick: ${full}: report ${report.ghsa_id} on ${product} had no response (its webhook was missed); opened one`);
        }
        // Where reports of this repo go does not depend on the report: the others would go there too.
        // Refused, they go nowhere: said on the dashboard (the report's words never), not only logged.
        // Not where this repository is the one found not private: its dashboard is readable by anyone.
        if (outcome === "refused" && notPrivate?.toLowerCase() !== full.toLowerCase()) problems.push({ repo: product, problem: why ?? "refused" });
        if (outcome === "refused" || outcome === "elsewhere") break;
      }
    } catch (error) {
      log(`tick: ${full}: the reports of ${product} were not caught up (${(error as Error).message.split("\n")[0]}); the next tick tries again`);
    }
  }
  return { opened, problems };
}
