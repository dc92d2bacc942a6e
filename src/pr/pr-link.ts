import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { KeyRing } from "../security/key-ring.js";

/**
 * The PR → security-issue link, sealed for a check run's `external_id`. A public PR must not name
 * the private issue, yet every PR event must find it in a constant number of calls: the app keeps
 * the link on the PR's own check run, encrypted (AES-256-GCM) with a key only the app holds. Links
 * sealed under the previous secret still open, so rotating the secret strands no PR.
 */
export class LinkSealer {
  readonly #keys: KeyRing;

  constructor(keys: KeyRing | string) {
    this.#keys = typeof keys === "string" ? new KeyRing(keys) : keys;
  }

  seal(issueKey: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#keys.key("pr-link"), iv);
    const data = Buffer.concat([cipher.update(issueKey, "utf8"), cipher.final()]);
    return `e1.${Buffer.concat([iv, cipher.getAuthTag(), data]).toString("base64url")}`;
  }

  /** The issue key, or undefined for anything the app did not seal with this key. */
  open(token: string | null | undefined): string | undefined {
    if (!token?.startsWith("e1.")) return undefined;
    const raw = Buffer.from(token.slice(3), "base64url");
    for (const key of this.#keys.keys("pr-link")) {
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
      } catch {
        // Not sealed under this key: try the previous secret's.
      }
    }
    return undefined;
  }
}

/** `owner/repo#12` → parts; the only form issue keys take. */
export function parseIssueKey(key: string): { owner: string; repo: string; issue_number: number } | undefined {
  const m = /^([^/\s]+)\/([^#\s]+)#(\d+)$/.exec(key);
  return m ? { owner: m[1]!, repo: m[2]!, issue_number: Number(m[3]) } : undefined;
}
