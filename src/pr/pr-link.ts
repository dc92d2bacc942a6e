import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { KeyRing } from "../security/key-ring.js";

/**
 * The PR → security-issue links, sealed for the gate run's `external_id`. A public PR must not name
 * the private issue, yet every PR event must find it in a constant number of calls: the app keeps
 * the link on the PR's own check run, encrypted (AES-256-GCM) with a key only the app holds.
 *
 * A link is bound to one PR in one repo, not to a commit: the sealed payload carries
 * `owner/repo#n` and the repository's id, and `open` returns nothing for any other PR, so another
 * PR at the same head sha (a fork of the fix) gets nothing from the fix's link. The id, not the
 * name, decides when both sides know it: a repository renamed or transferred keeps its id, and its
 * PRs their links. One token holds every response the PR
 * belongs to (its gate opens only when all of them are satisfied). Links sealed under the previous
 * secret still open, so rotating the secret strands no PR.
 *
 * A check run belongs to a commit, and two PRs can share one (one branch into two branches): the
 * token then also carries the other PRs' links (`more`), each still bound to its own PR, so sealing
 * one PR's links never drops another's.
 */
export class LinkSealer {
  readonly #keys: KeyRing;

  constructor(keys: KeyRing | string) {
    this.#keys = typeof keys === "string" ? new KeyRing(keys) : keys;
  }

  /**
   * Seals the links of `pr` ("owner/repo#n", or its binding with the repository's id) to one or
   * more issue keys, with `others`: the links of other PRs on the same run (`otherLinks`).
   */
  seal(pr: string | PrBinding, issueKeys: string | string[], others: SealedLink[] = []): string {
    const { key, repoId } = bindingOf(pr);
    const more = others.slice(0, MAX_OTHER_PRS);
    const payload = JSON.stringify({ pr: key.toLowerCase(), ...(repoId !== undefined ? { rid: repoId } : {}), issues: [issueKeys].flat(), ...(more.length ? { more } : {}) });
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#keys.key("pr-link"), iv);
    const data = Buffer.concat([cipher.update(payload, "utf8"), cipher.final()]);
    return `e2.${Buffer.concat([iv, cipher.getAuthTag(), data]).toString("base64url")}`;
  }

  /** The issue keys `pr` is linked to; empty for another PR, or anything the app did not seal. */
  open(token: string | null | undefined, pr: string | PrBinding): string[] {
    const link = this.#links(token).find((l) => boundTo(l, bindingOf(pr)));
    return link ? link.issues.filter((k) => parseIssueKey(k) !== undefined) : [];
  }

  /** The links `token` holds for PRs other than `pr` (PRs sharing its head commit): kept when `pr`'s are sealed again. */
  otherLinks(token: string | null | undefined, pr: PrBinding): SealedLink[] {
    return this.#links(token).filter((l) => !boundTo(l, pr));
  }

  /**
   * Whether `token` names `pr`'s repository by id, when `pr` has one: a link sealed before ids were
   * is sealed again on its next write, so it survives a later rename of the repository.
   */
  sealedById(token: string | null | undefined, pr: PrBinding): boolean {
    return pr.repoId === undefined || this.#links(token).find((l) => boundTo(l, pr))?.rid === pr.repoId;
  }

  /** Every PR's links in the token, each as sealed; none for anything the app did not seal. */
  #links(token: string | null | undefined): SealedLink[] {
    const payload = this.#unseal(token);
    if (!payload) return [];
    const more = Array.isArray(payload.more) ? (payload.more as Unsealed[]) : [];
    return [payload, ...more].flatMap((l) =>
      l && typeof l.pr === "string" && Array.isArray(l.issues)
        ? [{ pr: l.pr, ...(typeof l.rid === "number" ? { rid: l.rid } : {}), issues: l.issues.filter((k): k is string => typeof k === "string") }]
        : [],
    );
  }

  #unseal(token: string | null | undefined): Unsealed | undefined {
    if (!token?.startsWith("e2.")) return undefined;
    const raw = Buffer.from(token.slice(3), "base64url");
    if (raw.length < 29) return undefined;
    for (const key of this.#keys.keys("pr-link")) {
      let text: string;
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
      } catch {
        continue; // not sealed under this key: try the previous secret's
      }
      return JSON.parse(text) as Unsealed;
    }
    return undefined;
  }
}

/** One PR's links as a token holds them: the PR's key (lower-case), its repository's id, the issue keys. */
export interface SealedLink {
  pr: string;
  rid?: number;
  issues: string[];
}

type Unsealed = { pr?: unknown; rid?: unknown; issues?: unknown; more?: unknown } | null;

/** Other PRs' links a token keeps (PRs sharing one head commit): a bound on the token's length. */
const MAX_OTHER_PRS = 5;

/** A PR as a link is bound to it: its key, and its repository's id when known. */
export interface PrBinding {
  key: string;
  repoId?: number;
}

const bindingOf = (pr: string | PrBinding): PrBinding => (typeof pr === "string" ? { key: pr } : pr);

const numberOf = (key: string) => key.slice(key.lastIndexOf("#") + 1);

/** The same repository by id when the seal and the caller both know it (a rename keeps it), else by name; and the same number. */
function boundTo(sealed: SealedLink, pr: PrBinding): boolean {
  if (typeof sealed.rid === "number" && pr.repoId !== undefined) return sealed.rid === pr.repoId && numberOf(sealed.pr) === numberOf(pr.key);
  return sealed.pr === pr.key.toLowerCase();
}

/** What `pr`'s links are sealed to and opened with. */
export function prBinding(pr: { owner: string; repo: string; number: number; repo_id?: number }): PrBinding {
  return { key: prKey(pr), ...(pr.repo_id !== undefined ? { repoId: pr.repo_id } : {}) };
}

/** `owner/repo#12` → parts; the only form issue keys take. */
export function parseIssueKey(key: string): { owner: string; repo: string; issue_number: number } | undefined {
  const m = /^([^/\s#]+)\/([^#\s/]+)#(\d+)$/.exec(key);
  return m ? { owner: m[1]!, repo: m[2]!, issue_number: Number(m[3]) } : undefined;
}

export function prKey(pr: { owner: string; repo: string; number: number }): string {
  return `${pr.owner}/${pr.repo}#${pr.number}`.toLowerCase();
}
