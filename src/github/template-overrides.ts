import type { ProbotOctokit } from "probot";
import { OVERRIDE_DIR, type OverrideSource } from "../render/templates.js";
import { MemoryStore } from "../store/memory-store.js";
import type { Store } from "../store/store.js";
import { blobSha } from "./conditional-read.js";
import { folderOf, readGithubFolder } from "./github-folder.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** Content never changes under its sha: a folder's listing and a file's text are kept by it. */
const BY_SHA_TTL_MS = 7 * 24 * 3_600_000;

type Listing = Record<string, string>;

/** `embargo`, the overrides' folder inside `.github`. */
const FOLDER = OVERRIDE_DIR.slice(OVERRIDE_DIR.lastIndexOf("/") + 1);

/**
 * A repo's template overrides from `.github/embargo/<name>.hbs` on the default branch. The
 * `.github` folder's listing (src/github/github-folder.ts: conditional, once per repo per event,
 * shared with the config's read) says by its `embargo` entry whether overrides exist at all and
 * under which tree sha. The override folder is then listed once per tree sha and each file read
 * once per blob sha. A repo without overrides costs that one listing per event, free (304) once
 * its `.github` folder is known; nothing is read before a template asks.
 */
export function repoOverrides(octokit: Octokit, owner: string, repo: string, store: Store = new MemoryStore(100)): OverrideSource {
  let names: Promise<Listing> | undefined;
  const list = async (): Promise<Listing> => {
    const dir = (await readGithubFolder(octokit, store, owner, repo))?.dirs[FOLDER];
    if (dir === undefined) return {};
    const key = `override-dir:${owner}/${repo}:${dir}`.toLowerCase();
    const known = await store.get(key);
    if (known) return JSON.parse(known) as Listing;
    const listed = folderOf((await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { owner, repo, path: OVERRIDE_DIR })).data).files;
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
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
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
