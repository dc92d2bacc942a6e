import { createHash } from "node:crypto";
import { hiddenAfter, isBlankLine, startsHtmlBlock, type Hidden, type Paragraph, type Rows } from "./hidden-html.js";
import { isBlank, isLetter } from "./html-tags.js";
import { newRawHtml, rawHides, readFence } from "./raw-html.js";

export interface CommandLine {
  /** The line as typed, trimmed. */
  text: string;
  /** "triage", "announce" or "help". */
  group: string;
  /** The sub-command, lower-cased ("" for a bare `/triage`). */
  name: string;
  /** Everything after the sub-command, trimmed, case kept. */
  args: string;
  /** A short, stable id of the line: what `ran` remembers so edits and redeliveries do not re-run it. */
  hash: string;
  /** Where the line stands in the comment (1-based), for replies about it. */
  line: number;
}

export const MAX_COMMAND_LINE = 2000;
/**
 * A comment runs at most this many command lines; the rest are answered as failures. It bounds
 * the work one comment can ask for and what the record remembers of it (issue 10).
 */
export const MAX_COMMANDS_PER_COMMENT = 50;
const GROUPS = new Set(["triage", "announce", "help"]);

function lineHash(text: string, occurrence: number): string {
  return createHash("sha256").update(`${occurrence}\0${text}`).digest("base64url").slice(0, 10);
}


/**
 * `/group [name] [args]`, read by hand rather than by a regex: one pass over the line, so a line
 * of any length and shape costs its length (issue 8, denial of service).
 */
function readCommand(text: string): { group: string; name: string; args: string } | null {
  let i = 1;
  while (i < text.length && isLetter(text[i]!)) i++;
  const group = text.slice(1, i).toLowerCase();
  if (!GROUPS.has(group) || (i < text.length && !isBlank(text[i]!))) return null;
  while (i < text.length && isBlank(text[i]!)) i++;
  let j = i;
  if (j < text.length && isLetter(text[j]!)) {
    while (j < text.length && (isLetter(text[j]!) || text[j] === "-")) j++;
    // A word glued to something else ("cwe:79", "x1") is no sub-command: all of it is arguments.
    if (j === text.length || isBlank(text[j]!)) return { group, name: text.slice(i, j).toLowerCase(), args: text.slice(j).trim() };
  }
  return { group, name: "", args: text.slice(i).trim() };
}


/**
 * Whether a line opens or continues a block quote: `>` after at most three spaces, also behind list
 * markers (`- > quoted`, `1. > quoted`), whose quote a following line can lazily continue too.
 */
function startsQuote(raw: string): boolean {
  let i = 0;
  for (;;) {
    const start = i;
    while (i < raw.length && i - start < 4 && raw[i] === " ") i++;
    if (i - start > 3) return false;
    const c = raw[i];
    if (c === ">") return true;
    if ((c === "-" || c === "*" || c === "+") && raw[i + 1] === " ") {
      i += 2;
      continue;
    }
    let j = i;
    while (j < raw.length && j - i < 9 && raw[j]! >= "0" && raw[j]! <= "9") j++;
    if (j > i && (raw[j] === "." || raw[j] === ")") && raw[j + 1] === " ") {
      i = j + 2;
      continue;
    }
    return false;
  }
}

/**
 * Command lines of a comment: a line that starts with `/triage`, `/announce` or `/help`, outside
 * what GitHub does not show as a line of its own: fenced code blocks, HTML comments and what the
 * HTML parser hides as one (`<?…?>`, `<!X…>`, `<![CDATA[…]]>`) or inside a tag (a quoted attribute
 * value), all of which may span lines, block quotes and the lines that lazily continue them (a line right after a `>` line,
 * with no blank line between, is part of the quote). Indented lines and text inside a sentence
 * never count. Where Markdown is ambiguous the line does not run: a missed command gets no 👍, a
 * hidden one must never act.
 */
export function parseCommands(body: string): CommandLine[] {
  const out: CommandLine[] = [];
  const seen = new Map<string, number>();
  let fence: string | null = null;
  // What closes the hidden construct (an HTML comment, a quoted attribute…) still open, if any.
  let hidden: Hidden | null = null;
  let quote = false;
  // A lone carriage return ends a line too (CommonMark), as GitHub's Markdown reads it.
  const rows = body.split(/\r\n|\r|\n/);
  // What the HTML parser hides of raw HTML blocks, read beside the rest: either hides a line.
  const html = newRawHtml();
  const comment: Rows = { rows, stops: [] };
  const para: Paragraph = { block: false, ticks: false };
  for (let n = 0; n < rows.length; n++) {
    const raw = rows[n]!;
    const rawHidden = rawHides(html, raw);
    // A blank line ends the paragraph, and an HTML block of kind 6 or 7.
    const blank = isBlankLine(raw);
    if (blank) [para.block, para.ticks] = [false, false];
    if (hidden !== null) {
      // A tag complete on a later row: hidden up to its end there.
      if ("row" in hidden) hidden = n < hidden.row ? hidden : hiddenAfter(comment, n, null, hidden.at, para);
      // The paragraph's end ends what opened inside it without closing.
      else if (hidden.inline && blank) [hidden, quote] = [null, false];
      else hidden = hiddenAfter(comment, n, hidden, 0, para);
      continue;
    }
    const fenceLine = readFence(raw);
    if (fenceLine) {
      // An opening fence may carry an info string ("```js"); a closing one carries nothing.
      if (fence === null) fence = fenceLine.marker;
      else if (fenceLine.marker[0] === fence[0] && fenceLine.marker.length >= fence.length && !fenceLine.rest.trim()) fence = null;
      [quote, para.ticks] = [false, false];
      continue;
    }
    if (fence !== null) continue;
    if (!para.block && startsHtmlBlock(raw)) para.block = true;
    hidden = hiddenAfter(comment, n, null, 0, para);
    if (blank) {
      quote = false;
      continue;
    }
    if (startsQuote(raw)) quote = true;
    if (quote || rawHidden || !raw.startsWith("/")) continue;
    const text = raw.trim();
    const command = readCommand(text);
    if (!command) continue;
    const occurrence = seen.get(text) ?? 0;
    seen.set(text, occurrence + 1);
    out.push({ text, ...command, hash: lineHash(text, occurrence), line: n + 1 });
  }
  return out;
}

/** Cheap test before any API call: most comments carry no command at all. */
export function mayHaveCommands(body: string | null | undefined): boolean {
  return Boolean(body && /(^|[\r\n])\/(triage|announce|help)\b/i.test(body));
}
