import type { ProbotOctokit } from "probot";
import { OVERRIDE_DIR, type OverrideSource } from "../render/templates.js";
import type { Store } from "../store/store.js";
import { readContent } from "./conditional-read.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

function isNotFound(error: unknown): boolean {
  return (error as { status?: number }).status === 404;
}

/** A file's content never changes under its blob sha: kept as long as the folder's listing. */
const BLOB_TTL_MS = 7 * 24 * 3_600_000;

type Listing = Record<string, string>;

/** The folder's files by name, with their blob shas. */
function listing(data: unknown): Listing {
  const files: Listing = {};
  if (Array.isArray(data)) for (const e of data as { type: string; name: string; sha: string }[]) if (e.type === "file") files[e.name] = e.sha;
  return files;
}

/**
 * A repo's template overrides from `.github/embargo/<name>.hbs` on the default branch. One listing
 * of the folder per event tells which exist, so a repo without overrides costs one call, not one
 * per template. With the app's store the listing is a conditional request (a 304 when nothing in
 * the folder changed, which is free), and each file is read once per content sha.
 */
export function repoOverrides(octokit: Octokit, owner: string, repo: string, store?: Store): OverrideSource {
  let names: Promise<Listing> | undefined;
  const list = async (): Promise<Listing> => {
    try {
      if (store) return (await readContent(octokit, store, { owner, repo, path: OVERRIDE_DIR }, listing)).data;
      return listing((await octokit.rest.repos.getContent({ owner, repo, path: OVERRIDE_DIR })).data);
    } catch (error) {
      if (isNotFound(error)) return {};
      throw error;
    }
  };
  return async (name) => {
    names ??= list();
    const sha = (await names)[`${name}.hbs`];
    if (sha === undefined) return null;
    const key = `override:${owner}/${repo}:${sha}`.toLowerCase();
    const known = store && (await store.get(key));
    if (known !== undefined && known !== null) return known;
    const { data } = await octokit.rest.repos.getContent({
      owner,
      repo,
      path: `${OVERRIDE_DIR}/${name}.hbs`,
      mediaType: { format: "raw" },
    });
    if (typeof data !== "string") return null;
    // Kept under the sha the listing gave: a file changed since then is read again on the next listing.
    if (store) await store.set(key, data, BLOB_TTL_MS);
    return data;
  };
}
