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
 * PRs their links. Each response is sealed with its security repository's id too (`sids`), so
 * that a renamed or transferred security repo's response is found as the same response by its id
 * (src/github/repo-ids.ts) while the link keeps the name it was made under (GitHub redirects it).
 * One token holds every response the PR
 * belongs to (its gate opens only when all of them are satisfied). Links sealed under the previous
 * secret still open, so rotating the secret strands no PR.
 */
export class LinkSealer {
  readonly #keys: KeyRing;

  constructor(keys: KeyRing | string) {
    this.#keys = typeof keys === "string" ? new KeyRing(keys) : keys;
  }

  /** Seals the links of `pr` ("owner/repo#n", or its binding with the repository's id) to one or more issues. */
  seal(pr: string | PrBinding, issues: string | (string | IssueLink)[]): string {
    const { key, repoId } = bindingOf(pr);
    const links = [issues].flat().map((i) => (typeof i === "string" ? { key: i } : i));
    const sids = links.some((l) => l.repoId !== undefined) ? { sids: links.map((l) => l.repoId ?? null) } : {};
    const payload = JSON.stringify({ pr: key.toLowerCase(), ...(repoId !== undefined ? { rid: repoId } : {}), issues: links.map((l) => l.key), ...sids });
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#keys.key("pr-link"), iv);
    const data = Buffer.concat([cipher.update(payload, "utf8"), cipher.final()]);
    return `e2.${Buffer.concat([iv, cipher.getAuthTag(), data]).toString("base64url")}`;
  }

  /** The issue keys `pr` is linked to; empty for another PR, or anything the app did not seal. */
  open(token: string | null | undefined, pr: string | PrBinding): string[] {
    return this.openLinks(token, pr).map((l) => l.key);
  }

  /** The same, with each issue's repository id where the link was sealed with it. */
  openLinks(token: string | null | undefined, pr: string | PrBinding): IssueLink[] {
    const payload = this.#unseal(token);
    if (!payload || !boundTo(payload, bindingOf(pr)) || !Array.isArray(payload.issues)) return [];
    const sids = Array.isArray(payload.sids) ? payload.sids : [];
    return payload.issues.flatMap((k, i): IssueLink[] => {
      if (typeof k !== "string" || parseIssueKey(k) === undefined) return [];
      const sid = sids[i];
      return [typeof sid === "number" ? { key: k, repoId: sid } : { key: k }];
    });
  }

  /**
   * Whether `token` names `pr`'s repository by id, when `pr` has one: a link sealed before ids were
   * is sealed again on its next write, so it survives a later rename of the repository.
   */
  sealedById(token: string | null | undefined, pr: PrBinding): boolean {
    return pr.repoId === undefined || this.#unseal(token)?.rid === pr.repoId;
  }

  /**
   * The number of the other PR `token` is a link for, when the app sealed it for another PR than
   * `pr`. A gate run sits in its PR's repository, so only another number tells another PR (a renamed
   * repository's PR keeps its number).
   */
  otherHolder(token: string | null | undefined, pr: PrBinding): number | undefined {
    const held = this.#unseal(token)?.pr;
    return typeof held === "string" && numberOf(held) !== numberOf(pr.key) ? Number(numberOf(held)) : undefined;
  }

  #unseal(token: string | null | undefined): { pr?: unknown; rid?: unknown; issues?: unknown; sids?: unknown } | undefined {
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
      return JSON.parse(text) as { pr?: unknown; rid?: unknown; issues?: unknown; sids?: unknown };
    }
    return undefined;
  }
}

/** A security issue a PR is linked to: its key, and its repository's id when the link knows it. */
export interface IssueLink {
  key: string;
  repoId?: number;
}

/** A PR as a link is bound to it: its key, and its repository's id when known. */
export interface PrBinding {
  key: string;
  repoId?: number;
}

const bindingOf = (pr: string | PrBinding): PrBinding => (typeof pr === "string" ? { key: pr } : pr);

const numberOf = (key: string) => key.slice(key.lastIndexOf("#") + 1);

/** The same repository by id when the seal and the caller both know it (a rename keeps it), else by name; and the same number. */
function boundTo(sealed: { pr?: unknown; rid?: unknown }, pr: PrBinding): boolean {
  if (typeof sealed.pr !== "string") return false;
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
