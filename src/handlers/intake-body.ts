import type { Report } from "../github/advisory-intake.js";
import { neutralize } from "../render/neutralize.js";
import { renderTemplate } from "../render/templates.js";
import { cut } from "../util/cut.js";

/** GitHub refuses an issue body over 65,536 characters and a title over 256. */
export const BODY_LIMIT = 65_536;
export const TITLE_LIMIT = 256;
const MAX_DESCRIPTION = 20_000;

/**
 * How much of each reporter-controlled field the issue shows, loosest first. Every field is the
 * reporter's (a report can list thousands of packages), and escaping can make a text six times
 * longer (`"` is written `&quot;`): the last level fits with room to spare whatever the report
 * (5 + 5 items of 100 characters, 6 × escaped, is 6,000), so the issue is always opened.
 */
const LEVELS = [
  { items: 100, text: 1_024 },
  { items: 20, text: 300 },
  { items: 5, text: 100 },
] as const;
type Level = (typeof LEVELS)[number];

/** Probot's types leave `author` out of this event; GitHub's description has it (the reporter). */
function reporterOf(advisory: Report): string | undefined {
  const login = (advisory as { author?: { login?: string } | null }).author?.login;
  return login ? `@\u200b${cut(login, 100)}` : undefined;
}

/** The CWEs as the report names them (`CWE-89: SQL Injection`), else by id alone. */
function cweTexts(advisory: Report): string[] {
  const named = (advisory.cwes ?? []).filter((c) => c && typeof c.cwe_id === "string");
  if (named.length) return named.map((c) => (c.name ? `${c.cwe_id}: ${c.name}` : c.cwe_id));
  return (advisory.cwe_ids ?? []).filter((c): c is string => typeof c === "string");
}

/**
 * The report's lists and description as every try reads them, made once per report: a report can
 * list tens of thousands of packages or carry megabytes of description, and the body is fitted
 * over hundreds of tries when the rest nearly fills the issue (made again on each, a report of
 * 30,000 packages held the app for seconds).
 */
const texts = new WeakMap<Report, { packages: string[]; cwes: string[]; description: string }>();
function textsOf(advisory: Report) {
  let known = texts.get(advisory);
  if (!known) {
    known = {
      packages: (advisory.vulnerabilities ?? []).map((v) => `${v.package ? `${v.package.ecosystem}/${v.package.name ?? "?"}` : "?"} ${v.vulnerable_version_range ?? ""}`.trim()),
      cwes: cweTexts(advisory),
      description: neutralize(advisory.description ?? ""),
    };
    texts.set(advisory, known);
  }
  return known;
}

/** A list shown up to `level.items` entries of `level.text` characters; what was left out is counted. */
function bounded(list: string[], level: Level) {
  const clipped = (s: string) => (s.length > level.text ? `${cut(s, level.text - 1)}…` : s);
  const shown = list.slice(0, level.items).map((s) => neutralize(clipped(s)));
  const shortened = list.slice(0, level.items).some((s) => s.length > level.text);
  return { shown, more: list.length - shown.length, shortened };
}

/** The issue's text: every field comes from the reporter, so it is bounded and neutralised (no pings, no markers). */
export function intakeView(advisory: Report, productRepo: string, maxDescription = MAX_DESCRIPTION, level: Level = LEVELS[0]) {
  const short = (s: string | null | undefined, max: number) => {
    const text = s ?? "";
    return { text: neutralize(text.length > max ? `${cut(text, max - 1)}…` : text), cut: text.length > max };
  };
  const known = textsOf(advisory);
  const packages = bounded(known.packages, level);
  const cwes = bounded(known.cwes, level);
  const summary = short(advisory.summary, level.text);
  const cvss = short(advisory.cvss?.vector_string, 200);
  const severity = short(advisory.severity, 40);
  const whole = known.description;
  const description = cut(whole, maxDescription);
  const shortened = [
    summary.cut && "the summary",
    (packages.more || packages.shortened) && "the affected packages",
    (cwes.more || cwes.shortened) && "the CWEs",
    (cvss.cut || severity.cut) && "the severity",
    // Cut to nothing, the description's own block (and its cut line) is not written: said here instead.
    whole && !description && "the description",
  ].filter((s): s is string => Boolean(s));
  return {
    repo: productRepo,
    ghsa: advisory.ghsa_id,
    advisory_url: advisory.html_url,
    state: cut(advisory.state, 40),
    reporter: reporterOf(advisory),
    summary: summary.text,
    packages: packages.shown,
    packages_more: packages.more,
    severity: severity.text || undefined,
    cvss: cvss.text || undefined,
    cwes: cwes.shown,
    cwes_more: cwes.more,
    shortened: shortened.length ? shortened.join(", ") : undefined,
    // Every line ending Markdown knows (\r alone too): each line is quoted, none starts a block of the reporter's.
    description: description ? description.split(/\r\n?|\n/) : undefined,
    cut: description.length < whole.length,
  };
}

/**
 * The issue's body under GitHub's limit, however long the report: the loosest level whose other
 * fields leave room, then the description is cut further until the body fits (escaping can make
 * it several times longer), and the issue says what was cut.
 */
export async function fittedBody(advisory: Report, productRepo: string, marker: string): Promise<string> {
  const render = async (max: number, level: Level) => `${(await renderTemplate("advisory-intake", intakeView(advisory, productRepo, max, level))).text}\n\n${marker}`;
  let body = "";
  for (const level of LEVELS) {
    body = await render(MAX_DESCRIPTION, level);
    if (body.length <= BODY_LIMIT) return body;
    // Without the description, does this level fit at all? If not, the next one shows less of the rest.
    if ((await render(0, level)).length > BODY_LIMIT) continue;
    let max = MAX_DESCRIPTION;
    while (body.length > BODY_LIMIT && max > 0) {
      max = Math.max(0, Math.min(max - 1, Math.floor((max * (BODY_LIMIT - 1_000)) / body.length)));
      body = await render(max, level);
    }
    return body;
  }
  // Not reached: the last level without a description is a few thousand characters at most.
  return body;
}
