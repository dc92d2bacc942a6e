import type { SeverityName } from "../config/config-schema.js";
import type { ResponseRecord } from "../record/response-record.js";

export const LOGIN = /^@?([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})$/;

/** GitHub's advisory ecosystems: what `/announce` can put into a repository advisory. */
export const ECOSYSTEMS = ["actions", "composer", "erlang", "go", "maven", "npm", "nuget", "other", "pip", "pub", "rubygems", "rust", "swift"];

export function parseLogins(args: string): { logins: string[]; bad: string[] } {
  const logins: string[] = [];
  const bad: string[] = [];
  for (const word of args.split(/[\s,]+/).filter(Boolean)) {
    const m = LOGIN.exec(word);
    if (m) logins.push(m[1]!);
    else bad.push(word);
  }
  return { logins, bad };
}

export function parseUrl(text: string): URL | null {
  try {
    const url = new URL(text.trim());
    return url.protocol === "https:" || url.protocol === "http:" ? url : null;
  } catch {
    return null;
  }
}

export function parseDate(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text.trim() ? date : null;
}

export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Severity moves the embargo end, unless a person set the date by hand. */
export function withSeverity(record: ResponseRecord, severity: SeverityName, days: Record<SeverityName, number>): ResponseRecord {
  const next = { ...record, severity };
  if (!record.embargo_by_hand) next.embargo_end = addDays(record.reported_at, days[severity]);
  return next;
}

/** `npm/left-pad`, `maven/org.x:core`, `go/github.com/x/y`: the ecosystem, then the package name. */
export function parsePackage(text: string): { ecosystem: string; package: string } | string {
  const slash = text.indexOf("/");
  if (slash <= 0 || slash === text.length - 1) return `"${text}" is not <ecosystem>/<package>`;
  const ecosystem = text.slice(0, slash).toLowerCase();
  if (!ECOSYSTEMS.includes(ecosystem)) return `"${ecosystem}" is not an ecosystem GitHub advisories know (one of: ${ECOSYSTEMS.join(", ")})`;
  return { ecosystem, package: text.slice(slash + 1) };
}

export function limitText(text: string, max: number, what: string): string | null {
  if (!text.trim()) return `${what} is missing`;
  if (text.length > max) return `${what} is ${text.length} characters long; keep it under ${max}`;
  return null;
}
