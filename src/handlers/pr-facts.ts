import { visibilityOf } from "../github/event-scope.js";
import type { PrFacts } from "../pr/decide-pr.js";

/** A pull request as a webhook or a read gives it: only what the app uses. */
export interface PullLike {
  number: number;
  title: string;
  body: string | null;
  state: string;
  merged?: boolean | null;
  merged_at?: string | null;
  user: { login: string } | null;
  base: { ref: string; sha?: string };
  head: { sha: string; ref: string };
  labels: { name: string }[];
  requested_reviewers?: ({ login?: string } | null)[] | null;
  requested_teams?: ({ slug?: string } | null)[] | null;
  commits?: number;
  html_url?: string;
  updated_at?: string;
}

export function prFacts(pull: PullLike, repository: { id?: number; owner: { login: string }; name: string; private: boolean; visibility?: string; default_branch?: string }): PrFacts {
  return {
    owner: repository.owner.login,
    repo: repository.name,
    ...(repository.id !== undefined ? { repo_id: repository.id } : {}),
    number: pull.number,
    private: visibilityOf(repository) === "private",
    author: pull.user?.login ?? "",
    base: pull.base.ref,
    base_sha: pull.base.sha,
    default_branch: repository.default_branch,
    head_sha: pull.head.sha,
    head_ref: pull.head.ref,
    open: pull.state === "open",
    merged: Boolean(pull.merged || pull.merged_at),
    labels: pull.labels.map((l) => l.name),
    requested_reviewers: (pull.requested_reviewers ?? []).flatMap((r) => (r?.login ? [r.login] : [])),
    requested_teams: (pull.requested_teams ?? []).flatMap((t) => (t?.slug ? [t.slug] : [])),
    title: pull.title,
    body: pull.body ?? "",
    commits: pull.commits,
    html_url: pull.html_url,
  };
}
