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
  /** The security issue's key, e.g. "acme/security#12", and its URL. */
  issueKey: string;
  cve?: string;
  ghsa?: string;
  words: string[];
}

const RULES = {
  id: "names a CVE or GHSA id",
  issue: "points at the private tracking issue",
  word: "uses a word from the configured list",
};

/**
 * Finds what a public PR must not say during the embargo. A finding names the rule and the place
 * (commit sha, "title", …) and never the matched text: check-run output on a public PR is public.
 */
export function findLeaks(texts: PrTexts, secrets: LeakSecrets): LeakFinding[] {
  const [repoPath, number] = secrets.issueKey.split("#");
  const checks: { rule: string; test: (s: string) => boolean }[] = [
    {
      rule: RULES.id,
      test: (s) => {
        const lower = s.toLowerCase();
        return Boolean((secrets.cve && lower.includes(secrets.cve.toLowerCase())) || (secrets.ghsa && lower.includes(secrets.ghsa.toLowerCase())) || /\bcve-\d{4}-\d{4,}\b|\bghsa(-[23456789cfghjmpqrvwx]{4}){3}\b/i.test(s));
      },
    },
    {
      rule: RULES.issue,
      test: (s) => {
        const lower = s.toLowerCase();
        return lower.includes(`${repoPath}#${number}`.toLowerCase()) || lower.includes(`github.com/${repoPath}/issues/${number}`.toLowerCase());
      },
    },
    {
      rule: RULES.word,
      test: (s) => {
        const lower = s.toLowerCase();
        return secrets.words.some((w) => lower.includes(w.toLowerCase()));
      },
    },
  ];
  const places: { place: string; text: string }[] = [
    { place: "the title", text: texts.title },
    { place: "the description", text: texts.body },
    { place: "the branch name", text: texts.branch.replace(/[-_/]+/g, " ") + " " + texts.branch },
    ...texts.commits.map((c) => ({ place: `the message of commit ${c.sha.slice(0, 7)}`, text: c.message })),
  ];
  const findings: LeakFinding[] = [];
  for (const { place, text } of places) {
    for (const check of checks) if (text && check.test(text)) findings.push({ rule: check.rule, place });
  }
  return findings;
}
