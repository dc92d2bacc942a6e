/**
 * CommonMark's raw HTML as cmark-gfm (GitHub's Markdown) reads it, for what the command parser takes
 * as hidden (src/commands/hidden-html.ts): where a tag is complete, which lines end the paragraph a
 * tag may run over, which start an HTML block, and autolinks, which are no tags.
 */

/** Hidden up to a place on a later row: a tag that spans rows, complete there (`at`: just past its `>`). */
export interface Until {
  row: number;
  at: number;
}

// The tag names that start CommonMark's HTML blocks of kind 6, in 0.29 (which cmark-gfm follows) and
// 0.31 alike (0.31 adds `search` and drops `source`: those two are unsure), and of kind 1.
const BLOCK_TAGS = new Set(
  ("address article aside base basefont blockquote body caption center col colgroup dd details dialog dir div dl dt fieldset figcaption figure footer form frame frameset " +
    "h1 h2 h3 h4 h5 h6 head header hr html iframe legend li link main menu menuitem nav noframes ol optgroup option p param section summary table tbody td tfoot th thead title tr track ul").split(" "),
);
const RAW_TAGS = new Set(["script", "pre", "style"]);
/** Whether `name` starts an HTML block of kind 6 as cmark-gfm (CommonMark 0.29) reads it: `source` does, `search` and `textarea` do not. */
const cmarkBlockTag = (name: string) => BLOCK_TAGS.has(name) || name === "source";
// `textarea` is of kind 1 in CommonMark 0.30 on, not in cmark-gfm's 0.29.
const UNSURE_TAGS = new Set(["source", "search", "textarea"]);

export const isLetter = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");
// A no-break or other Unicode space (text pasted from chat or a word processor) shows as a space,
// so it separates words as one: else the line looks like a command and silently is none.
export const isBlank = (c: string) => c === " " || c === "\t" || (c > "\u007f" && /\s/.test(c));
const isDigit = (c: string) => c >= "0" && c <= "9";
/** cmark's `spacechar`, less the line end, which is the end of a row here. */
const isSpace = (c: string) => c === " " || c === "\t" || c === "\v" || c === "\f" || c === "\r";
/** A blank line (CommonMark: spaces and tabs only), which ends a paragraph and an HTML block of kind 6 or 7. */
export const isBlankLine = (raw: string) => /^[ \t]*$/.test(raw);
const isEmailChar = (c: string) => isLetter(c) || isDigit(c) || ".!#$%&'*+/=?^_`{|}~-".includes(c);

type Stop = "yes" | "no" | "unsure";

/** The comment's rows, with what each says about the paragraph before it (read once a row). */
export interface Rows {
  rows: readonly string[];
  stops: Stop[];
}

const endsName = (raw: string, at: number) => {
  const c = raw[at] ?? "";
  return c === "" || c === " " || c === "\t" || c === ">" || raw.startsWith("/>", at);
};

/**
 * Whether a line starts a block that interrupts a paragraph, so that a tag cannot run on past it:
 * a blank line, a quote, a fence, an HTML block of kinds 1 to 6. "unsure" where cmark-gfm and
 * CommonMark 0.31 differ.
 */
function interrupts(raw: string): Stop {
  if (isBlankLine(raw) || /^ {0,3}>/.test(raw)) return "yes";
  const fence = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
  // A backtick fence's info string holds no backtick (else the line is text).
  if (fence) return fence[1]![0] === "~" || !raw.includes("`", fence[0].length) ? "yes" : "no";
  const lt = /^ {0,3}</.exec(raw);
  if (!lt) return "no";
  const at = lt[0].length;
  if (raw.startsWith("!--", at) || raw.startsWith("?", at) || raw.startsWith("![CDATA[", at) || (raw[at] === "!" && isLetter(raw[at + 1] ?? ""))) return "yes";
  const closing = raw[at] === "/";
  const name = tagNameAt(raw, closing ? at + 1 : at);
  if (!name || !endsName(raw, name.end)) return "no";
  if (BLOCK_TAGS.has(name.name) || (!closing && RAW_TAGS.has(name.name) && raw[name.end] !== "/")) return "yes";
  return UNSURE_TAGS.has(name.name) ? "unsure" : "no";
}

function tagNameAt(raw: string, at: number): { name: string; end: number } | undefined {
  if (!isLetter(raw[at] ?? "")) return undefined;
  let end = at + 1;
  while (end < raw.length && (isLetter(raw[end]!) || isDigit(raw[end]!) || raw[end] === "-")) end++;
  return { name: raw.slice(at, end).toLowerCase(), end };
}

/**
 * Whether `raw` (a line from its `<`) opens or closes a tag that starts an HTML block of kind 6, as
 * cmark-gfm reads them (for the browser's reader, src/commands/raw-html.ts).
 */
export function startsBlockTag(raw: string): boolean {
  const at = raw[1] === "/" ? 2 : 1;
  const name = raw[0] === "<" ? tagNameAt(raw, at) : undefined;
  return name !== undefined && endsName(raw, name.end) && cmarkBlockTag(name.name);
}

