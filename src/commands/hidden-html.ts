/**
 * What GitHub's Markdown (cmark-gfm) hides of a comment as HTML, line by line, for the command
 * parser (src/commands/parse-commands.ts): HTML comments and what the HTML parser hides as one,
 * and the quoted attribute values of raw HTML tags, all of which may span lines.
 */

import { autolinkEnd, completeTag, isBlank, isLetter, type Rows, type Until } from "./html-tags.js";
import { isOpen, read as readHtml, type State } from "./raw-html.js";

export { isBlankLine, startsHtmlBlock, type Rows } from "./html-tags.js";

/** What closes a hidden construct still open; `inline`: opened inside a paragraph, which a blank line ends. */
export interface Open {
  close: string;
  inline: boolean;
  /**
   * In `<?…?>` and `<![CDATA[…]]>`, which cmark-gfm passes on whole: the browser's state. It ends
   * them at the first `>` and reads what follows as HTML, so a tag or quote may open inside.
   */
  html?: State;
  /** Never closes: what the browser left open reads on through the escaped text after it (`inline`: to the paragraph's end). */
  rest?: boolean;
}

export type Hidden = Open | Until;

/** What the rows before this one in the same paragraph or HTML block say about reading it. */
export interface Paragraph {
  /** An HTML block (CommonMark kinds 1, 6, 7): raw HTML, which the HTML parser reads, not Markdown. */
  block: boolean;
  /** A backtick run with no closer on its row: a code span may run over rows, so what it covers is unknown. */
  ticks: boolean;
}

/**
 * What GitHub never shows, once opened, and what ends it: an HTML comment, and the constructs the
 * HTML parser reads as comments too (a processing instruction `<?…?>`, a declaration `<!X…>`,
 * `<![CDATA[…]]>`), each of which may span lines.
 */
const HIDDEN_OPENERS: readonly [open: string, close: string][] = [["<!--", "-->"], ["<![CDATA[", "]]>"], ["<?", "?>"]];


/**
 * The backtick runs of a line, each with the end of the run of the same length that closes it as a
 * code span (-1: none, or escaped by `\\`, so it opens nothing). One pass each way: linear.
 */
function codeSpans(raw: string): { start: number; end: number; closeEnd: number }[] {
  const runs: { start: number; end: number; closeEnd: number }[] = [];
  for (let i = raw.indexOf("`"); i >= 0; i = raw.indexOf("`", i)) {
    let j = i;
    while (raw[j] === "`") j++;
    runs.push({ start: i, end: j, closeEnd: -1 });
    i = j;
  }
  const later = new Map<number, number>();
  for (let r = runs.length - 1; r >= 0; r--) {
    const run = runs[r]!;
    const len = run.end - run.start;
    const close = later.get(len);
    if (close !== undefined && raw[run.start - 1] !== "\\") run.closeEnd = close;
    later.set(len, run.end);
  }
  return runs;
}

/**
 * A tag read as the HTML parser reads one (in an HTML block, or where Markdown is unsure): its
 * attributes up to `>`; a value quoted and not closed on this line stays open. Where it stops, or what is open.
 */
function lenientTag(raw: string, at: number): number | Open {
  while (at < raw.length && raw[at] !== ">" && raw[at] !== "<") {
    const c = raw[at++]!;
    if (c !== "=") continue;
    while (at < raw.length && isBlank(raw[at]!)) at++;
    const quote = raw[at];
    if (quote !== '"' && quote !== "'") continue;
    const close = raw.indexOf(quote, at + 1);
    if (close < 0) return { close: quote, inline: true };
    at = close + 1;
  }
  return at;
}

/**
 * Whether something hidden is still open at the end of row `n` (read from `from`), given what was
 * open at its start: the constructs above, and a quoted attribute value of a raw HTML tag, which
 * may span lines and is never shown as text. Opened at the start of a line they are HTML blocks,
 * which a blank line does not end (an HTML comment anywhere, as before); inside a paragraph they
 * are inline, and end with it. A tag in a paragraph counts only when it is complete (CommonMark):
 * else its `<` is text, and so are the lines after it. One pass over the line: each `<` is looked
 * at once, and a tag's rows are read again only by a tag that starts inside one of its quoted values.
 */
