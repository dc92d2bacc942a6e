import { createHash } from "node:crypto";
import { idSpellings, normalizeForMatch } from "../security/normalize-text.js";

export interface PrTexts {
  title: string;
  body: string;
  branch: string;
  commits: { sha: string; message: string }[];
}

export interface LeakFinding {
  rule: string;
  place: string;
}

export interface LeakSecrets {
  /** The security issue's key, e.g. "acme/security#12". */
  issueKey: string;
  /** GitHub's own addresses of the issue (its page and its API URL), never built from a fixed host. */
  issueUrls?: string[];
  /** The security repository's former full names (it was renamed): the issue under each is the issue too. */
  formerNames?: string[];
  cve?: string;
  ghsa?: string;
  words: string[];
}

const RULES = {
  id: "names a CVE or GHSA id",
  issue: "points at the private tracking issue",
  word: "uses a word from the configured list",
};

// Over normalised text (lower-case words joined by single spaces): linear, no backtracking.
// Also with separators left out ("CVE20261234"), as the id needles below.
const ANY_ID = / cve ?\d{4} ?\d+ | ghsa(?: ?[23456789cfghjmpqrvwx]{4}){3} /;

/**
 * The forms a text is matched in: as written, and without markdown emphasis and code marks, which
 * render as nothing (`sec**uri**ty`). Both go through the one normal form for secret matching.
 */
function forms(text: string): string[] {
  const plain = text.replace(/[*_~`]/g, "");
  return plain === text ? [normalizeForMatch(text)] : [normalizeForMatch(text), normalizeForMatch(plain)];
}

/**
 * Finds what a public PR must not say during the embargo. Matching happens after normalisation
 * (case, Unicode compatibility forms, confusables, invisible characters, any separator,
 * URL-encoding), so `ACME／security＃7`, `acme%2Fsecurity%237` and the issue's web or API URL are
 * all the same reference, while `#70` or another repo's `#7` are not. A finding names the rule and
 * the place (commit sha, "title", …) and never the matched text: check-run output on a public PR
 * is public.
 */
export function findLeaks(texts: PrTexts, secrets: LeakSecrets): LeakFinding[] {
  const [repoPath, number] = secrets.issueKey.split("#");
  // The key is the name the PR was linked under; GitHub's addresses name the repository as it is
  // called now (a renamed or transferred security repo): its short forms are the issue too.
  const current = (secrets.issueUrls ?? []).flatMap((url) => {
    const m = /([^/]+\/[^/]+)\/issues\/(\d+)\/?$/.exec(url ?? "");
    return m ? [`${m[1]}#${m[2]}`, `${m[1]}/issues/${m[2]}`] : [];
  });
  const former = (secrets.formerNames ?? []).flatMap((name) => [`${name}#${number}`, `${name}/issues/${number}`]);
  const issueNeedles = [`${repoPath}#${number}`, `${repoPath}/issues/${number}`, ...current, ...former, ...(secrets.issueUrls ?? []).filter(Boolean)].map(normalizeForMatch);
  const idNeedles = [secrets.cve, secrets.ghsa].filter((s): s is string => Boolean(s)).flatMap(idSpellings);
  // A listed word matches at the start of a word: "exploit" also finds "exploitable".
  const wordNeedles = secrets.words.map((w) => normalizeForMatch(w).trimEnd()).filter((w) => w.trim());
  const checks: { rule: string; test: (s: string) => boolean }[] = [
    { rule: RULES.id, test: (s) => idNeedles.some((n) => s.includes(n)) || ANY_ID.test(s) },
    { rule: RULES.issue, test: (s) => issueNeedles.some((n) => s.includes(n)) },
    { rule: RULES.word, test: (s) => wordNeedles.some((n) => s.includes(n)) },
  ];
  const places: { place: string; text: string }[] = [
    { place: "the title", text: texts.title },
    { place: "the description", text: texts.body },
    { place: "the branch name", text: texts.branch },
    ...texts.commits.map((c) => ({ place: `the message of commit ${c.sha.slice(0, 7)}`, text: c.message })),
  ];
  const findings: LeakFinding[] = [];
  for (const { place, text } of places) {
    if (!text) continue;
    const normal = forms(text);
    for (const check of checks) if (normal.some(check.test)) findings.push({ rule: check.rule, place });
  }
  return findings;
}

/**
 * What a remembered wording check of a head's commits is valid for: the head (its commits never
 * change) and the secrets they were matched against (a CVE assigned since must be looked for).
 * A hash, so the record keeps no second copy of the words.
 */
export function wordingKey(headSha: string, secrets: LeakSecrets): string {
  // Former names only when there are any: every other key stays what it was (no commits read again).
  const former = secrets.formerNames?.length ? [secrets.formerNames] : [];
  const text = JSON.stringify([headSha, secrets.issueKey.toLowerCase(), secrets.issueUrls ?? [], secrets.cve ?? "", secrets.ghsa ?? "", secrets.words, ...former]);
  return createHash("sha256").update(text).digest("base64url").slice(0, 16);
}
