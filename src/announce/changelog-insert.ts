/**
 * Adds a CHANGES/NEWS entry the way the file is already written: under the first heading that
 * names "Unreleased", else right after the first heading, else at the top. Line endings and the
 * presence of a final newline are the file's own; a missing file is created with the entry.
 */
export function insertEntry(current: string | null, entry: string): string {
  const body = entry.replace(/\r\n?/g, "\n").trim();
  if (current === null || current === "") return `${body}\n`;
  const eol = current.includes("\r\n") ? "\r\n" : "\n";
  // The file's own last line ending, which need not be `eol` (CRLF lines, a bare LF at the end).
  const final = /\r\n$/.test(current) ? "\r\n" : current.endsWith("\n") ? "\n" : "";
  // Re-running a publish must not add the entry twice: the whole entry, line for line, not its
  // first line alone (a template may open with a heading the file has already, "### Security").
  if (hasLines(current.replace(/\r\n/g, "\n").split("\n"), body.split("\n"))) return current;

  const lines = current.slice(0, current.length - final.length).split(eol);
  const headings = headingLines(lines);
  const unreleased = headings.find((h) => /unreleased/i.test(h.text));
  const heading = unreleased ?? headings[0];
  const entryLines = body.split("\n");
  let out: string[];
  if (!heading) {
    out = [...entryLines, "", ...lines];
  } else {
    let at = heading.end + 1;
    while (at < lines.length && lines[at]!.trim() === "") at++;
    const before = lines.slice(0, heading.end + 1);
    const after = lines.slice(at);
    out = [...before, "", ...entryLines, ...(after.length ? ["", ...after] : [])];
  }
  return out.join(eol) + final;
}

/** Whether `lines` holds `wanted` as consecutive lines (each compared trimmed). */
function hasLines(lines: string[], wanted: string[]): boolean {
  const want = wanted.map((l) => l.trim());
  for (let i = 0; i + want.length <= lines.length; i++) {
    if (lines[i]!.trim() !== want[0]) continue;
    if (want.every((w, k) => lines[i + k]!.trim() === w)) return true;
  }
  return false;
}

interface Heading {
  text: string;
  /** Index of the heading's last line (the underline of a setext heading). */
  end: number;
}

/** ATX (`## 1.2`) and setext (a line underlined with === or ---) headings, outside code fences. */
export function headingLines(lines: string[]): Heading[] {
  const out: Heading[] = [];
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s{0,3}(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const atx = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (atx) {
      out.push({ text: atx[1]!, end: i });
      continue;
    }
    const next = lines[i + 1];
    if (line.trim() && !/^\s*[-*+]\s/.test(line) && next !== undefined && /^\s{0,3}(=+|-{2,})\s*$/.test(next)) {
      out.push({ text: line.trim(), end: i + 1 });
      i++;
    }
  }
  return out;
}
