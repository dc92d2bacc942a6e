/**
 * One normal form for "does this text name the secret?", shared by the wording check on public
 * PRs and the leak firewall, so both see through the same disguises: case, Unicode compatibility
 * forms (fullwidth, ligatures), confusable letters, invisible characters (tag characters too), any
 * dash or separator, URL-encoding and HTML character references (markdown renders `&#45;` as "-").
 * Every step is linear in the input: no regex here can backtrack.
 */

// Letters that look like Latin ones in common fonts (Cyrillic, Greek), folded to the Latin letter.
const CONFUSABLES: Record<string, string> = {
  а: "a", в: "b", е: "e", к: "k", м: "m", н: "h", о: "o", р: "p", с: "c", т: "t", у: "y", х: "x",
  і: "i", ј: "j", ѕ: "s", ԁ: "d", ԛ: "q", ԝ: "w", һ: "h", ӏ: "l",
  α: "a", β: "b", ε: "e", η: "n", ι: "i", κ: "k", ν: "v", ο: "o", ρ: "p", τ: "t", υ: "u", χ: "x", ϲ: "c",
  ı: "i", ł: "l", ø: "o", đ: "d", ħ: "h",
};

// Every format character (`\p{Cf}`: U+1BCA0 shorthand controls, U+13430 hieroglyph joiners…) and
// the other default-ignorable code points a renderer shows as nothing, not a list that misses some.
const INVISIBLE = /[\p{Cf}\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\u{e0000}-\u{e0fff}]/gu;
const COMBINING = /\p{M}/gu;
/** Everything that is not a letter or a digit separates words: dashes, dots, slashes, "#", spaces. */
const SEPARATORS = /[^\p{L}\p{N}]+/gu;
const ASCII = /^[\x00-\x7f]*$/;
const ASCII_SEPARATORS = /[^a-z0-9]+/g;
const NON_ASCII = /[^\x00-\x7f]/gu;
const NON_ASCII_CHAR = /[^\x00-\x7f]/;
/** ASCII separators only: non-ASCII characters stay, to be folded word by word. */
const ASCII_SEPARATORS_ANY_CASE = /[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+/g;
const SPACES = / {2,}/g;

/** Decodes %XX escapes (repeatedly, for double encoding) without ever throwing. */
function urlDecode(text: string): string {
  let out = text;
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(out); i++) {
    out = out.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      }
    });
  }
  return out;
}

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", hyphen: "-", dash: "-", ndash: "-", mdash: "-", num: "#", sol: "/", colon: ":", period: ".", lowbar: "_", shy: "" };
const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z]{2,8}));/g;

/** Decodes numeric and common named character references, as a markdown renderer would show them. */
function htmlDecode(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(ENTITY, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
    const code = dec !== undefined ? Number(dec) : parseInt(hex as string, 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * The text as a sequence of lower-case words joined by single spaces, with a leading and trailing
 * space, so that `includes(" word ")` matches whole words and `includes("cve 2026 1234")` matches
 * every spelling of the id. Compare only against secrets normalised by this same function.
 */
export function normalizeForMatch(text: string): string {
  const plain = htmlDecode(urlDecode(text));
  let words: string;
  if (ASCII.test(plain)) {
    words = plain.toLowerCase().replace(ASCII_SEPARATORS, " ").trim();
  } else {
    // Every Unicode step acts within a run of non-separators (marks, invisibles and compatibility
    // forms are never ASCII separators), so only the runs that hold non-ASCII take the long way.
    const spaced = plain.replace(ASCII_SEPARATORS_ANY_CASE, " ");
    let out = "";
    let done = 0;
    const found = new RegExp(NON_ASCII_CHAR.source, "g");
    for (let m = found.exec(spaced); m; m = found.exec(spaced)) {
      const start = spaced.lastIndexOf(" ", m.index) + 1;
      const end = spaced.indexOf(" ", m.index) === -1 ? spaced.length : spaced.indexOf(" ", m.index);
      out += `${spaced.slice(done, start).toLowerCase()} ${unicodeWords(spaced.slice(start, end))} `;
      done = end;
      found.lastIndex = end;
    }
    words = (out + spaced.slice(done).toLowerCase()).replace(SPACES, " ").trim();
  }
  // "#007" and "#7" name the same issue: leading zeros of a number are not part of it.
  words = ` ${words} `.replace(/ 0+(?=\d)/g, " ").trim();
  return words ? ` ${words} ` : " ";
}

/** The full pipeline, for text with non-ASCII characters. */
function unicodeWords(text: string): string {
  return text
    .normalize("NFKD")
    .replace(INVISIBLE, "")
    .replace(COMBINING, "")
    .toLowerCase()
    .replace(NON_ASCII, (ch) => CONFUSABLES[ch] ?? ch)
    .normalize("NFKC")
    .replace(SEPARATORS, " ")
    .trim();
}

/** True when `text` names `secret` (both normalised; the secret matched on word boundaries). */
export function mentions(text: string, secret: string): boolean {
  const needle = normalizeForMatch(secret);
  return needle.trim() !== "" && normalizeForMatch(text).includes(needle);
}

/**
 * An id (CVE, GHSA) in normal form with every choice of its separators left out (`cve 2026 1234`,
 * `cve2026 1234`, `cve 20261234`, `cve20261234`): "CVE20261234" names the id as well. Each stays a
 * whole-word needle, so CVE-2026-12345 is not CVE-2026-1234. At most 8, for a GHSA id's four words.
 */
export function idSpellings(id: string): string[] {
  const trimmed = normalizeForMatch(id).trim();
  const words = trimmed.split(" ");
  if (!trimmed || words.length > 6) return trimmed ? [` ${trimmed} `] : [];
  // A word run into the one before keeps its leading zeros ("CVE20260123"): the normal form drops
  // them only at a word's start, so the joined spellings are made from the id's own words.
  const own = id.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const parts = own.length === words.length ? own : words;
  const out: string[] = [];
  for (let mask = 0; mask < 1 << (words.length - 1); mask++) {
    const joined = parts.reduce((text, word, i) => (i === 0 ? word : `${text}${mask & (1 << (i - 1)) ? "" : " "}${word}`), "");
    out.push(` ${joined} `.replace(/ 0+(?=\d)/g, " "));
  }
  return out;
}
