import type { ResponseRecord } from "../record/response-record.js";

/**
 * What the leak firewall lets through on purpose, each with its reason. Nothing else that names
 * an embargoed issue may be written to a repository that is not private.
 */
export interface AllowedWrite {
  id: string;
  reason: string;
  /** `path` is the API path without the API base, e.g. `/repos/acme/product/security-advisories`. */
  matches: (method: string, path: string) => boolean;
}

export const ALLOWED_WRITES: readonly AllowedWrite[] = [
  {
    id: "security-advisories",
    reason:
      "a repository security advisory is a draft that only the repository's admins and the advisory's collaborators can read until it is published, and a CVE request for it names its GHSA id by design",
    matches: (_method, path) => /^\/repos\/[^/]+\/[^/]+\/security-advisories(?:\/|$)/i.test(path),
  },
];

export function allowedWrite(method: string, path: string): AllowedWrite | undefined {
  return ALLOWED_WRITES.find((a) => a.matches(method, path));
}

export const RELEASED_REASON =
  "the advisory is published (`/announce publish`): the issue is public, so nothing about it is embargoed any more";

/**
 * The record says the advisory is out: the response was announced, or publish step 1 (the
 * advisory) is recorded done — a publish GitHub broke off later, resumed by a later event.
 */
export function isReleased(record: ResponseRecord): boolean {
  return record.state === "announced" || Boolean(record.publish_steps?.advisory);
}

/**
 * The GHSA id of an advisory this request publishes, if it does: once GitHub has accepted it, the
 * rest of the event may name that issue anywhere (the CHANGES/NEWS PR comes right after).
 */
export function publishedAdvisory(method: string, path: string, body: unknown): string | undefined {
  if (method !== "PATCH") return undefined;
  const match = /^\/repos\/[^/]+\/[^/]+\/security-advisories\/([^/]+)$/i.exec(path);
  const state = body && typeof body === "object" ? (body as { state?: unknown }).state : undefined;
  return match && state === "published" ? decodeURIComponent(match[1]!) : undefined;
}
