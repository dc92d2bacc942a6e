import { normalizeForMatch } from "./normalize-text.js";

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

const FREE_TEXT: SecretKind[] = ["title", "summary", "description"];
const OWN_REPO_KNOWS: SecretKind[] = ["reference", "title", "report"];

export class SecretSet {
  private raw: Array<Owner & { text: string }> = [];
  private needles = new Map<string, Owner>();
  private runs = new Map<string, Owner>();
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
        const words = trimmed.split(" ");
        for (let i = 0; i + RUN_WORDS <= words.length; i++) {
          const run = words.slice(i, i + RUN_WORDS).join(" ");
          if (!this.runs.has(run)) this.runs.set(run, { issue, kind });
        }
        continue;
      }
      if (FREE_TEXT.includes(kind) && trimmed.length < MIN_TEXT_CHARS) continue;
      if (!this.needles.has(norm)) this.needles.set(norm, { issue, kind });
    }
  }

  private match(norm: string, target: string | undefined): Owner | undefined {
    // The issue's own repository shows the issue itself to its readers: its reference, title and
    // report say nothing new there. What the response added (CVE, summary…) still counts.
    const counts = (o: Owner) => !(target && OWN_REPO_KNOWS.includes(o.kind) && o.issue.startsWith(`${target}#`));
    for (const [needle, owner] of this.needles) if (norm.includes(needle) && counts(owner)) return owner;
    if (this.runs.size) {
      const words = norm.trim().split(" ");
      for (let i = 0; i + RUN_WORDS <= words.length; i++) {
        const owner = this.runs.get(words.slice(i, i + RUN_WORDS).join(" "));
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
    const normalized: string[] = [];
    for (const part of parts) {
      const norm = normalizeForMatch(part.text);
      const owner = this.match(norm, target);
      if (owner) return { ...owner, rule: RULES[owner.kind], place: part.place };
      if (norm.trim()) normalized.push(norm.trim());
    }
    if (normalized.length < 2) return undefined;
    const owner = this.match(` ${normalized.join(" ")} `, target);
    return owner ? { ...owner, rule: RULES[owner.kind], place: "several fields together" } : undefined;
  }
}
