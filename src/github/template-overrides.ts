import type { ProbotOctokit } from "probot";
import { OVERRIDE_DIR, type OverrideSource } from "../render/templates.js";
import { MemoryStore } from "../store/memory-store.js";
import type { Store } from "../store/store.js";
import { readGithubFolder } from "./github-folder.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** Content never changes under its sha: a folder's listing and a file's text are kept by it. */
const BY_SHA_TTL_MS = 7 * 24 * 3_600_000;

type Listing = Record<string, string>;

/** `embargo`, the overrides' folder inside `.github`. */
const FOLDER = OVERRIDE_DIR.slice(OVERRIDE_DIR.lastIndexOf("/") + 1);

/** Git's modes of a regular file (plain, executable); a symlink (120000) or a submodule is not a template. */
const FILE_MODES = new Set(["100644", "100755"]);

/**
 * The files of a git tree, by name. A truncated tree is an error rather than a partial listing
 * (an override silently missing would render the built-in text): thrown like any failed read.
 */
function filesOf(owner: string, repo: string, tree: { truncated: boolean; tree: { path?: string; mode?: string; type?: string; sha?: string }[] }): Listing {
  if (tree.truncated) throw new Error(`the tree of ${owner}/${repo}:${OVERRIDE_DIR} is too large for GitHub to list; template overrides were not read`);
  const files: Listing = {};
  for (const e of tree.tree) {
    if (e.type === "blob" && FILE_MODES.has(e.mode ?? "") && e.path && e.sha) files[e.path] = e.sha;
  }
  return files;
}

/**
 * A repo's template overrides from `.github/embargo/<name>.hbs` on the default branch. The
 * `.github` folder's listing (src/github/github-folder.ts: conditional, once per repo per event,
 * shared with the config's read) says by its `embargo` entry whether overrides exist at all and
 * under which tree sha. That tree is then listed by its sha (`git/get-tree`) and each file read by
 * its blob sha (`git/get-blob`), never by path: what a sha names cannot change, so a push between
 * the reads cannot put a newer listing or text under an older sha, and each is kept under its sha
 * (`override-tree:`, `override:`) and read once per content. A repo without overrides costs that
 * one listing per event, free (304) once its `.github` folder is known; nothing is read before a
 * template asks. A failed read (a 404 included) is thrown, as Octokit throws it, and fails the render.
 */
export function repoOverrides(octokit: Octokit, owner: string, repo: string, store: Store = new MemoryStore(100)): OverrideSource {
  let names: Promise<Listing> | undefined;
  const list = async (): Promise<Listing> => {
    const dir = (await readGithubFolder(octokit, store, owner, repo))?.dirs[FOLDER];
    if (dir === undefined) return {};
    // Not `override-dir:`: listings filed by path under that key may hold a newer tree than their sha.
    const key = `override-tree:${owner}/${repo}:${dir}`.toLowerCase();
    const known = await store.get(key);
    if (known) return JSON.parse(known) as Listing;
    const listed = filesOf(owner, repo, (await octokit.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", { owner, repo, tree_sha: dir })).data);
    await store.set(key, JSON.stringify(listed), BY_SHA_TTL_MS);
    return listed;
  };
  return async (name) => {
    names ??= list();
    const sha = (await names)[`${name}.hbs`];
    if (sha === undefined) return null;
    const key = `override:${owner}/${repo}:${sha}`.toLowerCase();
    const known = await store.get(key);
    if (known !== undefined) return known;
    // JSON with base64 content: its media type is certain, where a raw blob's may come back as
    // bytes rather than text.
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", { owner, repo, file_sha: sha });
    const text = typeof data.content !== "string" ? null : data.encoding === "base64" ? Buffer.from(data.content, "base64").toString("utf8") : data.encoding === "utf-8" ? data.content : null;
    if (text === null) return null;
    await store.set(key, text, BY_SHA_TTL_MS);
    return text;
  };
}
