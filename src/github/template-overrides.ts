import type { ProbotOctokit } from "probot";
import { OVERRIDE_DIR, type OverrideSource } from "../render/templates.js";
import { MemoryStore } from "../store/memory-store.js";
import type { Store } from "../store/store.js";
import { blobSha, readContent } from "./conditional-read.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

function isNotFound(error: unknown): boolean {
  return (error as { status?: number }).status === 404;
}

/** Content never changes under its sha: a folder's listing and a file's text are kept by it. */
const BY_SHA_TTL_MS = 7 * 24 * 3_600_000;

type Listing = Record<string, string>;

/** A folder's files (or folders) by name, with their shas. */
function entries(data: unknown, type: "file" | "dir"): Listing {
  const found: Listing = {};
  if (Array.isArray(data)) for (const e of data as { type: string; name: string; sha: string }[]) if (e.type === type) found[e.name] = e.sha;
  return found;
}

const PARENT = OVERRIDE_DIR.slice(0, OVERRIDE_DIR.lastIndexOf("/"));
const FOLDER = OVERRIDE_DIR.slice(PARENT.length + 1);

/**
 * A repo's template overrides from `.github/embargo/<name>.hbs` on the default branch. The
 * `.github` folder is listed first, as a conditional request (its ETag in the store): GitHub
 * answers 304, which is free, while nothing in it changed, and its `embargo` entry says whether
 * overrides exist at all and under which tree sha. The override folder is then listed once per
 * tree sha and each file read once per blob sha. A repo without overrides costs one call per
 * event, free once its `.github` folder is known; nothing is read before a template asks.
 */
export function repoOverrides(octokit: Octokit, owner: string, repo: string, store: Store = new MemoryStore(100)): OverrideSource {
  let names: Promise<Listing> | undefined;
  const list = async (): Promise<Listing> => {
    let dir: string | undefined;
    try {
      dir = (await readContent(octokit, store, { owner, repo, path: PARENT }, (d) => entries(d, "dir"))).data[FOLDER];
    } catch (error) {
      if (isNotFound(error)) return {};
      throw error;
    }
    if (dir === undefined) return {};
    const key = `override-dir:${owner}/${repo}:${dir}`.toLowerCase();
    const known = await store.get(key);
    if (known) return JSON.parse(known) as Listing;
    const files = entries((await octokit.rest.repos.getContent({ owner, repo, path: OVERRIDE_DIR })).data, "file");
    await store.set(key, JSON.stringify(files), BY_SHA_TTL_MS);
    return files;
  };
  return async (name) => {
    names ??= list();
    const sha = (await names)[`${name}.hbs`];
    if (sha === undefined) return null;
    const key = `override:${owner}/${repo}:${sha}`.toLowerCase();
    const known = await store.get(key);
    if (known !== undefined) return known;
    const { data } = await octokit.rest.repos.getContent({
      owner,
      repo,
      path: `${OVERRIDE_DIR}/${name}.hbs`,
      mediaType: { format: "raw" },
    });
    if (typeof data !== "string") return null;
    // Kept under its sha only when it is the content the listing named (not a newer push).
    if (blobSha(data) === sha) await store.set(key, data, BY_SHA_TTL_MS);
    return data;
  };
}
