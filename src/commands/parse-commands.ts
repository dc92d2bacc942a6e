import { createHash } from "node:crypto";

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
}

export const MAX_COMMAND_LINE = 2000;
const GROUPS = new Set(["triage", "announce", "help"]);
const COMMAND = /^\/([a-z]+)(?:[ \t]+([a-z][a-z-]*))?(?:[ \t]+(.*))?$/i;

function lineHash(text: string, occurrence: number): string {
  return createHash("sha256").update(`${occurrence}\0${text}`).digest("base64url").slice(0, 10);
}

/**
 * Command lines of a comment: a line that starts with `/triage`, `/announce` or `/help`, outside
 * fenced code blocks and block quotes. Indented lines and text inside a sentence never count.
 */
export function parseCommands(body: string): CommandLine[] {
  const out: CommandLine[] = [];
  const seen = new Map<string, number>();
  let fence: string | null = null;
  for (const raw of body.split(/\r?\n/)) {
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(raw);
    if (fenceMatch) {
      const marker = fenceMatch[1]!;
      // An opening fence may carry an info string ("```js"); a closing one carries nothing.
      if (fence === null) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length && !fenceMatch[2]!.trim()) fence = null;
      continue;
    }
    if (fence !== null || !raw.startsWith("/")) continue;
    const text = raw.trim();
    const match = COMMAND.exec(text.slice(0, MAX_COMMAND_LINE + 1));
    if (!match || !GROUPS.has(match[1]!.toLowerCase())) continue;
    const occurrence = seen.get(text) ?? 0;
    seen.set(text, occurrence + 1);
    out.push({
      text,
      group: match[1]!.toLowerCase(),
      name: (match[2] ?? "").toLowerCase(),
      args: (match[3] ?? "").trim(),
      hash: lineHash(text, occurrence),
    });
  }
  return out;
}

/** Cheap test before any API call: most comments carry no command at all. */
export function mayHaveCommands(body: string | null | undefined): boolean {
  return Boolean(body && /(^|\n)\/(triage|announce|help)\b/i.test(body));
}
