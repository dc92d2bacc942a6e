import type { ResponseRecord } from "../record/response-record.js";
import { isSemverEcosystem, osvEcosystem } from "./ecosystems.js";
import { isSemver, parseRange, type ParsedRange } from "./version-range.js";

export interface ExportFacts {
  /** The security issue's number, for ids when nothing else names the vulnerability. */
  issueNumber: number;
  /** The advisory's public page, when GitHub made one. */
  advisoryUrl?: string;
  /** Public links: merged fix PRs, upstream reports. */
  references: { type: "ADVISORY" | "FIX" | "REPORT" | "WEB"; url: string }[];
  /** ISO timestamps. */
  modified: string;
  published?: string;
  /** Advisory text, plain. */
  details: string;
}

type OsvEvent = { introduced: string } | { fixed: string } | { last_affected: string };

function events(r: ParsedRange): OsvEvent[] | null {
  if (r.exact !== undefined || r.after !== undefined) return null;
  const out: OsvEvent[] = [{ introduced: r.introduced ?? "0" }];
  if (r.fixed) out.push({ fixed: r.fixed });
  if (r.lastAffected) out.push({ last_affected: r.lastAffected });
  return out;
}

/** The OSV id: GHSA, else CVE, else `<osv_prefix>-<year>-<issue number>`. */
export function osvId(record: ResponseRecord, prefix: string, issueNumber: number): string {
  return record.ghsa ?? record.cve ?? `${prefix}-${record.reported_at.slice(0, 4)}-${issueNumber}`;
}

const CVSS_TYPE: Record<string, string> = { "3.0": "CVSS_V3", "3.1": "CVSS_V3", "4.0": "CVSS_V4" };

/** One OSV record (ossf/osv-schema 1.7): ranges from GitHub's range operators, versions as written. */
export function osvRecord(record: ResponseRecord, prefix: string, facts: ExportFacts): Record<string, unknown> {
  const id = osvId(record, prefix, facts.issueNumber);
  const aliases = [record.ghsa, record.cve].filter((x): x is string => Boolean(x) && x !== id);
  const affected: Record<string, unknown>[] = [];
  const unsaid: string[] = [];
  const fixedOf = new Map(record.fixed.map((f) => [`${f.ecosystem}/${f.package}`, f.version]));
  const packages = new Map<string, { ecosystem: string; name: string; ranges: string[] }>();
  for (const a of record.affected) {
    const k = `${a.ecosystem}/${a.package}`;
    const p = packages.get(k) ?? { ecosystem: a.ecosystem, name: a.package, ranges: [] };
    p.ranges.push(a.range);
    packages.set(k, p);
  }
  for (const f of record.fixed) {
    const k = `${f.ecosystem}/${f.package}`;
    if (!packages.has(k)) packages.set(k, { ecosystem: f.ecosystem, name: f.package, ranges: [`< ${f.version}`] });
  }
  for (const [k, p] of packages) {
    const ecosystem = osvEcosystem(p.ecosystem);
    if (!ecosystem) {
      unsaid.push(`${k}: ecosystem "${p.ecosystem}" has no OSV name`);
      continue;
    }
    const ranges: Record<string, unknown>[] = [];
    const versions: string[] = [];
    for (const text of p.ranges) {
      const parsed = parseRange(text);
      if (parsed?.exact) {
        versions.push(parsed.exact);
        continue;
      }
      const ev = parsed ? events(parsed) : null;
      if (!ev) {
        unsaid.push(`${k} ${text}: OSV has no event for an exclusive lower bound`);
        continue;
      }
      const all = ev.map((e) => Object.values(e)[0] as string).filter((v) => v !== "0");
      const semver = isSemverEcosystem(p.ecosystem) && all.every(isSemver);
      ranges.push({ type: semver ? "SEMVER" : "ECOSYSTEM", events: ev });
    }
    if (!ranges.length && !versions.length) continue;
    const entry: Record<string, unknown> = { package: { ecosystem, name: p.name } };
    if (ranges.length) entry.ranges = ranges;
    if (versions.length) entry.versions = versions;
    const fixed = fixedOf.get(k);
    entry.database_specific = { vulnerable_version_ranges: p.ranges, ...(fixed ? { patched_versions: fixed } : {}) };
    affected.push(entry);
  }
  const out: Record<string, unknown> = {
    schema_version: "1.7.0",
    id,
    modified: facts.modified,
  };
  if (facts.published) out.published = facts.published;
  if (aliases.length) out.aliases = aliases;
  if (record.summary) out.summary = record.summary;
  out.details = facts.details;
  if (record.cvss && CVSS_TYPE[record.cvss.version]) out.severity = [{ type: CVSS_TYPE[record.cvss.version], score: record.cvss.vector }];
  out.affected = affected;
  const refs = [...(facts.advisoryUrl ? [{ type: "ADVISORY", url: facts.advisoryUrl }] : []), ...facts.references];
  if (refs.length) out.references = refs;
  if (record.credits.length) out.credits = record.credits.map((c) => ({ name: c.login, type: c.type.toUpperCase() }));
  const cwes = record.cwes.length ? { cwe_ids: record.cwes } : {};
  if (unsaid.length || record.cwes.length) out.database_specific = { ...cwes, ...(unsaid.length ? { not_expressed: unsaid } : {}) };
  return out;
}
