import { neutralize } from "../render/neutralize.js";
import { trusted } from "../render/templates.js";
import { MAX_COMMANDS_PER_COMMENT, type CommandLine } from "./parse-commands.js";

export interface Failure {
  line: CommandLine;
  error: string;
  usage?: string;
  /** Refused for the response's state and remembered as run: what to post in a new comment, and when. */
  again?: string;
  /** Decided before and cut short: whether its effect happened is not known, so "nothing changed" is not said. */
  unsure?: boolean;
}

/** Failures quoted in full in one reply; the rest are counted and located, so the reply stays small. */
export const FAILURES_SHOWN = 20;
const QUOTE_MAX = 300;
const ERROR_MAX = 600;

/** Applies `fn` to the text outside inline code spans (one pass, no regex): examples in backticks stay copyable. */
export function outsideCode(text: string, fn: (s: string) => string): string {
  let out = "";
  let at = 0;
  for (;;) {
    const open = text.indexOf("`", at);
    const close = open < 0 ? -1 : text.indexOf("`", open + 1);
    if (close < 0) return out + fn(text.slice(at));
    out += fn(text.slice(at, open)) + text.slice(open, close + 1);
    at = close + 1;
  }
}

/**
 * App text that embeds someone's words (an argument, a config value, GitHub's error message), made
 * safe to print as markdown: no pings, no markup, no hidden markers; code spans are left as written.
 */
export function safeText(text: string, max = ERROR_MAX) {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return trusted(outsideCode(cut.replace(/</g, "&lt;"), neutralize));
}

/** "3, 5–9, 12" for line numbers in order, at most `max` ranges. */
export function lineRanges(numbers: number[], max = 20): string {
  const ranges: string[] = [];
  let i = 0;
  while (i < numbers.length && ranges.length < max) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    ranges.push(i === j ? String(numbers[i]) : `${numbers[i]}–${numbers[j]}`);
    i = j + 1;
  }
  return ranges.join(", ") + (i < numbers.length ? ", …" : "");
}

/**
 * The `command-errors` view: the first failures in full, then how many more and where. `others`:
 * other command lines of the comment applied (now or before), so the reply may say so.
 */
export function errorsView(failures: Failure[], others = false) {
  const shown = failures.slice(0, FAILURES_SHOWN);
  const rest = failures.slice(FAILURES_SHOWN);
  return {
    failures: shown.map((f) => ({ text: f.line.text.slice(0, QUOTE_MAX), error: safeText(f.error), usage: f.usage ? trusted(f.usage) : undefined, again: f.again ? safeText(f.again) : undefined })),
    total: failures.length,
    unsure: failures.some((f) => f.unsure),
    // Lines an edit of the comment runs again; the others (`again`) only a new comment runs.
    editable: failures.some((f) => !f.again),
    others,
    max: MAX_COMMANDS_PER_COMMENT,
    more: rest.length ? { count: rest.length, lines: lineRanges(rest.map((f) => f.line.line)) } : undefined,
  };
}
