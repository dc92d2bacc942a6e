import type { ProbotOctokit } from "probot";
import type { Store } from "../store/store.js";
import { currentScope, repoKey, visibilityOf, type RepoRef } from "./event-scope.js";
import { isTransient } from "./http-status.js";
import { readVisibility, repoVisibility } from "./leak-firewall.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * Repositories GitHub told us were made public (`repository.publicized`). An event that fired
 * while such a repo was private still says `private: true` when it is delivered late or
 * redelivered from GitHub's delivery log; the firewall must not take that snapshot's word.
 *
 * Keyed by the repository's id, which survives a rename or a transfer (a stale payload still
 * carries the old name). 30 days: GitHub.com keeps deliveries for redelivery 3 days, GitHub
 * Enterprise Server 7; a failed delivery can be redelivered at the end of that, from a queue that
 * itself waited. Keeping the marker longer costs nothing on the normal path: events fired after
 * the change say `private: false`, so nobody reads the key for them.
 */
const TTL_MS = 30 * 24 * 3_600_000;

const keyOf = (repositoryId: number) => `made-public:${repositoryId}`;

export async function rememberMadePublic(store: Store, repositoryId: number, at: Date): Promise<void> {
  await store.set(keyOf(repositoryId), at.toISOString(), TTL_MS);
}

/** Whether a private-looking payload's repository has been made public since (one store read). */
export async function wasMadePublic(store: Store, repositoryId: number): Promise<boolean> {
  return (await store.get(keyOf(repositoryId))) !== undefined;
}

/**
 * `repository.privatized`: forgets the marker, but only once GitHub says the repo is private now.
 * A `privatized` redelivered after a later `publicized` must not put stale payloads back in
 * charge; a marker kept too long costs a visibility read, one dropped too early a leak.
 */
export async function forgetMadePublic(octokit: Octokit, store: Store, repositoryId: number, repo: RepoRef): Promise<boolean> {
  if ((await readVisibility(octokit, repo)) !== "private") return false;
  await store.del(keyOf(repositoryId));
  return true;
}

/**
 * Whether the repository a fix PR's link names (its security issue's) is, now, the private
 * repository the link was sealed for. A renamed security repo's former name may since belong to
 * another repository, which GitHub then answers for instead: a public one, or a private one with
 * readers of its own; neither may be told that the PR waits on a security response. `sealedId`:
 * the id the link carries (a link sealed before links carried one is judged by visibility alone).
 * Read afresh: what the event knows of that name's id came from the seal itself.
 */
export async function namedRepoStillOurs(octokit: Octokit, repo: RepoRef, sealedId: number | undefined): Promise<boolean> {
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}", { owner: repo.owner, repo: repo.repo });
    return visibilityOf(data) === "private" && (sealedId === undefined || Number(data.id) === sealedId);
  } catch (error) {
    // An outage is not an answer: the event fails (and is redelivered) rather than tell the wrong place.
    if (isTransient(error)) throw error;
    return false;
  }
}

interface PayloadRepository {
  owner: { login: string };
  name: string;
  private: boolean;
  visibility?: string;
}

/**
 * Whether the event's repository is private, for a handler's own decisions (a response or a
 * public notice, a private or a public PR): the payload's word, unless the firewall's scope left it
 * unknown because the repo was made public since; then GitHub's now, read once for the event and
 * shared with the firewall. Internal repos count as public (the whole enterprise reads them).
 */
export async function privateNow(octokit: Octokit, repository: PayloadRepository): Promise<boolean> {
  if (visibilityOf(repository) !== "private") return false;
  const scope = currentScope();
  if (!scope) return true;
  const repo = { owner: repository.owner.login, repo: repository.name };
  const known = scope.knownVisibility(repoKey(repo));
  if (known) return known === "private";
  return (await repoVisibility(octokit, scope, repo)) === "private";
}
