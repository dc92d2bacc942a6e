import { idSpellings, normalizeForMatch } from "./normalize-text.js";

/**
 * The secrets of the security issues one event touches, and the one question the leak firewall
 * asks of them: does this text name any of them? Texts are compared in `normalizeForMatch`'s form.
 * Free text counts only from MIN_TEXT_CHARS normalised characters, and the report's body only as
 * runs of RUN_WORDS words, so a bare number or a short common phrase never blocks normal work.
 * Normalising is lazy: an event that writes nothing public pays nothing.
 */
export type SecretKind = "reference" | "cve" | "ghsa" | "title" | "summary" | "description" | "report";

export const MIN_TEXT_CHARS = 12;
export const RUN_WORDS = 8;

export const RULES: Record<SecretKind, string> = {
  reference: "names the security issue (its reference or URL)",
  cve: "names the CVE id",
  ghsa: "names the GHSA id",
  title: "repeats the security issue's title",
  summary: "repeats the response's summary",
  description: "repeats the response's description",
  report: `repeats ${RUN_WORDS} words in a row from the report`,
};

/**
 * CPU time the firewall spends on its own work (scans, parsing, scope set-up), summed over the
 * process: the benchmark reads it to report the guard's share of an event. Network waits excluded.
 */
export const firewallClock = { ms: 0 };

export function timed<T>(fn: () => T): T {
  const start = performance.now();
  try {
    return fn();
  } finally {
    firewallClock.ms += performance.now() - start;
  }
}

export interface SecretHit {
  /** The security issue the secret belongs to, `owner/repo#n` in lower case. */
  issue: string;
  kind: SecretKind;
  rule: string;
  place: string;
}

export interface TextPart {
  place: string;
  text: string;
}

interface Owner {
  issue: string;
  kind: SecretKind;
}

const SPLIT_FIELD_CHARS = 256;
const FREE_TEXT: SecretKind[] = ["title", "summary", "description"];
const OWN_REPO_KNOWS: SecretKind[] = ["reference", "title", "report"];

const ID_KINDS: SecretKind[] = ["cve", "ghsa"];

/** Where each word of a normalised, trimmed text starts: runs are cut out of it, never re-joined. */
function wordStarts(text: string): Uint32Array {
  let count = 1;
  for (let i = text.indexOf(" "); i !== -1; i = text.indexOf(" ", i + 1)) count++;
  const starts = new Uint32Array(count);
  let n = 1;
  for (let i = text.indexOf(" "); i !== -1; i = text.indexOf(" ", i + 1)) starts[n++] = i + 1;
  return starts;
}

function wordEnd(text: string, starts: Uint32Array, word: number): number {
  return word + 1 < starts.length ? starts[word + 1]! - 1 : text.length;
}

export class SecretSet {
  private raw: Array<Owner & { text: string }> = [];
  private needles = new Map<string, Owner>();
  private runs = new Map<string, Owner>();
  /** The first word of every run: most positions in a text are skipped without building a run. */
  private firstWords = new Set<string>();
  private runIssues = new Set<string>();
  private released = new Set<string>();

  add(issue: string, kind: SecretKind, text: string | undefined): void {
    if (text && text.trim()) this.raw.push({ issue: issue.toLowerCase(), kind, text });
  }

  /** Everything about this issue may be written anywhere from now on (the advisory is published). */
  release(issue: string): void {
    this.released.add(issue.toLowerCase());
    this.needles = new Map([...this.needles].filter(([, o]) => !this.released.has(o.issue)));
    this.runs = new Map([...this.runs].filter(([, o]) => !this.released.has(o.issue)));
  }

  isReleased(issue: string): boolean {
    return this.released.has(issue.toLowerCase());
  }

  /** True when nothing is secret, so a write needs no look at all. */
  get empty(): boolean {
    this.compile();
    return this.needles.size === 0 && this.runs.size === 0;
  }

  private compile(): void {
    if (!this.raw.length) return;
    const pending = this.raw;
    this.raw = [];
    for (const { issue, kind, text } of pending) {
      if (this.released.has(issue)) continue;
      const norm = normalizeForMatch(text);
      const trimmed = norm.trim();
      if (!trimmed) continue;
      if (kind === "report") {
        // A report shorter than one run has none: its title still protects it.
        const starts = wordStarts(trimmed);
        for (let i = 0; i + RUN_WORDS <= starts.length; i++) {
          const run = trimmed.slice(starts[i], wordEnd(trimmed, starts, i + RUN_WORDS - 1));
          if (this.runs.has(run)) continue;
          this.runs.set(run, { issue, kind });
          this.runIssues.add(issue);
          this.firstWords.add(trimmed.slice(starts[i], wordEnd(trimmed, starts, i)));
        }
        continue;
      }
      if (FREE_TEXT.includes(kind) && trimmed.length < MIN_TEXT_CHARS) continue;
      for (const needle of ID_KINDS.includes(kind) ? idSpellings(text) : [norm]) if (!this.needles.has(needle)) this.needles.set(needle, { issue, kind });
    }
  }

  private match(norm: string, target: string | undefined): Owner | undefined {
    // The issue's own repository shows the issue itself to its readers: its reference, title and
    // report say nothing new there. What the response added (CVE, summary…) still counts.
    const counts = (o: Owner) => !(target && OWN_REPO_KNOWS.includes(o.kind) && o.issue.startsWith(`${target}#`));
    for (const [needle, owner] of this.needles) if (norm.includes(needle) && counts(owner)) return owner;
    if (this.runs.size && (!target || [...this.runIssues].some((issue) => !issue.startsWith(`${target}#`)))) {
      const text = norm.trim();
      const words = text.split(" ");
      for (let i = 0, at = 0; i + RUN_WORDS <= words.length; at += words[i]!.length + 1, i++) {
        if (!this.firstWords.has(words[i]!)) continue;
        let end = at;
        for (let k = i; k < i + RUN_WORDS; k++) end += words[k]!.length + 1;
        const owner = this.runs.get(text.slice(at, end - 1));
        if (owner && counts(owner)) return owner;
      }
    }
    return undefined;
  }

  /**
   * The first secret any part names, with the part's place; then the parts read together (a
   * secret split over two fields), with place "several fields together". `target` is the
   * `owner/repo` written to, when known.
   */
  find(parts: TextPart[], target?: string): SecretHit | undefined {
    if (this.empty) return undefined;
    const short: string[] = [];
    for (const part of parts) {
      const norm = normalizeForMatch(part.text);
      const owner = this.match(norm, target);
      if (owner) return { ...owner, rule: RULES[owner.kind], place: part.place };
      // Splitting a secret over fields means short fields (labels, names); long texts stand alone.
      if (norm.trim() && part.text.length <= SPLIT_FIELD_CHARS) short.push(norm.trim());
    }
    const normalized = short;
    if (normalized.length < 2) return undefined;
    const owner = this.match(` ${normalized.join(" ")} `, target);
    return owner ? { ...owner, rule: RULES[owner.kind], place: "several fields together" } : undefined;
  }
}
