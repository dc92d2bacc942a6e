import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/** What each derived key is for: a key never serves two purposes (HKDF `info`). */
export type KeyPurpose = "pr-link" | "record" | "advisory" | "dashboard";

/**
 * The app's secrets: the current one, and the previous one while a rotation is under way (read
 * only, so rotating strands no open response). One key per purpose is derived with HKDF-SHA256.
 */
export class KeyRing {
  readonly #current: string;
  readonly #previous?: string;
  /** HKDF is deterministic: each purpose's keys are derived once per ring, not on every signature. */
  readonly #derived = new Map<KeyPurpose, Buffer[]>();

  constructor(current: string, previous?: string) {
    if (!current) throw new Error("KeyRing needs a secret");
    this.#current = current;
    this.#previous = previous || undefined;
  }

  /** The key to write with. */
  key(purpose: KeyPurpose): Buffer {
    return this.keys(purpose)[0]!;
  }

  /** Every key a value may have been written with, newest first. */
  keys(purpose: KeyPurpose): Buffer[] {
    let keys = this.#derived.get(purpose);
    if (!keys) {
      keys = [this.#current, ...(this.#previous ? [this.#previous] : [])].map((s) => derive(s, purpose));
      this.#derived.set(purpose, keys);
    }
    // A copy: a caller cannot alter the ring's keys through the array (the buffers are read only by HMAC).
    return [...keys];
  }

  /** A short HMAC of `data` under the purpose's current key (base64url). */
  sign(purpose: KeyPurpose, data: string): string {
    return createHmac("sha256", this.key(purpose)).update(data, "utf8").digest("base64url");
  }

  /** `sign` under each secret a value may have been written with, newest first (a store key made before a rotation). */
  signAll(purpose: KeyPurpose, data: string): string[] {
    return this.keys(purpose).map((key) => createHmac("sha256", key).update(data, "utf8").digest("base64url"));
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

/** The app cannot start safely; the message is the one line that says which variable to set. */
export class MissingSecretError extends Error {}

/**
 * The environment's secrets: EMBARGO_SECRET (EMBARGO_LINK_SECRET is its former name), else
 * WEBHOOK_SECRET; EMBARGO_SECRET_PREVIOUS while rotating. Never a default: no secret, no start.
 * WEBHOOK_SECRET is required as well, because without it Probot checks webhook signatures against
 * its public default ("development"), so anyone could send the app events.
 */
export function keyRingFromEnv(env: NodeJS.ProcessEnv = process.env): KeyRing {
  const current = env.EMBARGO_SECRET || env.EMBARGO_LINK_SECRET || env.WEBHOOK_SECRET;
  if (!current) {
    throw new MissingSecretError(
      "embargo refuses to start: no secret is set. Set EMBARGO_SECRET to a long random string, and WEBHOOK_SECRET to the GitHub App's webhook secret (Probot's setup writes it into .env); see README, Secrets.",
    );
  }
  if (!env.WEBHOOK_SECRET) {
    throw new MissingSecretError(
      'embargo refuses to start: WEBHOOK_SECRET is not set, so Probot would accept webhooks signed with its public default "development". Set WEBHOOK_SECRET to the webhook secret in the GitHub App\'s settings; see README, Secrets.',
    );
  }
  return new KeyRing(current, env.EMBARGO_SECRET_PREVIOUS);
}
