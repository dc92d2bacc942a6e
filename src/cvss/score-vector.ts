import cvssPkg from "ae-cvss-calculator";

// ae-cvss-calculator is CommonJS: named ESM imports of it do not resolve under NodeNext.
const { Cvss3P0, Cvss3P1, Cvss4P0 } = cvssPkg;

export type Severity = "critical" | "high" | "medium" | "low" | "none";
export interface CvssScore {
  version: "3.0" | "3.1" | "4.0";
  vector: string;
  score: number;
  severity: Severity;
}
export type CvssResult = { ok: true; value: CvssScore } | { ok: false; error: string };

type Version = CvssScore["version"];
type Metric = readonly [name: string, values: readonly string[]];

// The library scores whatever it is given: it fills missing metrics with X, keeps the last of a
// duplicate, ignores the prefix and skips empty parts, and an incomplete 4.0 vector scores 0.
// These tables (FIRST spec order, values as the specs list them) are what makes input strict.
const HLN = ["H", "L", "N"];
const XHLN = ["X", "H", "L", "N"];
const XHML = ["X", "H", "M", "L"];

const V3_BASE: readonly Metric[] = [
  ["AV", ["N", "A", "L", "P"]], ["AC", ["L", "H"]], ["PR", ["N", "L", "H"]], ["UI", ["N", "R"]],
  ["S", ["U", "C"]], ["C", HLN], ["I", HLN], ["A", HLN],
];
const V3_OPTIONAL: readonly Metric[] = [
  ["E", ["X", "H", "F", "P", "U"]], ["RL", ["X", "U", "W", "T", "O"]], ["RC", ["X", "C", "R", "U"]],
  ["CR", XHML], ["IR", XHML], ["AR", XHML],
  ["MAV", ["X", "N", "A", "L", "P"]], ["MAC", ["X", "L", "H"]], ["MPR", ["X", "N", "L", "H"]],
  ["MUI", ["X", "N", "R"]], ["MS", ["X", "U", "C"]], ["MC", XHLN], ["MI", XHLN], ["MA", XHLN],
];
const V4_BASE: readonly Metric[] = [
  ["AV", ["N", "A", "L", "P"]], ["AC", ["L", "H"]], ["AT", ["N", "P"]], ["PR", ["N", "L", "H"]],
  ["UI", ["N", "P", "A"]], ["VC", HLN], ["VI", HLN], ["VA", HLN], ["SC", HLN], ["SI", HLN], ["SA", HLN],
];
const V4_OPTIONAL: readonly Metric[] = [
  ["E", ["X", "A", "P", "U"]], ["CR", XHML], ["IR", XHML], ["AR", XHML],
  ["MAV", ["X", "N", "A", "L", "P"]], ["MAC", ["X", "L", "H"]], ["MAT", ["X", "N", "P"]],
  ["MPR", ["X", "N", "L", "H"]], ["MUI", ["X", "N", "P", "A"]],
  ["MVC", XHLN], ["MVI", XHLN], ["MVA", XHLN],
  ["MSC", XHLN], ["MSI", ["X", "S", "H", "L", "N"]], ["MSA", ["X", "S", "H", "L", "N"]],
  ["S", ["X", "N", "P"]], ["AU", ["X", "N", "Y"]], ["R", ["X", "A", "U", "I"]], ["V", ["X", "D", "C"]],
  ["RE", ["X", "L", "M", "H"]], ["U", ["X", "Clear", "Green", "Amber", "Red"]],
];

interface Spec {
  version: Version;
  base: readonly Metric[];
  all: ReadonlyMap<string, readonly string[]>;
  score(vector: string): unknown;
}
const spec = (version: Version, base: readonly Metric[], optional: readonly Metric[], score: Spec["score"]): [string, Spec] =>
  [version, { version, base, all: new Map([...base, ...optional]), score }];

// Maps, not objects, so names like "__proto__" or "constructor" are simply unknown.
const SPECS: ReadonlyMap<string, Spec> = new Map([
  spec("3.0", V3_BASE, V3_OPTIONAL, (v) => new Cvss3P0(v).calculateScores().base),
  spec("3.1", V3_BASE, V3_OPTIONAL, (v) => new Cvss3P1(v).calculateScores().base),
  // overall is CVSS-B, -BT, -BE or -BTE, whichever the given metrics make it.
  spec("4.0", V4_BASE, V4_OPTIONAL, (v) => new Cvss4P0(v).calculateScores().overall),
]);

