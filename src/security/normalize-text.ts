/**
 * One normal form for "does this text name the secret?", shared by the wording check on public
 * PRs and the leak firewall, so both see through the same disguises: case, Unicode compatibility
 * forms (fullwidth, ligatures), confusable letters, invisible characters, any dash or separator,
 * and URL-encoding. Every step is linear in the input: no regex here can backtrack.
 */

// Letters that look like Latin ones in common fonts (Cyrillic, Greek), folded to the Latin letter.
const CONFUSABLES: Record<string, string> = {
  а: "a", в: "b", е: "e", к: "k", м: "m", н: "h", о: "o", р: "p", с: "c", т: "t", у: "y", х: "x",
  і: "i", ј: "j", ѕ: "s", ԁ: "d", ԛ: "q", ԝ: "w", һ: "h", ӏ: "l",
  α: "a", β: "b", ε: "e", η: "n", ι: "i", κ: "k", ν: "v", ο: "o", ρ: "p", τ: "t", υ: "u", χ: "x", ϲ: "c",
  ı: "i", ł: "l", ø: "o", đ: "d", ħ: "h",
};

const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]/gu;
const COMBINING = /\p{M}/gu;
/** Everything that is not a letter or a digit separates words: dashes, dots, slashes, "#", spaces. */
const SEPARATORS = /[^\p{L}\p{N}]+/gu;

/** Numeric HTML character references (`&#35;`, `&#x23;`) render as the character in markdown. */
function htmlDecode(text: string): string {
  return text.replace(/&#(?:x([0-9a-f]{1,6})|([0-9]{1,7}));/gi, (all, hex: string | undefined, dec: string | undefined) => {
    const code = hex ? parseInt(hex, 16) : Number(dec);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

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

/**
 * The text as a sequence of lower-case words joined by single spaces, with a leading and trailing
 * space, so that `includes(" word ")` matches whole words and `includes("cve 2026 1234")` matches
 * every spelling of the id. Compare only against secrets normalised by this same function.
 */
export function normalizeForMatch(text: string): string {
  const decoded = urlDecode(htmlDecode(text)).normalize("NFKD").replace(INVISIBLE, "").replace(COMBINING, "").toLowerCase();
  let folded = "";
  for (const ch of decoded) folded += CONFUSABLES[ch] ?? ch;
  // "#007" and "#7" name the same issue: leading zeros of a number are not part of it.
  const words = ` ${folded.normalize("NFKC").replace(SEPARATORS, " ")} `.replace(/ 0+(?=\d)/g, " ").trim();
  return words ? ` ${words} ` : " ";
}

/** True when `text` names `secret` (both normalised; the secret matched on word boundaries). */
export function mentions(text: string, secret: string): boolean {
  const needle = normalizeForMatch(secret);
  return needle.trim() !== "" && normalizeForMatch(text).includes(needle);
}