/**
 * Whether this line starts an HTML block (kinds 1, 6 and 7) whose raw HTML, not Markdown, decides
 * what a quote hides: a block tag's name, or a complete tag with nothing after it. Unsure is a yes.
 */
export function startsHtmlBlock(raw: string): boolean {
  const lt = /^ {0,3}</.exec(raw);
  if (!lt) return false;
  const at = lt[0].length;
  const closing = raw[at] === "/";
  const name = tagNameAt(raw, closing ? at + 1 : at);
  if (!name) return false;
  // `</pre>` starts no block of kind 1 (only an opening tag does): prose may follow it on its line.
  if (endsName(raw, name.end) && (BLOCK_TAGS.has(name.name) || (!closing && RAW_TAGS.has(name.name)) || UNSURE_TAGS.has(name.name))) return true;
  const end = completeTag({ rows: [raw], stops: [] }, 0, at - 1);
  return end !== null && end !== "unsure" && isBlankLine(raw.slice(end.at));
}

/**
 * Where the raw HTML tag opening at `rows[n][lt]` ends (just past its `>`), when it is one: CommonMark's
 * open tag (a name, attributes with unquoted, '' or "" values, `/?>`) or closing tag, with spaces and
 * line ends between its parts and inside quoted values, within the paragraph. Anything else is text
 * (null). "unsure": it runs on to a line that may or may not end the paragraph.
 */
export function completeTag({ rows, stops }: Rows, n: number, lt: number): Until | "unsure" | null {
  let row = n;
  let raw = rows[n]!;
  let i = lt + 1;
  let unsure = false;
  /** Onto the next row of the paragraph: false at its end. */
  const nextRow = (): boolean => {
    if (row + 1 >= rows.length) return false;
    const stop = (stops[row + 1] ??= interrupts(rows[row + 1]!));
    if (stop === "yes") return false;
    if (stop === "unsure") unsure = true;
    raw = rows[++row]!;
    i = 0;
    return true;
  };
  /** Spaces and line ends: whether there were any. */
  const spaces = (): boolean => {
    const [fromRow, from] = [row, i];
    for (;;) {
      while (i < raw.length && isSpace(raw[i]!)) i++;
      if (i < raw.length || !nextRow()) break;
    }
    return row !== fromRow || i !== from;
  };
  const closing = raw[i] === "/";
  if (closing) i++;
  const name = tagNameAt(raw, i);
  if (!name) return null;
  i = name.end;
  for (;;) {
    const spaced = spaces();
    const c = raw[i] ?? "";
    if (c === ">") return unsure ? "unsure" : { row, at: i + 1 };
    if (closing) return null;
    if (c === "/") return raw[i + 1] === ">" ? (unsure ? "unsure" : { row, at: i + 2 }) : null;
    if (!spaced || !(isLetter(c) || c === "_" || c === ":")) return null;
    while (i < raw.length && (isLetter(raw[i]!) || isDigit(raw[i]!) || "_.:-".includes(raw[i]!))) i++;
    const before = [row, i] as const;
    spaces();
    if (raw[i] !== "=") {
      // No value: the spaces read belong to the next attribute.
      if (row === before[0] && i === before[1]) continue;
      [row, i] = before;
      raw = rows[row]!;
      continue;
    }
    i++;
    spaces();
    const quote = raw[i] ?? "";
    if (quote === '"' || quote === "'") {
      i++;
      for (;;) {
        const close = raw.indexOf(quote, i);
        if (close >= 0) {
          i = close + 1;
          break;
        }
        if (!nextRow()) return unsure ? "unsure" : null;
      }
      continue;
    }
    const from = i;
    while (i < raw.length && !isSpace(raw[i]!) && !"\"'=<>`\0".includes(raw[i]!)) i++;
    if (i === from) return null;
  }
}

/**
 * Where the autolink opening at `raw[lt]` ends (just past its `>`), or -1: `<scheme:…>` or
 * `<local@domain>`, on one line. It is no tag, and a backtick in it opens no code span.
 */
export function autolinkEnd(raw: string, lt: number): number {
  const i = lt + 1;
  if (isLetter(raw[i] ?? "")) {
    let j = i + 1;
    while (j < raw.length && j - i < 32 && (isLetter(raw[j]!) || isDigit(raw[j]!) || "+.-".includes(raw[j]!))) j++;
    if (raw[j] === ":" && j - i >= 2) {
      let k = j + 1;
      while (k < raw.length && raw[k]! > " " && raw[k] !== "\u007f" && raw[k] !== "<" && raw[k] !== ">") k++;
      if (raw[k] === ">") return k + 1;
    }
  }
  let j = i;
  while (j < raw.length && isEmailChar(raw[j]!)) j++;
  if (j === i || raw[j] !== "@") return -1;
  for (let k = j + 1; ; k++) {
    const start = k;
    while (k < raw.length && k - start < 63 && (isLetter(raw[k]!) || isDigit(raw[k]!) || raw[k] === "-")) k++;
    if (k === start || raw[start] === "-" || raw[k - 1] === "-") return -1;
    if (raw[k] === ">") return k + 1;
    if (raw[k] !== ".") return -1;
  }
}
