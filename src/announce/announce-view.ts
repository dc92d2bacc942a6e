import type { EmbargoConfig } from "../config/config-schema.js";
import type { ResponseRecord } from "../record/response-record.js";
import { trusted } from "../render/templates.js";
import { severityOfScore } from "./cve-export.js";
import type { ExportFacts } from "./osv-export.js";

/** What the announce templates know beyond the record: links and names GitHub gave. */
export interface AnnounceFacts {
  /** The product's name in mails: the advisory repo's name, else the security repo's owner. */
  project: string;
  /** Who makes it (CVE `vendor`): the advisory repo's owner, else the security repo's. */
  vendor: string;
  /** The security issue, for the team's own texts (never for public ones). */
  issueUrl: string;
  issueNumber: number;
  /** `https://github.com` or the GHES host, from a URL GitHub sent. */
  htmlBase: string;
  advisoryUrl?: string;
  reporter?: string;
  publishedAt?: string;
  /** False where this GitHub has no repository security advisories (GHES): the pack says so. */
  advisories?: boolean;
}

/** Public links: merged fix PRs in public repos and upstream reports (tickets may be private). */
export function publicReferences(record: ResponseRecord, htmlBase: string): ExportFacts["references"] {
  const prs = record.prs.filter((p) => p.state === "merged" && !p.private).map((p) => ({ type: "FIX" as const, url: `${htmlBase}/${p.repo}/pull/${p.number}` }));
  return [...prs, ...record.upstream.map((url) => ({ type: "REPORT" as const, url }))];
}

/**
 * The one view every announce template gets (documented in the README): the record's advisory
 * facts, flattened so overrides stay simple.
 */
export function announceView(record: ResponseRecord, config: EmbargoConfig, facts: AnnounceFacts) {
  const fixedOf = new Map(record.fixed.map((f) => [`${f.ecosystem}/${f.package}`, f.version]));
  const affected = record.affected.map((a) => ({ ecosystem: a.ecosystem, package: a.package, range: a.range, fixed: fixedOf.get(`${a.ecosystem}/${a.package}`) }));
  const references = publicReferences(record, facts.htmlBase);
  return {
    project: facts.project,
    summary: record.summary ?? "",
    description: record.description ?? "",
    severity: record.severity,
    cvss: record.cvss ? { ...record.cvss, severity: severityOfScore(record.cvss.score).toLowerCase() } : undefined,
    cwes: record.cwes,
    cve: record.cve,
    ghsa: record.ghsa,
    advisory_url: facts.advisoryUrl,
    affected,
    fixed: record.fixed,
    mitigations: record.mitigations,
    upgrade: record.upgrade,
    credits: record.credits.map((c) => ({ login: c.login, type: c.type.replace(/_/g, " ") })),
    references: references.map((r) => r.url),
    embargo_end: record.embargo_end,
    reported: record.reported_at,
    published: facts.publishedAt?.slice(0, 10),
    reporter: facts.reporter,
    issue_url: trusted(facts.issueUrl),
    issue_number: facts.issueNumber,
    team: config.team,
  };
}

export type AnnounceView = ReturnType<typeof announceView>;

/**
 * The `reporter-in-pack` reply's view: the login shown without pinging them; an issue the app
 * opened (a private report, a feed) has the app as its author, who is no reporter.
 */
export function reporterInPackView(reporter: string, botLogin: string) {
  const openedByApp = reporter.toLowerCase() === botLogin.toLowerCase();
  return { reporter: openedByApp ? undefined : reporter.replace(/@/g, "") || undefined, opened_by_app: openedByApp };
}