export function hiddenAfter(text: Rows, n: number, open: Open | null, from: number, para: Paragraph): Hidden | null {
  const raw = text.rows[n]!;
  let at = from;
  // A line that starts with `<` may be an HTML block, where backticks are no code spans; so is every line of one.
  const spans = para.block || /^ {0,3}</.test(raw) ? [] : codeSpans(raw);
  for (let r = 0; r < spans.length; ) {
    const run = spans[r]!;
    if (run.start < from) r++;
    else if (run.closeEnd < 0) {
      para.ticks = true;
      break;
    } else while (r < spans.length && spans[r]!.start < run.closeEnd) r++;
  }
  let span = 0;
  let lt = -1;
  for (;;) {
    if (open !== null) {
      if (open.rest) return open;
      const end = raw.indexOf(open.close, at);
      if (end < 0) return open.html ? { ...open, html: readHtml(open.html, raw.slice(at)) } : open;
      const after = end + open.close.length;
      const html = open.html ? readHtml(open.html, raw.slice(at, after), false) : "data";
      // A quote or comment opened inside reads on past the end; a tag, up to the paragraph's end (its `</p>`).
      if (html !== "data") return { close: "", inline: !isOpen(html), rest: true };
      at = after;
      open = null;
    }
    // Looked for again only once passed, so a line of many backticks is still read once.
    if (lt < at) lt = raw.indexOf("<", at);
    if (lt < 0) return null;
    while (span < spans.length && spans[span]!.start < at) span++;
    // A code span that starts first wins (CommonMark): `<a href="` in backticks is shown as code.
    if (span < spans.length && spans[span]!.start < lt) {
      const { closeEnd, end } = spans[span]!;
      at = closeEnd < 0 ? end : closeEnd;
      continue;
    }
    const block = lt <= 3 && !raw.slice(0, lt).trim();
    const opener = HIDDEN_OPENERS.find(([o]) => raw.startsWith(o, lt));
    // `List<?>` in prose: no processing instruction can close where it opens.
    if (opener && (block || opener[0] !== "<?" || raw[lt + 2] !== ">")) {
      [at, open] = [lt + opener[0].length, { close: opener[1], inline: !block && opener[0] !== "<!--", ...(opener[0] === "<!--" ? {} : { html: "bogus" as const }) }];
      continue;
    }
    const next = raw[lt + 1] ?? "";
    if (next === "!" && isLetter(raw[lt + 2] ?? "")) {
      // In a paragraph cmark-gfm takes only `<!` capitals, then a space or line end, for a declaration;
      // anything else is text, and must not swallow the `<` of a tag after it.
      const name = /^[A-Z]+/.exec(raw.slice(lt + 2, lt + 2 + 64))?.[0] ?? "";
      const after = raw[lt + 2 + name.length];
      if (block || (name && (after === undefined || after === " " || after === "\t"))) {
        [at, open] = [lt + 2, { close: ">", inline: !block }];
        continue;
      }
    }
    const lenient = para.block || para.ticks;
    const link = lenient ? -1 : autolinkEnd(raw, lt);
    at = link < 0 ? lt + 1 : link;
    if (link >= 0 || !isLetter(next)) continue;
    // After a backtick left open the `<` may be code or a tag; a tag complete over rows
    // (`<a b=` then `/triage …>`: an unquoted value on the next row) hides them all the same.
    const tag = para.block ? "unsure" : completeTag(text, n, lt);
    if (tag === null && !lenient) continue;
    if (tag !== null && tag !== "unsure" && (!lenient || tag.row !== n)) {
      if (tag.row !== n) return tag;
      at = tag.at;
      continue;
    }
    const read = lenientTag(raw, at);
    // After a backtick left open, a quote of a tag that is no tag for Markdown may pair with one of a
    // tag on a later row that is (`<img alt="` … `<b c="` … `"/>`): in doubt the paragraph's rest hides.
    if (typeof read !== "number") return para.ticks && !para.block ? { ...read, rest: true } : read;
    at = read;
  }
}

