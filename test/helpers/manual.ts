import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The user's manual (README.md and docs/*.md) read as GitHub shows it, for the tests that check
 * what it tells a user against what the app does: fenced blocks, code spans, tables and headings.
 */

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface Doc {
  /** Relative to the repository's root: `README.md`, `docs/running.md`. */
  name: string;
  text: string;
}

export function manual(): Doc[] {
  const docs = readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`);
  return ["README.md", ...docs].map((name) => ({ name, text: readFileSync(join(ROOT, name), "utf8") }));
}

export interface Fence {
  doc: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  body: string;
  /**
   * What an HTML comment right above the fence says after `example:`, e.g.
   * `<!-- example: not embargo.yml (a workflow) -->` → `not embargo.yml (a workflow)`; "" for none.
   */
  mark: string;
}

const FENCE = /^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)/;

/** Fenced code blocks, nested ones (inside a longer fence) left inside their parent's body. */
export function fences(doc: Doc): Fence[] {
  const lines = doc.text.split("\n");
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const marker = open[2]!;
    let j = i + 1;
    while (j < lines.length && !new RegExp(`^ {0,3}${marker[0] === "`" ? "`" : "~"}{${marker.length},}\\s*$`).test(lines[j]!)) j++;
    let k = i - 1;
    while (k >= 0 && !lines[k]!.trim()) k--;
    const mark = k >= 0 ? (/^<!--\s*example:\s*(.*?)\s*-->\s*$/.exec(lines[k]!)?.[1] ?? "") : "";
    out.push({ doc: doc.name, line: i + 1, lang: open[3]!.toLowerCase(), body: lines.slice(i + 1, j).join("\n"), mark });
    i = j;
  }
  return out;
}

/** The text outside fenced blocks, fenced lines blanked so line numbers stay. */
export function prose(doc: Doc): string {
  const lines = doc.text.split("\n");
  for (const f of fences(doc)) {
    const end = f.line + f.body.split("\n").length;
    for (let i = f.line - 1; i <= Math.min(end, lines.length - 1); i++) lines[i] = "";
  }
  return lines.join("\n");
}

export interface Span {
  doc: string;
  line: number;
  /** The span's text as GitHub shows it: a table's `\|` is `|`, a line break a space. */
  code: string;
  /** Whether it stands in a table row. */
  inTable: boolean;
}

/** Single-backtick code spans in the prose, also those a hard wrap splits over two lines. */
export function spans(doc: Doc): Span[] {
  const text = prose(doc);
  const rows = text.split("\n");
  const starts = rows.reduce<number[]>((acc, r) => (acc.push(acc.at(-1)! + r.length + 1), acc), [0]);
  const out: Span[] = [];
  let line = 1;
  for (const m of text.matchAll(/(?<!`)`([^`]+?)`(?!`)/g)) {
    while (starts[line]! <= m.index) line++;
    const row = rows[line - 1]!;
    const inTable = row.trimStart().startsWith("|");
    const code = (inTable ? m[1]!.replace(/\\\|/g, "|") : m[1]!).replace(/\s*\n\s*/g, " ");
    out.push({ doc: doc.name, line, code, inTable });
  }
  return out;
}

export interface Table {
  doc: string;
  line: number;
  header: string[];
  rows: { line: number; cells: string[] }[];
}

/** Splits a table row on the pipes that are not escaped (`\|` stays inside its cell). */
function cellsOf(row: string): string[] {
  const inner = row.trim().replace(/^\|/, "").replace(/\|$/, "");
  return inner.split(/(?<!\\)\|/).map((c) => c.trim());
}

export function tables(doc: Doc): Table[] {
  const lines = prose(doc).split("\n");
  const out: Table[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i]!.trimStart().startsWith("|") || !/^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$/.test(lines[i + 1]!)) continue;
    const table: Table = { doc: doc.name, line: i + 1, header: cellsOf(lines[i]!), rows: [] };
    let j = i + 2;
    for (; j < lines.length && lines[j]!.trimStart().startsWith("|"); j++) table.rows.push({ line: j + 1, cells: cellsOf(lines[j]!) });
    out.push(table);
    i = j;
  }
  return out;
}

/** The code spans of one table cell, as GitHub shows them. */
export function cellSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\\\|/g, "|"));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2… */
export function anchors(doc: Doc): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of prose(doc).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = m[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
    const base = text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}
