import { createHash } from "node:crypto";
import type { EmbargoConfig } from "../config/config-schema.js";
import type { ResponseRecord } from "../record/response-record.js";
import { cut } from "../util/cut.js";
import { githubEcosystem } from "./ecosystems.js";

export interface AdvisoryVulnerability {
  package: { ecosystem: string; name: string | null };
  vulnerable_version_range: string | null;
  patched_versions: string | null;
}

/** The body of `POST`/`PATCH …/security-advisories`: what the app owns of the advisory. */
export interface AdvisoryFields {
  summary: string;
  description: string;
  severity: string | null;
  cvss_vector_string: string | null;
  cwe_ids: string[];
  vulnerabilities: AdvisoryVulnerability[];
  credits: { login: string; type: string }[];
  cve_id?: string | null;
}

// GitHub scores CVSS 3.x and 4.0 vectors itself (its advisories carry `cvss_severities.cvss_v3`
// and `.cvss_v4`); the REST description does not restrict the string, so both are sent as given.
const VECTOR_VERSIONS = ["3.0", "3.1", "4.0"];

/** The advisory's repo: the first of the response's components that has one (config order of the record). */
export function advisoryRepo(record: ResponseRecord, config: EmbargoConfig): string | undefined {
  if (record.advisory) return record.advisory.repo;
  for (const name of record.components) {
    const repo = config.components[name]?.repo;
    if (repo) return repo;
  }
  return undefined;
}

/** What stops a draft: said as the commands that fix it. */
export function draftProblems(record: ResponseRecord): string[] {
  const state = ["confirmed", "fixing", "fixed", "announced"].includes(record.state) ? [] : ["the response is not confirmed yet (`/triage confirm`)"];
  return [...state, ...fieldProblems(record)];
}

/** What the advisory's fields lack: the publishing PATCH would send an empty summary or severity. */
export function fieldProblems(record: ResponseRecord): string[] {
  const problems: string[] = [];
  if (!record.severity) problems.push("it has no severity (`/triage cvss <vector>` or `/triage severity <level>`)");
  if (!record.summary) problems.push("it has no summary (`/triage summary <one line>`)");
  return problems;
}

export function vulnerabilities(record: ResponseRecord, config: EmbargoConfig): AdvisoryVulnerability[] {
  const out: AdvisoryVulnerability[] = [];
  const key = (eco: string, name: string) => `${githubEcosystem(eco)}/${name}`;
  const patched = new Map(record.fixed.map((f) => [key(f.ecosystem, f.package), f.version]));
  const seen = new Set<string>();
  for (const a of record.affected) {
    const k = key(a.ecosystem, a.package);
    seen.add(k);
    out.push({ package: { ecosystem: githubEcosystem(a.ecosystem), name: a.package }, vulnerable_version_range: a.range, patched_versions: patched.get(k) ?? null });
  }
  for (const f of record.fixed) {
    const k = key(f.ecosystem, f.package);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ package: { ecosystem: githubEcosystem(f.ecosystem), name: f.package }, vulnerable_version_range: `< ${f.version}`, patched_versions: f.version });
  }
  // Every affected component's package is listed, even before its ranges are known.
  for (const name of record.components) {
    const pkg = config.components[name]?.package;
    if (!pkg || seen.has(key(pkg.ecosystem, pkg.name))) continue;
    seen.add(key(pkg.ecosystem, pkg.name));
    out.push({ package: { ecosystem: githubEcosystem(pkg.ecosystem), name: pkg.name }, vulnerable_version_range: null, patched_versions: null });
  }
  return out;
}

/** GitHub refuses an advisory description longer than this (its REST description's `maxLength`). */
export const DESCRIPTION_MAX = 65_535;

/** GitHub's limit as readers write it, for the `advisory-cut` note. */
export const DESCRIPTION_MAX_TEXT = DESCRIPTION_MAX.toLocaleString("en-US");

/** Room the note saying where the description was cut may take (a repository's override of it is cut to it). */
const NOTE_MAX = 1_000;

/**
 * The advisory's description: the text, then the app's hidden marker (how a draft whose creation
 * answer was lost is found again), within GitHub's limit. A text too long is cut before the
 * marker, never the marker: cut with it, the next run would not find the draft and make a second.
 * Where it was cut is said in the advisory itself (`note`, template `advisory-cut`), which is what
 * readers and the databases copying it see.
 */
export function fitDescription(text: string, marker: string, note: string): string {
  const whole = `${text}\n\n${marker}`;
  if (whole.length <= DESCRIPTION_MAX) return whole;
  const tail = `\n\n…\n\n${cut(note, NOTE_MAX)}\n\n${marker}`;
  // A cut inside a fenced code block would show the note and the marker as code: the block is
  // closed first, in room kept for it (a shorter cut may leave another block open: tried again).
  let room = 0;
  for (;;) {
    const kept = cut(text, DESCRIPTION_MAX - tail.length - room);
    const fence = openFence(kept);
    const close = fence === undefined ? "" : `\n${fence}`;
    if (close.length <= room) return `${kept}${close}${tail}`;
    room = close.length;
  }
}

