import type { Context, ProbotOctokit } from "probot";
import { findIntakeIssue, intakeMarker, openIntakeIssue, securityRepoFor, type Report } from "../github/advisory-intake.js";
import { neutralize } from "../render/neutralize.js";
import { cut } from "../util/cut.js";
import { fittedBody, TITLE_LIMIT } from "./intake-body.js";
import type { Deps } from "./response-context.js";
import { noteReportProblem } from "../dashboard/report-problems.js";

type Advisory = Report;
type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * `repository_advisory.reported`: a private vulnerability report on a product repo opens a
 * response issue in its security repo (with the label, so `issues.opened` runs the usual intake).
 * A redelivery finds the issue again by its marker and opens nothing.
 */
export async function onAdvisoryReported(deps: Deps, context: Context<"repository_advisory.reported">): Promise<void> {
  const { payload } = context;
  const product = { owner: payload.repository.owner.login, repo: payload.repository.name };
  const log = (m: string) => context.log.warn(m);
  const result = await intakeReport(deps, context.octokit, product, payload.repository_advisory, log);
  // A repo that names a security repo which does not name it back: nothing may be written on the
  // product repo, but that security team is told on its dashboard (only one it keeps already, in a
  // private repo), once per repo, without the report.
  const refusedBy = result.notNamedBy;
  if (refusedBy?.private && deps.dashboards !== false) await noteReportProblem(deps, context.octokit, refusedBy.repo, { repo: `${product.owner}/${product.repo}`, problem: result.why!, from: "report" }, log);
}

/**
 * A report whose intake issue the app opened or found, by security repo: the tick's catch-up
 * (src/tick/missed-reports.ts) leaves it alone, though no open response names it any more (its issue
 * closed, relabelled, or transferred out of the security repo, where the marker lookup cannot see
 * it and would open a second one). Past this, the tick looks for it once more.
 */
export const INTAKE_SEEN_TTL_MS = 90 * 24 * 3_600_000;
export const intakeSeenKey = (security: string, ghsa: string) => `intake-seen:${security}:${ghsa}`.toLowerCase();

export type IntakeOutcome = "opened" | "found" | "refused" | "elsewhere";

/** What became of a report; when refused, why (repos only, never the report). */
export interface IntakeResult {
  outcome: IntakeOutcome;
  why?: string;
  notNamedBy?: { repo: string; private: boolean };
  /** The security repo it names, which is not private: nothing about the report may be written there. */
  notPrivate?: string;
}

/**
 * What the webhook and the tick's catch-up (src/tick/missed-reports.ts) both run for one report:
 * its security repo is the one the product repo's config names and whose own config names it
 * back, private now (`securityRepoFor`); there, under the report's queue, the issue is opened
 * unless the app opened it already (its marker). `into`: the tick works on one security repo
 * and leaves a report that goes elsewhere to that repo's tick.
 */
export async function intakeReport(deps: Deps, octokit: Octokit, product: { owner: string; repo: string }, advisory: Advisory, log: (m: string) => void, into?: string): Promise<IntakeResult> {
  const productRepo = `${product.owner}/${product.repo}`;
  const target = await securityRepoFor(octokit, product);
  if (!target.ok) {
    log(`report ${advisory.ghsa_id} on ${productRepo}: no response opened (${target.why})`);
    return { outcome: "refused", why: target.why, notNamedBy: target.notNamedBy, notPrivate: target.notPrivate };
  }
  if (into && target.repo.toLowerCase() !== into.toLowerCase()) return { outcome: "elsewhere" };
  const botLogin = await deps.botLogin();
  const seen = intakeSeenKey(target.repo, advisory.ghsa_id);
  const outcome = await deps.queue.run(`intake:${advisory.ghsa_id.toLowerCase()}`, async (): Promise<IntakeOutcome> => {
    const existing = await findIntakeIssue(octokit, target.repo, advisory.ghsa_id, advisory.created_at ?? undefined, botLogin);
    if (existing) {
      await deps.store.set(seen, "1", INTAKE_SEEN_TTL_MS);
      return "found";
    }
    const marker = intakeMarker(advisory.ghsa_id, productRepo, advisory.html_url);
    const body = await fittedBody(advisory, productRepo, marker);
    const prefix = `Private report on ${productRepo}: `;
    const summary = cut(neutralize(advisory.summary ?? "").replace(/\s+/g, " "), Math.min(180, TITLE_LIMIT - prefix.length));
    await openIntakeIssue(octokit, target.repo, {
      title: `${prefix}${summary || advisory.ghsa_id}`,
      body,
      label: target.config.label,
    }, { ghsa: advisory.ghsa_id, since: advisory.created_at ?? undefined, botLogin });
    await deps.store.set(seen, "1", INTAKE_SEEN_TTL_MS);
    return "opened";
  });
  return { outcome };
}
