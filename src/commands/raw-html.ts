/**
 * What the browser's HTML parser (HTML5 tokenizer) hides of an HTML block, which cmark-gfm passes
 * through as it is: a tag, its quoted values, a comment, each of which may run over lines. And
 * what it hides after the block: the block's raw text goes out unclosed, so a quote or comment left
 * open there reads on through the HTML of the blocks after it (a blank line ends the block, not the
 * quote). A second reader beside src/commands/hidden-html.ts, which reads paragraphs as cmark does:
 * a line runs only when neither hides it.
 */

import { completeTag, isBlankLine, isLetter, startsBlockTag } from "./html-tags.js";

/** HTML5 tokenizer states: text; inside a tag; right after `=`; a quoted value; a comment; `<?`, `<!X`, `</ …` up to `>`. */
export type State = "data" | "tag" | "eq" | '"' | "'" | "comment" | "bogus";

interface Block {
  /** What ends it: a blank line (kinds 6, 7) or a line holding one of these (kinds 1 to 5, lower-cased). */
  ends: readonly string[] | "blank";
  /** Opened behind a list marker, a `>` or an indent: it ends with its container too, at a line that starts with neither. */
  nested: boolean;
  /**
   * Taken for kind 6 or 7 and for the kind its `ends` are of (a line inside it starts one): it ends
   * at the later of a blank line and a line holding one of them (which of the two was met).
   */
  union?: { blank: boolean; marker: boolean };
}

export interface RawHtml {
  state: State;
  block: Block | null;
  /** A quote or comment left open when its block ended: it hides the rest of the comment. */
  rest: boolean;
  fence: string | null;
  /** The row before was paragraph text, which an HTML block of kind 7 cannot interrupt. */
  para: boolean;
}

export const newRawHtml = (): RawHtml => ({ state: "data", block: null, rest: false, fence: null, para: false });

/** A fence line (up to three spaces, then ``` or ~~~ at least three long): its marker and the rest. */
export function readFence(raw: string): { marker: string; rest: string } | null {
  let i = 0;
  while (i < 3 && raw[i] === " ") i++;
  const c = raw[i];
  if (c !== "`" && c !== "~") return null;
  let j = i;
  while (raw[j] === c) j++;
  return j - i >= 3 ? { marker: raw.slice(i, j), rest: raw.slice(j) } : null;
}

