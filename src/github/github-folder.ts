import type { ProbotOctokit } from "probot";
import type { Store } from "../store/store.js";
import { contentKey, readContent, storedEntry } from "./conditional-read.js";
import { currentScope, type EventScope } from "./event-scope.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** A folder on the default branch (here `.github`): its files' blob shas and its folders' tree shas, by name. */
export interface GithubFolder {
  files: Record<string, string>;
  dirs: Record<string, string>;
}

export function folderOf(data: unknown): GithubFolder {
  const folder: GithubFolder = { files: {}, dirs: {} };
  if (Array.isArray(data)) {
    for (const e of data as { type: string; name: string; sha: string }[]) {
      if (e.type === "file") folder.files[e.name] = e.sha;
      else if (e.type === "dir") folder.dirs[e.name] = e.sha;
    }
  }
  return folder;
}

/** A listing an older version kept under the same key (folders only) is not trusted: it is read afresh. */
function isFolder(data: unknown): data is GithubFolder {
  const d = data as Partial<GithubFolder> | null;
  return typeof d === "object" && d !== null && typeof d.files === "object" && d.files !== null && typeof d.dirs === "object" && d.dirs !== null;
}

/** The listings an event has asked for, per repo: the config and the template overrides share one. */
const perEvent = new WeakMap<EventScope, Map<string, Promise<GithubFolder | undefined>>>();

/**
 * `GET /repos/{owner}/{repo}/contents/.github`, conditionally (its ETag in the store: an unchanged
 * folder answers 304, which is free), once per repo per event: it says both whether
 * `.github/embargo.yml` changed since it was last read (its blob sha, src/github/read-config.ts)
 * and whether template overrides exist under which tree sha (src/github/template-overrides.ts).
 * Undefined when the repo has no `.github` folder (404); any other failure is thrown, and not kept,
 * so a later read in the event asks again. Outside an event (the CLI) every call reads.
 *
 * `ifKnown`: only when the folder was listed before (its listing is in the store, or this event
 * read it): undefined, without a call, for a repo whose folder was never seen or was absent.
 */
export async function readGithubFolder(octokit: Octokit, store: Store, owner: string, repo: string, options: { ifKnown?: boolean } = {}): Promise<GithubFolder | undefined> {
  const scope = currentScope();
  const key = `${owner}/${repo}`.toLowerCase();
  let reads = scope ? perEvent.get(scope) : undefined;
  if (scope && !reads) perEvent.set(scope, (reads = new Map()));
  const known = reads?.get(key);
  if (known) return known;
  if (options.ifKnown) {
    const stored = await store.get(contentKey(owner, repo, ".github"));
    if (!stored || !isFolder(storedEntry(stored).data)) return undefined;
    // Another read of this event may have started while the store was asked.
    const started = reads?.get(key);
    if (started) return started;
  }
  const read = readContent(octokit, store, { owner, repo, path: ".github" }, folderOf, isFolder).then(
    (r) => r.data,
    (error: unknown) => {
      if ((error as { status?: number }).status === 404) return undefined;
      reads?.delete(key);
      throw error;
    },
  );
  reads?.set(key, read);
  return read;
}