const MAX_LENGTH = 300;
const WANT = "a vector must start with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/";
const fail = (error: string): CvssResult => ({ ok: false, error });

/**
 * Scores by vector text: a pure function of it, so a bounded memo cannot go stale (a team sends
 * the same few vectors again and again); results are frozen, being shared.
 */
const scored = new Map<string, CvssResult>();
const SCORED_KEPT = 64;

export function scoreVector(input: string): CvssResult {
  const known = typeof input === "string" ? scored.get(input) : undefined;
  if (known) return known;
  let result: CvssResult;
  try {
    result = parseAndScore(input);
  } catch (e) {
    result = fail(`could not score vector: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof input === "string" && input.length <= MAX_LENGTH) {
    if (result.ok) Object.freeze(result.value);
    scored.set(input, Object.freeze(result));
    if (scored.size > SCORED_KEPT) scored.delete(scored.keys().next().value!);
  }
  return result;
}

function parseAndScore(input: string): CvssResult {
  // Callers pass text from webhooks and issue bodies: the type alone does not guarantee a string.
  if (typeof input !== "string") return fail("expected a CVSS vector string");
  if (input.length > MAX_LENGTH) return fail(`input is ${input.length} characters; a CVSS vector is at most ${MAX_LENGTH}`);
  const text = input.trim();
  if (text === "") return fail("empty CVSS vector");
  // 2.0 vectors have no prefix of their own; Au (Authentication) exists only in 2.0.
  if (/^CVSS:2\.0\//.test(text) || /(^|\/|\()Au:/.test(text)) {
    return fail("CVSS 2.0 is not supported: give a CVSS 3.0, 3.1 or 4.0 vector");
  }

  const slash = text.indexOf("/");
  const head = slash < 0 ? text : text.slice(0, slash);
  const version = /^CVSS:(\d+\.\d+)$/.exec(head)?.[1];
  if (version === undefined) {
    return /^[A-Za-z]+:/.test(head) && !/^cvss:/i.test(head)
      ? fail(`missing prefix: ${WANT}`)
      : fail(`bad prefix "${head}": ${WANT}`);
  }
  const rules = SPECS.get(version);
  if (!rules) return fail(`unsupported CVSS version ${version}: use 3.0, 3.1 or 4.0`);

  const body = slash < 0 ? "" : text.slice(slash + 1);
  const given = new Map<string, string>();
  for (const part of body === "" ? [] : body.split("/")) {
    if (part === "") return fail(`empty metric in "${body}"`);
    const colon = part.indexOf(":");
    if (colon < 0) return fail(`malformed metric "${part}": expected NAME:VALUE`);
    const name = part.slice(0, colon);
    const value = part.slice(colon + 1);
    const allowed = rules.all.get(name);
    if (!allowed) return fail(`unknown metric "${name}" in a CVSS ${version} vector`);
    if (given.has(name)) return fail(`metric "${name}" appears twice`);
    if (!allowed.includes(value)) return fail(`"${value}" is not a value of ${name} (allowed: ${allowed.join(", ")})`);
    given.set(name, value);
  }
  const missing = rules.base.map(([name]) => name).filter((name) => !given.has(name));
  if (missing.length > 0) return fail(`missing base metric(s): ${missing.join(", ")}`);

  // Order is the one thing we forgive; explicit X values are kept, as the author wrote them.
  const vector = `CVSS:${version}/${[...rules.all.keys()]
    .filter((name) => given.has(name))
    .map((name) => `${name}:${given.get(name)}`)
    .join("/")}`;
  const score = rules.score(vector);
  if (typeof score !== "number" || !Number.isFinite(score) || score < 0 || score > 10) {
    return fail(`could not score vector: the calculator returned ${String(score)}`);
  }
  return { ok: true, value: { version: rules.version, vector, score, severity: severityOf(score) } };
}

// FIRST's qualitative rating scale, identical for 3.x and 4.0. Scores have one decimal.
function severityOf(score: number): Severity {
  if (score === 0) return "none";
  if (score < 4) return "low";
  if (score < 7) return "medium";
  if (score < 9) return "high";
  return "critical";
}
