import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import type { ResponseRecord } from "../record/response-record.js";
import { readConfigFrom } from "./read-config.js";
import { repoParams } from "./announce-context.js";
import { createOnce, NO_RETRY } from "./create-once.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * A private vulnerability report as the app reads it: the fields that both the
 * `repository_advisory.reported` payload and GitHub's list of a repo's advisories carry.
 */
export interface Report {
  ghsa_id: string;
  html_url: string;
  state: string;
  summary: string;
  description: string | null;
  severity: string | null;
  created_at: string | null;
  cvss?: { vector_string: string | null } | null;
  cwe_ids?: string[] | null;
  cwes?: readonly { cwe_id: string; name: string }[] | null;
  vulnerabilities?: { package: { ecosystem: string; name: string | null } | null; vulnerable_version_range: string | null }[] | null;
}

/** The hidden marker in an intake issue's body: the report it came from, as the app wrote it. */
export function intakeMarker(ghsa: string, repo: string, url: string): string {
  return `<!-- embargo:intake ${ghsa} ${repo.toLowerCase()} ${url} -->`;
}

const INTAKE_RE = /<!-- embargo:intake (GHSA(?:-[a-z0-9]{4}){3}) ([A-Za-z0-9-]+\/[A-Za-z0-9._-]+) (https:\/\/[^\s<>]+) -->/i;

/** The report an issue's body names (trusted only when the app wrote the body: see `tieToReport`). */
export function intakeOf(body: string | null | undefined): { ghsa: string; repo: string; url: string } | undefined {
  const m = INTAKE_RE.exec(body ?? "");
  return m ? { ghsa: m[1]!, repo: m[2]!, url: m[3]! } : undefined;
}

/**
 * A new response on an issue the app opened from a report is tied to that advisory: `/announce`
 * updates it, `/triage confirm` accepts it, `invalid` / `no-action` close it. Only the app's own
 * issue counts (people cannot post as the app), and only for a repo this config still names.
 */
export function tieToReport(record: ResponseRecord, issue: { author: string; body?: string }, botLogin: string, config: EmbargoConfig): ResponseRecord {
  if (issue.author !== botLogin || record.ghsa) return record;
  const report = intakeOf(issue.body);
  if (!report) return record;
  if (!Object.values(config.components).some((c) => c.repo?.toLowerCase() === report.repo)) return record;
  return { ...record, ghsa: report.ghsa, advisory: { repo: report.repo, url: report.url }, advisory_state: "triage" };
}

export type SecurityRepoResult =
  | { ok: true; repo: string; config: EmbargoConfig }
  | { ok: false; why: string; notNamedBy?: { repo: string; private: boolean }; notPrivate?: string };

/**
 * Where a product repo's report goes: the `security_repo` its config names, but only if THAT
 * repository's own config lists the product repo as a component's `repo` and it is private. A
 * product repo's admins write its config: they may not send reports anywhere else.
 */
export async function securityRepoFor(octokit: Octokit, product: { owner: string; repo: string }): Promise<SecurityRepoResult> {
  const full = `${product.owner}/${product.repo}`;
  const productConfig = await readConfigFrom(octokit, product.owner, product.repo);
  if (!productConfig.ok) return { ok: false, why: `the config of ${full} is invalid` };
  const target = productConfig.config.security_repo;
  if (!target) return { ok: false, why: `${full} names no security_repo` };
  const security = await readConfigFrom(octokit, ...(target.split("/") as [string, string]));
  if (!security.ok) return { ok: false, why: `the config of ${target} is invalid` };
  const named = Object.values(security.config.components).some((c) => c.repo?.toLowerCase() === full.toLowerCase());
  // Read either way: a report goes only where non-members cannot read, and a security team not
  // naming the repo back is told on its dashboard only there.
  const { data } = await octokit.rest.repos.get(repoParams(target));
  const hidden = Boolean(data.private) && data.visibility !== "internal";
  if (!named) return { ok: false, why: `${target}'s own config does not name ${full} as a component's repo`, notNamedBy: { repo: target, private: hidden } };
  if (!hidden) return { ok: false, why: `${target} is not private`, notPrivate: target };
  return { ok: true, repo: target, config: security.config };
}

/**
 * Opens the intake issue with the label, so `issues.opened` runs the usual intake. Once: a create
 * answered 5xx is looked for as `findIntakeIssue` finds it (the `report`'s marker) before it is sent again.
 */
export async function openIntakeIssue(
  octokit: Octokit,
  securityRepo: string,
  issue: { title: string; body: string; label: string },
  report: { ghsa: string; since?: string; botLogin: string },
): Promise<number> {
  const made = await createOnce(
    async () => (await octokit.rest.issues.create({ ...repoParams(securityRepo), title: issue.title, body: issue.body, labels: [issue.label], ...NO_RETRY })).data,
    () => findIntakeIssue(octokit, securityRepo, report.ghsa, report.since, report.botLogin),
  );
  return made.number;
}

/**
 * The intake issue for a report, if the app opened one already: issues updated since the report
 * was made (so the list stays short however old the repo), written by the app, with the marker.
 */
export async function findIntakeIssue(octokit: Octokit, securityRepo: string, ghsa: string, since: string | undefined, botLogin: string) {
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repoParams(securityRepo), state: "all", ...(since ? { since } : {}), per_page: 100 });
  return issues.find((i) => !i.pull_request && i.user?.login === botLogin && intakeOf(i.body)?.ghsa.toUpperCase() === ghsa.toUpperCase());
}
