import { describe, expect, it } from "vitest";
import { mentions, normalizeForMatch } from "../../src/security/normalize-text.js";

/**
 * The normal form the leak firewall and the PR wording check share. It takes shortcuts for speed
 * (ASCII as it is, the Unicode steps only within runs that hold non-ASCII): it must give exactly
 * what the whole pipeline gives on the whole text.
 */
const CONFUSABLES: Record<string, string> = { а: "a", е: "e", о: "o", р: "p", с: "c", х: "x", ο: "o", ı: "i" };

function wholePipeline(text: string): string {
  const decoded = text.normalize("NFKD").replace(/[\p{Cf}\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\u{e0000}-\u{e0fff}]/gu, "").replace(/\p{M}/gu, "").toLowerCase();
  let folded = "";
  for (const ch of decoded) folded += CONFUSABLES[ch] ?? ch;
  // "#007" names "#7": every word loses the zeros in front of a digit.
  const words = folded
    .normalize("NFKC")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .split(" ")
    .map((word) => word.replace(/^0+(?=[0-9])/, ""))
    .join(" ");
  return words ? ` ${words} ` : " ";
}

const ALPHABET = [
  ..."abcXYZ019 -_/.#:|*`\n\t",
  "ｃ", "Ｖ", "２", "－", "\u3000", "ﬁ", "é", "e\u0301", "\u0301", "\u200b", "\u2060", "\ufeff", "\u{e0041}", "\u{1bca0}", "\u{13430}", "İ", "ß",
  "а", "е", "о", "с", "ο", "ı", "—", "–", "…", "→", "😀", "日本", "Ω", "\u00ad",
];

describe("normalizeForMatch", () => {
  it("equals the whole Unicode pipeline on random mixed text", () => {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 3000; n++) {
      let text = "";
      const length = Math.floor(next() * 24);
      for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(next() * ALPHABET.length)];
      expect(normalizeForMatch(text), JSON.stringify(text)).toBe(wholePipeline(text));
    }
  });

  it("sees through disguises, and keeps word boundaries", () => {
    expect(normalizeForMatch("ＣＶＥ－２０２６－１２３４ — fixed")).toBe(" cve 2026 1234 fixed ");
    expect(normalizeForMatch("CVE&#45;2026&#x2D;1234 &amp; more")).toBe(" cve 2026 1234 more ");
    expect(normalizeForMatch("ac%6De%2Fsecurity%2523%37")).toBe(" acme security 7 ");
    expect(normalizeForMatch("SQL inj\u200bесtion\u{e0020}")).toBe(" sql injection ");
    expect(normalizeForMatch("#007, 0, 00, 0x1f, 10")).toBe(" 7 0 0 0x1f 10 ");
    expect(mentions("see acme/security#007", "acme/security#7")).toBe(true);
    expect(mentions("see acme/security#70", "acme/security#7")).toBe(false);
    expect(mentions("see acme/security#7.", "acme/security#7")).toBe(true);
  });
});