const RAW_ENDS = ["</script>", "</pre>", "</style>"];
// Paragraph text: not a heading, a thematic break or a table row, after which a kind 7 block may start.
// An empty list item or quote leaves no paragraph either; in doubt a kind 7 block may start (more is read as HTML).
const NOT_PARA = /^ {0,3}(?:\[|#{1,6}(?:[ \t]|$)|(?:[-*_][ \t]*){3,}$|=+[ \t]*$|-+[ \t]*$|(?:[-*+]|\d{1,9}[.)]|>)[ \t]*$)|\|/;

/** Where a line's container markers (`>`, list markers, indent) end: an HTML block may start behind them. */
function afterContainers(raw: string): number {
  let i = 0;
  for (;;) {
    while (raw[i] === " " || raw[i] === "\t") i++;
    if (raw[i] === ">") {
      i++;
      continue;
    }
    let j = i;
    while (j - i < 9 && raw[j]! >= "0" && raw[j]! <= "9") j++;
    const marker = j > i ? raw[j] === "." || raw[j] === ")" : "-*+".includes(raw[i] ?? "x");
    const end = j > i ? j + 1 : i + 1;
    if (!marker || (raw[end] !== " " && raw[end] !== "\t")) return i;
    i = end;
  }
}

/** The HTML block a line starts (CommonMark kinds 1 to 7, as cmark-gfm 0.29 reads them), if any. */
function startsBlock(raw: string, para: boolean): Block | null {
  const at = afterContainers(raw);
  if (raw[at] !== "<") return null;
  // Up to three spaces leave it at the top, where only its own end ends it; four are code or a list item's.
  const nested = /[^ \t]|^(?: {0,3}\t| {4})/.test(raw.slice(0, at));
  const rest = raw.slice(at);
  if (/^<(script|pre|style)(?:[ \t>]|$)/i.test(rest)) return { ends: RAW_ENDS, nested };
  if (rest.startsWith("<!--")) return { ends: ["-->"], nested };
  if (rest.startsWith("<?")) return { ends: ["?>"], nested };
  if (rest.startsWith("<![CDATA[")) return { ends: ["]]>"], nested };
  if (rest[1] === "!" && isLetter(rest[2] ?? "")) return { ends: [">"], nested };
  if (startsBlockTag(rest)) return { ends: "blank", nested };
  if (para) return null;
  const tag = completeTag({ rows: [rest], stops: [] }, 0, 0);
  return tag !== null && tag !== "unsure" && isBlankLine(rest.slice(tag.at)) ? { ends: "blank", nested } : null;
}

const isSpace = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f";

/** The tokenizer over one line of raw HTML (or a part of one: `end` false), from `state`: the state at its end. One pass. */
export function read(state: State, raw: string, end = true): State {
  const text = end ? `${raw}\n` : raw;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (state === "data") {
      const lt = text.indexOf("<", i);
      if (lt < 0) return state;
      const next = text[lt + 1] ?? "";
      i = lt + 1;
      if (isLetter(next) || (next === "/" && isLetter(text[lt + 2] ?? ""))) state = "tag";
      else if (text.startsWith("!--", i)) {
        i += 3;
        // `<!-->` and `<!--->` close at once.
        if (text[i] === ">") i += 1;
        else if (text.startsWith("->", i)) i += 2;
        else state = "comment";
      } else if (next === "!" || next === "?" || (next === "/" && text[lt + 2] !== ">")) state = "bogus";
    } else if (state === "tag") {
      if (c === ">") state = "data";
      else if (c === "=") state = "eq";
      i++;
    } else if (state === "eq") {
      if (c === '"' || c === "'") state = c;
      else if (c === ">") state = "data";
      else if (!isSpace(c)) state = "tag";
      i++;
    } else {
      const close = state === "comment" ? "-->" : state === "bogus" ? ">" : state;
      const end = text.indexOf(close, i);
      // `--!>` ends a comment too; the earlier of the two.
      const bang = state === "comment" ? text.indexOf("--!>", i) : -1;
      if (end < 0 && bang < 0) return state;
      const [at, len] = bang >= 0 && (end < 0 || bang < end) ? [bang, 4] : [end, close.length];
      i = at + len;
      state = state === '"' || state === "'" ? "tag" : "data";
    }
  }
  return state;
}

export const isOpen = (state: State) => state === '"' || state === "'" || state === "comment";

/**
 * Reads one row of a block; a block behind a container may end at any row (a list item's indent is
 * not read here), so a quote or comment open at the end of one of its rows hides the rest at once.
 */
function readRow(html: RawHtml, block: Block, raw: string): void {
  html.state = read(html.state, raw);
  if (block.nested && isOpen(html.state)) html.rest = true;
  if (block.ends === "blank" || !block.ends.some((end) => raw.toLowerCase().includes(end))) return;
  if (block.union) block.union.marker = true;
  if (!block.union || block.union.blank) endBlock(html);
}

function endBlock(html: RawHtml): void {
  html.block = null;
  if (isOpen(html.state)) html.rest = true;
  // A tag left open closes at the `>` of the next block's own first tag, before its text; only a
  // next line that starts with `<` may go on inside it.
}

/**
 * Whether the HTML parser hides this row (its start is inside a tag, a quoted value or a comment
 * of raw HTML), reading it in turn. Call once a row, in order.
 */
export function rawHides(html: RawHtml, raw: string): boolean {
  if (html.rest) return true;
  const blank = isBlankLine(raw);
  if (html.block !== null) {
    const { ends, nested, union } = html.block;
    // Where a block may end (a blank line) what it leaves open reads on for good: the block may be
    // one that ends there (taken for another kind, or `<textarea`) and its quote closes nothing after.
    if (blank && isOpen(html.state)) html.rest = true;
    if (blank && union) union.blank = true;
    if (blank && (ends === "blank" || union?.marker)) {
      endBlock(html);
      return false;
    }
    // A line that starts a block of kinds 1 to 5 inside one taken for kind 6 or 7: it may be that
    // block's start (the first was no block at all), so it is read on up to that block's end too.
    const inner = (ends === "blank" || union) && !blank ? startsBlock(raw, true) : null;
    if (inner !== null && inner.ends !== "blank") {
      const before = ends === "blank" ? [] : ends;
      html.block = { ends: [...before, ...inner.ends], nested: nested && inner.nested, union: { blank: union?.blank ?? false, marker: false } };
    }
    if (!(nested && !/^[ \t>]/.test(raw))) {
      const hides = html.state !== "data";
      readRow(html, html.block, raw);
      return hides;
    }
    endBlock(html);
    if (html.rest) return true;
  }
  if (blank) {
    html.para = false;
    return false;
  }
  if (html.state !== "data") {
    // A tag open since a block ended: a line starting with `<` may go on inside it.
    if (!/^ {0,3}</.test(raw)) html.state = "data";
    else {
      html.block = startsBlock(raw, false) ?? { ends: "blank", nested: false };
      readRow(html, html.block, raw);
      return true;
    }
  }
  const fence = readFence(raw);
  if (html.fence !== null) {
    if (fence && fence.marker[0] === html.fence[0] && fence.marker.length >= html.fence.length && !fence.rest.trim()) html.fence = null;
    return false;
  }
  if (fence) {
    [html.fence, html.para] = [fence.marker, false];
    return false;
  }
  const block = startsBlock(raw, html.para);
  if (block === null) {
    html.para = !NOT_PARA.test(raw) && (html.para || !/^(?: {4}|\t)/.test(raw));
    return false;
  }
  [html.block, html.para, html.state] = [block, false, "data"];
  readRow(html, block, raw.slice(afterContainers(raw)));
  return false;
}
