import { describe, expect, it } from "vitest";
import { findLeaks, wordingKey } from "../../src/pr/leak-check.js";

const secrets = {
  issueKey: "acme/security#7",
  issueUrls: ["https://github.com/acme/security/issues/7", "https://api.github.com/repos/acme/security/issues/7"],
  cve: "CVE-2026-1234",
  ghsa: "GHSA-abcd-efgh-jkmp",
  words: ["vulnerability", "exploit", "CVE-", "security fix"],
};
const clean = { title: "Tighten input handling", body: "Refactor.", branch: "tidy-parser", commits: [] };
const rulesIn = (title: string) => findLeaks({ ...clean, title }, secrets).map((f) => f.rule);

const ISSUE = "points at the private tracking issue";
const ID = "names a CVE or GHSA id";
const WORD = "uses a word from the configured list";

// Every spelling below names the secret: each must be caught by its rule.
const variants: [string, string][] = [
  ["acme/security#7", ISSUE],
  ["ACME/Security#7", ISSUE],
  ["fixes acme/security#7.", ISSUE],
  ["(acme/security#7)", ISSUE],
  ["acme/security#007", ISSUE],
  ["acme / security # 7", ISSUE],
  ["acme\u200b/secu\u200brity#7", ISSUE],
  ["acme/sec\u00adurity#7", ISSUE],
  ["acme/securit\u2060y#7", ISSUE],
  ["ａｃｍｅ／ｓｅｃｕｒｉｔｙ＃７", ISSUE],
  ["асmе/sесurity#7", ISSUE], // Cyrillic а, с, е
  ["acme/security﹟7", ISSUE],
  ["acme%2Fsecurity%237", ISSUE],
  ["acme%252Fsecurity%25237", ISSUE],
  ["acme/security&#35;7", ISSUE],
  ["acme/security&#x23;7", ISSUE],
  ["acme/sec**uri**ty#7", ISSUE],
  ["`acme/security`#7", ISSUE],
  ["acme_security_7", ISSUE],
  ["https://github.com/acme/security/issues/7", ISSUE],
  ["HTTPS://GITHUB.COM/ACME/SECURITY/ISSUES/7#issuecomment-1", ISSUE],
  ["https://api.github.com/repos/acme/security/issues/7", ISSUE],
  ["https://github.example.com/acme/security/issues/7", ISSUE],
  ["https%3A%2F%2Fgithub.com%2Facme%2Fsecurity%2Fissues%2F7", ISSUE],
  ["<https://github.com/acme/security/issues/7>", ISSUE],
  ["CVE-2026-1234", ID],
  ["cve-2026-1234", ID],
  ["CVE‐2026‐1234", ID], // U+2010 hyphen
  ["CVE–2026–1234", ID], // en dash
  ["CVE_2026_1234", ID],
  ["CVE 2026 1234", ID],
  ["ＣＶＥ－２０２６－１２３４", ID],
  ["C\u200bVE-2026-1234", ID],
  ["CVE-2025-99999", ID],
  ["CVE-2026-0042", ID],
  ["GHSA-abcd-efgh-jkmp", ID],
  ["ghsa_abcd_efgh_jkmp", ID],
  ["GHSA-2345-6789-cfgh", ID],
  ["CVE20261234", ID],
  ["CVE2026-1234", ID],
  ["GHSAabcdefghjkmp", ID],
  ["GHSA-abcd-ef\u{1bca0}gh-jkmp", ID], // a format character no list named
  ["Vulnerability", WORD],
  ["VULNERABILITY", WORD],
  ["vulnerabilit\u200by", WORD],
  ["ｖｕｌｎｅｒａｂｉｌｉｔｙ", WORD],
  ["vulnеrability", WORD], // Cyrillic е
  ["exploitable", WORD],
  ["security-fix", WORD],
  ["security_fix", WORD],
  ["Security  Fix", WORD],
  ["security%20fix", WORD],
];

// Near misses: these must NOT be reported for the issue rule.
const nearMisses = [
  "acme/security#70",
  "acme/security#17",
  "acme/security#7a",
  "acme/security-tools#7",
  "acme/securityx#7",
  "other/security#7",
  "acme/product#7",
  "#7",
  "https://github.com/acme/security/issues/70",
  "https://github.com/acme/security/pull/8",
  "https://api.github.com/repos/acme/other/issues/7",
  "security #7 in the changelog",
];

describe("the wording check matches after normalisation", () => {
  it.each(variants)("catches %j", (text, rule) => {
    expect(rulesIn(text)).toContain(rule);
    // in every place it is looked for
    expect(findLeaks({ ...clean, body: text }, secrets).map((f) => f.rule)).toContain(rule);
    expect(findLeaks({ ...clean, commits: [{ sha: "c".repeat(40), message: `tidy\n\n${text}` }] }, secrets).map((f) => f.place)).toContain("the message of commit ccccccc");
  });

  it("has a table of more than 30 variants", () => {
    expect(variants.length).toBeGreaterThan(30);
  });

  it.each(nearMisses)("does not take %j for the issue", (text) => {
    expect(rulesIn(text)).not.toContain(ISSUE);
  });

  it("does not flag ordinary words and numbers", () => {
    for (const text of ["Tighten input handling", "Bump version to 2026.1234", "secure the fixture", "exploring the parser", "CVEs are tracked elsewhere"]) {
      expect(findLeaks({ ...clean, title: text }, { ...secrets, words: ["vulnerability", "exploit", "security fix"] })).toEqual([]);
    }
  });

  it("reads the branch name with any separator", () => {
    expect(findLeaks({ ...clean, branch: "fix/cve_2026_1234" }, secrets).map((f) => f.place)).toEqual(["the branch name", "the branch name"]);
  });
});

describe("the remembered wording check (wordingKey)", () => {
  it("holds for one head and one set of secrets: a new head, a CVE assigned since or a new word makes the commits be read again", () => {
    const head = "1".repeat(40);
    const key = wordingKey(head, secrets);
    expect(wordingKey(head, { ...secrets })).toBe(key);
    expect(wordingKey("2".repeat(40), secrets)).not.toBe(key);
    expect(wordingKey(head, { ...secrets, cve: undefined })).not.toBe(key);
    expect(wordingKey(head, { ...secrets, ghsa: "GHSA-wxyz-wxyz-wxyz" })).not.toBe(key);
    expect(wordingKey(head, { ...secrets, words: [...secrets.words, "overflow"] })).not.toBe(key);
    // A hash: the record keeps no second copy of the secrets.
    expect(key).not.toMatch(/CVE|security|exploit/i);
  });
});
