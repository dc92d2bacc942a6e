import { createHash } from "node:crypto";
import type { ProbotOctokit } from "probot";
import type { Store } from "../store/store.js";
import { deepFreeze } from "../util/deep-freeze.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** What a read left in the store: GitHub's ETag, the content's sha and what the caller keeps of it. */
export interface Remembered<T> {
  etag: string;
  sha: string;
  data: T;
  type?: string;
}

export interface ContentRead<T> {
  status: 200 | 304;
  sha: string;
  data: T;
  type?: string;
}

/** A file or folder read stays remembered this long without being asked for again. */
const TTL_MS = 7 * 24 * 3_600_000;

export function contentKey(owner: string, repo: string, path: string): string {
  return `content:${owner.toLowerCase()}/${repo.toLowerCase()}:${path}`;
}

/**
 * The git blob sha of a text, as GitHub names file contents (`git hash-object`): the sha a
 * folder listing gives a file equals this of its raw text, byte for byte. A text that does not
 * survive decoding as UTF-8 unchanged (a byte-order mark, invalid bytes) gets another sha, which
 * only ever means "changed": the file is then read again, never taken as unchanged.
 */
export function blobSha(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/**
 * Stored entries parsed, by their exact text: the same text is the same entry, so an unchanged
 * file or folder (the `.github` listing is asked for twice an event) is not parsed on every event.
 * Keyed by the whole text, it cannot go stale; frozen, as shared; bounded, the oldest dropped
 * first; a large text is parsed each time rather than kept.
 */
const parsedEntries = new Map<string, Remembered<unknown>>();
const PARSED_KEPT = 256;
const PARSED_MAX_TEXT = 64_000;


/** What the store holds under a content key, parsed (shared and frozen: read it, never change it). */
export function storedEntry<T>(raw: string): Remembered<T> {
  const known = parsedEntries.get(raw);
  if (known) return known as Remembered<T>;
  const parsed = JSON.parse(raw) as Remembered<T>;
  if (raw.length > PARSED_MAX_TEXT) return parsed;
  parsedEntries.set(raw, deepFreeze(parsed));
  if (parsedEntries.size > PARSED_KEPT) parsedEntries.delete(parsedEntries.keys().next().value!);
  return parsed;
}

/**
 * `GET /repos/{owner}/{repo}/contents/{path}` sent with `If-None-Match` and the ETag the store
 * holds for it: GitHub answers 304 when nothing changed (free: a 304 does not count against the
 * installation's rate limit), and the stored content is used. A 200 with an ETag is remembered for
 * the next read (by any instance sharing the store). A 404 forgets it and is thrown, as Octokit
 * throws it. `keep` says what of the answer is worth keeping (and returning); `kept` says whether
 * stored data has that shape (a value kept by an older version is not: it is read afresh).
 */
export async function readContent<T>(
  octokit: Octokit,
  store: Store,
  params: { owner: string; repo: string; path: string; mediaType?: { format: string } },
  keep: (data: unknown) => T,
  kept: (data: unknown) => boolean = () => true,
): Promise<ContentRead<T>> {
  const key = contentKey(params.owner, params.repo, params.path);
  const raw = await store.get(key);
  const parsed = raw ? storedEntry<T>(raw) : undefined;
  const stored = parsed && kept(parsed.data) ? parsed : undefined;
  try {
    const response = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...params,
      // In the request's own options: a header added later (a hook) would not reach the wire.
      headers: stored ? { "if-none-match": stored.etag } : {},
    });
    const data = keep(response.data);
    const text = typeof response.data === "string" ? response.data : JSON.stringify(response.data);
    const type = response.headers["content-type"];
    const sha = blobSha(text);
    const etag = response.headers.etag;
    if (etag) await store.set(key, JSON.stringify({ etag, sha, data, type } satisfies Remembered<T>), TTL_MS);
    else if (parsed) await store.del(key);
    return { status: 200, sha, data, type };
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 304 && stored) return { status: 304, sha: stored.sha, data: stored.data, type: stored.type };
    if (status === 404 && parsed) await store.del(key);
    throw error;
  }
}