/**
 * The line that closes the fenced code block a text ends inside, as CommonMark reads fences: up to
 * three spaces, then three or more backticks (an info string without one) or tildes; closed by the
 * same character, at least as many, and nothing but spaces after. Indented as its opening line, so
 * a block in a list item is closed there.
 */
export function openFence(text: string): string | undefined {
  let open: { indent: string; run: string } | undefined;
  for (const line of text.split("\n")) {
    const m = /^( {0,3})(`{3,}|~{3,})(.*?)\r?$/.exec(line);
    if (!m) continue;
    const [, indent, run, rest] = m as unknown as [string, string, string, string];
    if (open) {
      if (run[0] === open.run[0] && run.length >= open.run.length && /^[ \t]*$/.test(rest)) open = undefined;
    } else if (!(run[0] === "`" && rest.includes("`"))) open = { indent, run };
  }
  return open && `${open.indent}${open.run}`;
}

export function advisoryFields(record: ResponseRecord, config: EmbargoConfig, description: string): AdvisoryFields {
  const vector = record.cvss && VECTOR_VERSIONS.includes(record.cvss.version) ? record.cvss.vector : null;
  const fields: AdvisoryFields = {
    summary: record.summary ?? "",
    description: cut(description, DESCRIPTION_MAX),
    severity: vector ? null : (record.severity ?? null),
    cvss_vector_string: vector,
    cwe_ids: [...record.cwes],
    vulnerabilities: vulnerabilities(record, config),
    credits: record.credits.map((c) => ({ login: c.login, type: c.type })),
  };
  if (record.cve) fields.cve_id = record.cve;
  return fields;
}

type Comparable = Record<string, unknown>;

const hash = (value: unknown) => createHash("sha256").update(JSON.stringify(value ?? null)).digest("hex").slice(0, 16);

function sorted<T>(list: T[]): T[] {
  return [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** The owned fields in one normal form, from what the app sends. */
function comparableFields(f: AdvisoryFields): Comparable {
  return {
    summary: f.summary,
    description: f.description.trim(),
    severity: f.cvss_vector_string ? null : f.severity,
    cvss_vector_string: f.cvss_vector_string,
    cwe_ids: sorted(f.cwe_ids),
    vulnerabilities: sorted(f.vulnerabilities.map((v) => [v.package.ecosystem, v.package.name, v.vulnerable_version_range ?? "", v.patched_versions ?? ""])),
    credits: sorted(f.credits.map((c) => [c.login.toLowerCase(), c.type])),
  };
}

/** The same normal form, from GitHub's answer (severity is derived by GitHub when a vector is set). */
export function comparableAdvisory(a: Record<string, any>): Comparable {
  const vector = a.cvss_severities?.cvss_v4?.vector_string ?? a.cvss_severities?.cvss_v3?.vector_string ?? a.cvss?.vector_string ?? null;
  return {
    summary: a.summary,
    description: String(a.description ?? "").trim(),
    severity: vector ? null : (a.severity ?? null),
    cvss_vector_string: vector,
    cwe_ids: sorted(a.cwe_ids ?? []),
    vulnerabilities: sorted((a.vulnerabilities ?? []).map((v: any) => [v.package?.ecosystem, v.package?.name ?? null, v.vulnerable_version_range ?? "", v.patched_versions ?? ""])),
    credits: sorted((a.credits ?? []).map((c: any) => [String(c.login).toLowerCase(), c.type])),
  };
}

export function fieldHashes(f: AdvisoryFields): Record<string, string> {
  return Object.fromEntries(Object.entries(comparableFields(f)).map(([k, v]) => [k, hash(v)]));
}

/** Fields someone changed on GitHub since the app last wrote them (the app overwrites them now). */
export function editedByHand(written: Record<string, string> | undefined, current: Record<string, any>): string[] {
  if (!written) return [];
  const now = comparableAdvisory(current);
  return Object.keys(written).filter((k) => k in now && hash(now[k]) !== written[k]);
}

/**
 * The app's fields that differ from the advisory as GitHub has it, to send in one PATCH (with the
 * publishing `state` when publishing): nothing when GitHub already has them all. Severity and the
 * CVSS vector go together, as GitHub derives one from the other.
 */
export function changedFields(fields: AdvisoryFields, current: Record<string, any>): Partial<AdvisoryFields> {
  const ours = comparableFields(fields);
  const theirs = comparableAdvisory(current);
  const differs = (k: string) => hash(ours[k]) !== hash(theirs[k]);
  const out: Partial<AdvisoryFields> = {};
  for (const k of ["summary", "description", "cwe_ids", "vulnerabilities", "credits"] as const) if (differs(k)) (out as Record<string, unknown>)[k] = fields[k];
  if (differs("severity") || differs("cvss_vector_string")) Object.assign(out, { severity: fields.severity, cvss_vector_string: fields.cvss_vector_string });
  if (fields.cve_id && fields.cve_id !== current.cve_id) out.cve_id = fields.cve_id;
  return out;
}
