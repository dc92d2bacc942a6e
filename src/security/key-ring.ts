import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/** What each derived key is for: a key never serves two purposes (HKDF `info`). */
export type KeyPurpose = "pr-link" | "record" | "advisory";

/**
 * The app's secrets: the current one, and the previous one while a rotation is under way (read
 * only, so rotating strands no open response). One key per purpose is derived with HKDF-SHA256.
 */
export class KeyRing {
  readonly #current: string;
  readonly #previous?: string;

  constructor(current: string, previous?: string) {
    if (!current) throw new Error("KeyRing needs a secret");
    this.#current = current;
    this.#previous = previous || undefined;
  }

  /** The key to write with. */
  key(purpose: KeyPurpose): Buffer {
    return derive(this.#current, purpose);
  }

  /** Every key a value may have been written with, newest first. */
  keys(purpose: KeyPurpose): Buffer[] {
    return [this.#current, ...(this.#previous ? [this.#previous] : [])].map((s) => derive(s, purpose));
  }

  /** A short HMAC of `data` under the purpose's current key (base64url). */
  sign(purpose: KeyPurpose, data: string): string {
    return createHmac("sha256", this.key(purpose)).update(data, "utf8").digest("base64url");
  }

  /** True when `signature` was made by `sign` under the current or the previous secret. */
  verify(purpose: KeyPurpose, data: string, signature: string): boolean {
    const given = Buffer.from(signature, "base64url");
    return this.keys(purpose).some((key) => {
      const expected = createHmac("sha256", key).update(data, "utf8").digest();
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  }
}

function derive(secret: string, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.from("embargo", "utf8"), Buffer.from(`embargo:${purpose}`, "utf8"), 32));
}

/** The environment's secrets, or the one line that says which variable to set. */
export function keyRingFromEnv(env: NodeJS.ProcessEnv = process.env): KeyRing {
  const current = env.EMBARGO_SECRET || env.EMBARGO_LINK_SECRET || env.WEBHOOK_SECRET;
  if (!current) {
    throw new Error("embargo needs a secret: set EMBARGO_SECRET (or WEBHOOK_SECRET, which Probot's setup writes into .env)");
  }
  return new KeyRing(current, env.EMBARGO_SECRET_PREVIOUS);
}
