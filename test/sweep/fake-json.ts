/** GitHub's REST shapes for what the fake stores: the fields the app and Octokit read, plausibly filled. */
import type { FakeCheckRun, FakeComment, FakeIssue, FakePull, FakeRepo } from "./fake-github.js";

export const BOT_LOGIN = "embargo[bot]";
export const COMMENT_LIMIT = 65_536;
export const API = "https://api.github.com";
export const WEB = "https://github.com";
const NOW = "2026-11-22T12:00:00Z";
export { NOW as FAKE_NOW };

export function user(login: string | null, type = "User") {
  if (login === null) return null;
  return { login, id: hash(login), node_id: `U_${login}`, type, site_admin: false, url: `${API}/users/${login}`, html_url: `${WEB}/${login}` };
}

export function hash(s: string): number {
  let h = 7;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) % 1_000_000;
  return h + 1;
}


export function issueJson(repo: FakeRepo, issue: FakeIssue) {
  const base = `${API}/repos/${repo.owner}/${repo.name}/issues/${issue.number}`;
  return {
    id: 100_000 + issue.number,
    node_id: `I_${repo.name}_${issue.number}`,
    url: base,
    repository_url: `${API}/repos/${repo.owner}/${repo.name}`,
    html_url: `${WEB}/${repo.owner}/${repo.name}/${issue.isPull ? "pull" : "issues"}/${issue.number}`,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    state_reason: issue.state_reason,
    user: user(issue.author),
    labels: issue.labels.map((name) => ({ id: hash(name), node_id: `LA_${hash(name)}`, url: `${API}/labels/${hash(name)}`, name, color: "ededed", default: false, description: null })),
    assignee: user(issue.assignees[0] ?? null),
    assignees: issue.assignees.map((a) => user(a)),
    locked: false,
    comments: issue.comments.length,
    created_at: "2026-11-20T09:30:00Z",
    updated_at: issue.updated_at ?? NOW,
    closed_at: issue.state === "closed" ? NOW : null,
    ...(issue.state === "closed" && issue.closed_by ? { closed_by: user(issue.closed_by) } : {}),
    author_association: "NONE",
    ...(issue.isPull ? { pull_request: { url: `${API}/repos/${repo.owner}/${repo.name}/pulls/${issue.number}`, html_url: `${WEB}/${repo.owner}/${repo.name}/pull/${issue.number}` } } : {}),
  };
}

export function commentJson(repo: FakeRepo, issue: FakeIssue, c: FakeComment) {
  return {
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${API}/repos/${repo.owner}/${repo.name}/issues/comments/${c.id}`,
    html_url: `${WEB}/${repo.owner}/${repo.name}/issues/${issue.number}#issuecomment-${c.id}`,
    issue_url: `${API}/repos/${repo.owner}/${repo.name}/issues/${issue.number}`,
    body: c.body,
    user: user(c.login, c.type),
    created_at: NOW,
    updated_at: NOW,
    author_association: c.type === "Bot" ? "NONE" : "MEMBER",
  };
}

export function pullJson(repo: FakeRepo, pull: FakePull) {
  const shape = repoJson(repo);
  return {
    id: 200_000 + pull.number,
    node_id: `PR_${repo.name}_${pull.number}`,
    url: `${API}/repos/${repo.owner}/${repo.name}/pulls/${pull.number}`,
    html_url: `${WEB}/${repo.owner}/${repo.name}/pull/${pull.number}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    body: pull.body,
    user: user(pull.author),
    labels: (repo.issues.get(pull.number)?.labels ?? []).map((name) => ({ id: hash(name), node_id: `LA_${hash(name)}`, url: "", name, color: "ededed", default: false, description: null })),
    requested_reviewers: pull.requested_reviewers.map((l) => user(l)),
    requested_teams: pull.requested_teams.map((slug) => ({ id: hash(slug), slug, name: slug })),
    merged: pull.merged,
    merged_at: pull.merged ? NOW : null,
    draft: false,
    head: { label: `${repo.owner}:${pull.head_ref}`, ref: pull.head_ref, sha: pull.head_sha, user: user(repo.owner), repo: shape },
    base: { label: `${repo.owner}:${pull.base_ref}`, ref: pull.base_ref, sha: "f".repeat(40), user: user(repo.owner), repo: shape },
    created_at: "2026-11-21T09:00:00Z",
    updated_at: NOW,
  };
}

export function repoJson(repo: FakeRepo) {
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    private: repo.private,
    visibility: repo.private ? "private" : "public",
    owner: { ...user(repo.owner, "Organization") },
    html_url: `${WEB}/${repo.owner}/${repo.name}`,
    url: `${API}/repos/${repo.owner}/${repo.name}`,
    default_branch: "main",
  };
}

export function runJson(repo: FakeRepo, run: FakeCheckRun) {
  return {
    id: run.id,
    name: run.name,
    head_sha: run.head_sha,
    status: run.status,
    conclusion: run.conclusion,
    external_id: run.external_id,
    url: `${API}/repos/${repo.owner}/${repo.name}/check-runs/${run.id}`,
    html_url: `${WEB}/${repo.owner}/${repo.name}/runs/${run.id}`,
    output: { title: run.title, summary: run.summary, text: null, annotations_count: 0, annotations_url: "" },
    app: { id: run.app_id, slug: "embargo" },
    started_at: NOW,
    completed_at: run.status === "completed" ? NOW : null,
  };
}
