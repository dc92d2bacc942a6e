/** One GitHub advisory range (`>= 4.18.0, < 4.18.2`) split into its bounds, versions kept as written. */
export interface ParsedRange {
  /** Inclusive lower bound; absent = every version from the first. */
  introduced?: string;
  /** Exclusive lower bound (`> x`): OSV and CVE cannot say it, so it is reported. */
  after?: string;
  fixed?: string; // `< x`
  lastAffected?: string; // `<= x`
  exact?: string; // `= x`
}

const PART = /^(>=|<=|>|<|=)\s*(\S+)$/;

export function parseRange(range: string): ParsedRange | null {
  const out: ParsedRange = {};
  for (const raw of range.split(",")) {
    const m = PART.exec(raw.trim());
    if (!m) return null;
    const [, op, version] = m as unknown as [string, string, string];
    const key = ({ ">=": "introduced", ">": "after", "<": "fixed", "<=": "lastAffected", "=": "exact" } as const)[op as ">="];
    if (out[key] !== undefined) return null;
    out[key] = version;
  }
  if (out.exact && Object.keys(out).length > 1) return null;
  if (out.fixed && out.lastAffected) return null;
  if (out.introduced && out.after) return null;
  return out;
}

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export function isSemver(version: string): boolean {
  return SEMVER.test(version);
}
