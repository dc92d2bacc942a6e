/**
 * A small in-memory GitHub for the sweep: the app's calls cannot all be known in advance when 178
 * example payloads are driven through every handler, so instead of one interceptor per expected
 * call, a persisted catch-all interceptor per method answers from this store the way GitHub would
 * (comment size limit, 404 for missing things, assignees GitHub silently drops, GraphQL NOT_FOUND).
 *
 * It still goes through the harness (`gh.scope()`), so every request is validated against GitHub's
 * REST description and `gh.done()` fails on anything the harness flags. A path the fake does not
 * know is answered 404 *and* listed in `unknown`: the sweep fails on it, so an incomplete fake
 * cannot pass for a robust app.
 */
import type { GitHubMock } from "../helpers/github-api.js";

export const BOT_LOGIN = "embargo[bot]";
export const COMMENT_LIMIT = 65_536;
const API = "https://api.github.com";
const WEB = "https://github.com";
const NOW = "2026-11-22T12:00:00Z";

export interface FakeComment {
  id: number;
  body: string;
  login: string;
  type: "User" | "Bot";
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  state_reason: string | null;
  author: string | null;
  labels: string[];
  assignees: string[];
  isPull: boolean;
  /** Deleted, or transferred away: every read answers 404 (410 for the issue itself). */
  gone: boolean;
  comments: FakeComment[];
}

export interface FakeReview {
  id: number;
  login: string | null;
  state: string;
  commit_id: string;
}

export interface FakePull {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  merged: boolean;
  author: string | null;
  head_sha: string;
  head_ref: string;
  base_ref: string;
  requested_reviewers: string[];
  requested_teams: string[];
  reviews: FakeReview[];
  commits: { sha: string; message: string }[];
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id: string | null;
  title: string | null;
  summary: string | null;
  app_id: number;
}

export interface FakeRepo {
  owner: string;
  name: string;
  id: number;
  private: boolean;
  /** The repository was deleted (or the app uninstalled from it): everything under it is 404. */
  gone: boolean;
  /** `.github/embargo.yml` as YAML; undefined = no file. */
  config?: string;
  issues: Map<number, FakeIssue>;
  pulls: Map<number, FakePull>;
  checkRuns: FakeCheckRun[];
  /** login (lower case) → permission (admin, maintain, write, triage, read). */
  collaborators: Map<string, string>;
  advisories: Map<string, Record<string, unknown>>;
}

export interface FakeState {
  nextId: number;
  repos: Map<string, FakeRepo>;
  /** "org/slug" (lower case) → member logins; a missing team answers 404. */
  teams: Map<string, string[]>;
}

export interface Failure {
  method: string;
  path: RegExp;
  status: number;
  body?: unknown;
}

type Reply = [number, unknown, Record<string, string>?];
type Handler = (m: string[], query: URLSearchParams, body: any) => Reply;

const notFound: Reply = [404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" }];

function user(login: string | null, type = "User") {
  if (login === null) return null;
  return { login, id: hash(login), node_id: `U_${login}`, type, site_admin: false, url: `${API}/users/${login}`, html_url: `${WEB}/${login}` };
}

function hash(s: string): number {
  let h = 7;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) % 1_000_000;
  return h + 1;
}

export function emptyState(): FakeState {
  return { nextId: 1000, repos: new Map(), teams: new Map() };
}

export class FakeGitHub {
  readonly state: FakeState;
  /** Requests the fake had no route for: a gap in the fake, never a pass. */
  readonly unknown: string[] = [];
  readonly failures: Failure[] = [];

  constructor(state: FakeState = emptyState()) {
    this.state = state;
  }

  /** A deep copy, so each test starts from the same snapshot. */
  clone(): FakeGitHub {
    return new FakeGitHub(structuredClone(this.state));
  }

  repo(fullName: string, shape: { private?: boolean } = {}): FakeRepo {
    const key = fullName.toLowerCase();
    let repo = this.state.repos.get(key);
    if (!repo) {
      const [owner, name] = fullName.split("/") as [string, string];
      repo = {
        owner,
        name,
        id: hash(key),
        private: shape.private ?? false,
        gone: false,
        issues: new Map(),
        pulls: new Map(),
        checkRuns: [],
        collaborators: new Map(),
        advisories: new Map(),
      };
      this.state.repos.set(key, repo);
    }
    if (shape.private !== undefined) repo.private = shape.private;
    return repo;
  }

  issue(fullName: string, number: number, shape: Partial<Omit<FakeIssue, "number" | "comments">> = {}): FakeIssue {
    const repo = this.repo(fullName);
    let issue = repo.issues.get(number);
    if (!issue) {
      issue = { number, title: `Issue ${number}`, body: "", state: "open", state_reason: null, author: "octocat", labels: [], assignees: [], isPull: false, gone: false, comments: [] };
      repo.issues.set(number, issue);
    }
    Object.assign(issue, shape);
    return issue;
  }

  pull(fullName: string, number: number, shape: Partial<Omit<FakePull, "number">> = {}): FakePull {
    const repo = this.repo(fullName);
    let pull = repo.pulls.get(number);
    if (!pull) {
      pull = {
        number,
        title: `Change ${number}`,
        body: "",
        state: "open",
        merged: false,
        author: "dev1",
        head_sha: "0".repeat(40),
        head_ref: `change-${number}`,
        base_ref: "main",
        requested_reviewers: [],
        requested_teams: [],
        reviews: [],
        commits: [],
      };
      repo.pulls.set(number, pull);
    }
    Object.assign(pull, shape);
    const issue = this.issue(fullName, number, { isPull: true, title: pull.title, body: pull.body, author: pull.author, state: pull.state });
    issue.isPull = true;
    return pull;
  }

  team(name: string, members: string[]): void {
    this.state.teams.set(name.toLowerCase(), members);
  }

  /** Answers `status` to matching requests before any route: renamed teams, deleted repos, outages. */
  fail(method: string, path: RegExp, status: number, body: unknown = { message: status === 404 ? "Not Found" : "Error" }): void {
    this.failures.push({ method: method.toUpperCase(), path, status, body });
  }

  /**
   * Stores what a webhook payload says exists (repository, issue, PR) as GitHub would hold it
   * when the event fires; things already in the store keep their state (the payload is a snapshot).
   */
  absorb(payload: any): void {
    const r = payload.repository;
    if (!r?.full_name) return;
    const known = this.state.repos.has(r.full_name.toLowerCase());
    const repo = this.repo(r.full_name, known ? {} : { private: Boolean(r.private) });
    const i = payload.issue;
    if (i?.number && !repo.issues.has(i.number)) {
      this.issue(r.full_name, i.number, {
        title: i.title ?? "",
        body: i.body ?? "",
        state: i.state === "closed" ? "closed" : "open",
        author: i.user?.login ?? null,
        labels: (i.labels ?? []).map((l: { name: string }) => l.name),
        assignees: (i.assignees ?? []).flatMap((a: { login?: string } | null) => (a?.login ? [a.login] : [])),
        isPull: Boolean(i.pull_request),
      });
    }
    const p = payload.pull_request;
    if (p?.number && !repo.pulls.has(p.number)) {
      this.pull(r.full_name, p.number, {
        title: p.title ?? "",
        body: p.body ?? "",
        state: p.state === "closed" ? "closed" : "open",
        merged: Boolean(p.merged || p.merged_at),
        author: p.user?.login ?? null,
        head_sha: p.head?.sha ?? "0".repeat(40),
        head_ref: p.head?.ref ?? "branch",
        base_ref: p.base?.ref ?? "main",
        commits: [{ sha: p.head?.sha ?? "0".repeat(40), message: p.title ?? "change" }],
      });
    }
  }

  /** Comments on an issue as stored, oldest first. */
  comments(fullName: string, number: number): FakeComment[] {
    return this.repo(fullName).issues.get(number)?.comments ?? [];
  }

  /**
   * Installs the persisted catch-all interceptors on a harness scope. Persisted + optional, so
   * `nock.pendingMocks()` stays empty and `gh.done()` is meaningful at the end of each test.
   */
  install(gh: GitHubMock): void {
    const scope = gh.scope();
    scope.persist();
    for (const method of ["get", "post", "patch", "put", "delete"] as const) {
      scope
        .intercept(() => true, method.toUpperCase())
        .optionally()
        .reply((uri: string, body: unknown) => {
          const [status, data, headers] = this.handle(method.toUpperCase(), uri, body);
          return [status, data as never, { "content-type": "application/json; charset=utf-8", ...headers }];
        });
    }
  }

  handle(method: string, uri: string, rawBody: unknown): Reply {
    const url = new URL(uri, API);
    const path = url.pathname;
    let body: any = rawBody;
    if (typeof rawBody === "string" && rawBody !== "") {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = rawBody;
      }
    }
    for (const f of this.failures) if (f.method === method && f.path.test(path)) return [f.status, f.body];
    for (const [m, re, handler] of this.routes) {
      if (m !== method) continue;
      const match = re.exec(path);
      if (!match) continue;
      const parts = match.slice(1).map((s) => decodeURIComponent(s));
      const repoMatch = /^\/repos\/([^/]+)\/([^/]+)/.exec(path);
      if (repoMatch && this.state.repos.get(`${decodeURIComponent(repoMatch[1]!)}/${decodeURIComponent(repoMatch[2]!)}`.toLowerCase())?.gone) return notFound;
      return handler(parts, url.searchParams, body ?? {});
    }
    this.unknown.push(`${method} ${path}${url.search}`);
    return [404, { message: `fake GitHub has no route for ${method} ${path}` }];
  }

  private nextId(): number {
    return ++this.state.nextId;
  }

  private issueJson(repo: FakeRepo, issue: FakeIssue) {
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
      updated_at: NOW,
      closed_at: issue.state === "closed" ? NOW : null,
      author_association: "NONE",
      ...(issue.isPull ? { pull_request: { url: `${API}/repos/${repo.owner}/${repo.name}/pulls/${issue.number}`, html_url: `${WEB}/${repo.owner}/${repo.name}/pull/${issue.number}` } } : {}),
    };
  }

  private commentJson(repo: FakeRepo, issue: FakeIssue, c: FakeComment) {
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

  private pullJson(repo: FakeRepo, pull: FakePull) {
    const repoJson = this.repoJson(repo);
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
      head: { label: `${repo.owner}:${pull.head_ref}`, ref: pull.head_ref, sha: pull.head_sha, user: user(repo.owner), repo: repoJson },
      base: { label: `${repo.owner}:${pull.base_ref}`, ref: pull.base_ref, sha: "f".repeat(40), user: user(repo.owner), repo: repoJson },
      created_at: "2026-11-21T09:00:00Z",
      updated_at: NOW,
    };
  }

  private repoJson(repo: FakeRepo) {
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

  private runJson(repo: FakeRepo, run: FakeCheckRun) {
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

  private isMember(login: string): boolean {
    for (const members of this.state.teams.values()) if (members.some((m) => m.toLowerCase() === login.toLowerCase())) return true;
    return false;
  }

  private readonly routes: [string, RegExp, Handler][] = [
    ["GET", /^\/app$/, () => [200, { id: 1, slug: "embargo", name: "embargo", owner: user("acme", "Organization") }]],
    [
      "POST",
      /^\/app\/installations\/(\d+)\/access_tokens$/,
      () => [201, { token: "ghs_fake_installation_token", expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: { issues: "write" }, repository_selection: "all" }],
    ],
    ["GET", /^\/repos\/([^/]+)\/([^/]+)$/, ([o, r]) => [200, this.repoJson(this.repo(`${o}/${r}`))]],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/,
      ([o, r, p]) => {
        const repo = this.repo(`${o}/${r}`);
        if (p === ".github/embargo.yml" && repo.config !== undefined) return [200, repo.config, { "content-type": "text/plain; charset=utf-8" }];
        return notFound;
      },
    ],
    // Issues and comments
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/issues$/,
      ([o, r], q) => {
        const repo = this.repo(`${o}/${r}`);
        const labels = (q.get("labels") ?? "").split(",").filter(Boolean).map((l) => l.toLowerCase());
        const state = q.get("state") ?? "open";
        const list = [...repo.issues.values()]
          .filter((i) => !i.gone && (state === "all" || i.state === state) && labels.every((l) => i.labels.some((x) => x.toLowerCase() === l)))
          .sort((a, b) => b.number - a.number)
          .slice(0, Number(q.get("per_page") ?? 30));
        return [200, list.map((i) => this.issueJson(repo, i))];
      },
    ],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/issues$/,
      ([o, r], _q, b) => {
        const repo = this.repo(`${o}/${r}`);
        const number = Math.max(0, ...repo.issues.keys()) + 1;
        const issue = this.issue(`${o}/${r}`, number, { title: b.title, body: b.body ?? "", author: BOT_LOGIN, labels: (b.labels ?? []).map((l: any) => (typeof l === "string" ? l : l.name)) });
        return [201, this.issueJson(repo, issue)];
      },
    ],
    ["GET", /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/, ([o, r, n]) => this.withIssue(o!, r!, n!, (repo, i) => [200, this.issueJson(repo, i)], 410)],
    [
      "PATCH",
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/,
      ([o, r, n], _q, b) =>
        this.withIssue(o!, r!, n!, (repo, i) => {
          if (b.state) i.state = b.state;
          if (b.state_reason !== undefined) i.state_reason = b.state_reason;
          if (b.title !== undefined) i.title = b.title;
          if (b.body !== undefined) i.body = b.body;
          return [200, this.issueJson(repo, i)];
        }),
    ],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
      ([o, r, n]) => this.withIssue(o!, r!, n!, (repo, i) => [200, i.comments.map((c) => this.commentJson(repo, i, c))]),
    ],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
      ([o, r, n], _q, b) =>
        this.withIssue(o!, r!, n!, (repo, i) => {
          const tooLong = this.tooLong(b.body);
          if (tooLong) return tooLong;
          const c: FakeComment = { id: this.nextId(), body: b.body, login: BOT_LOGIN, type: "Bot" };
          i.comments.push(c);
          return [201, this.commentJson(repo, i, c)];
        }),
    ],
    [
      "PATCH",
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/,
      ([o, r, id], _q, b) => {
        const repo = this.repo(`${o}/${r}`);
        for (const i of repo.issues.values()) {
          const c = i.comments.find((x) => x.id === Number(id));
          if (!c || i.gone) continue;
          const tooLong = this.tooLong(b.body);
          if (tooLong) return tooLong;
          c.body = b.body;
          return [200, this.commentJson(repo, i, c)];
        }
        return notFound;
      },
    ],
    ["POST", /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)\/reactions$/, (_p, _q, b) => [201, { id: this.nextId(), content: b.content, user: user(BOT_LOGIN, "Bot"), created_at: NOW }]],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/labels$/,
      ([o, r, n], _q, b) =>
        this.withIssue(o!, r!, n!, (repo, i) => {
          for (const l of (b.labels ?? []) as string[]) if (!i.labels.some((x) => x.toLowerCase() === l.toLowerCase())) i.labels.push(l);
          return [200, this.issueJson(repo, i).labels];
        }),
    ],
    [
      "DELETE",
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/labels\/([^/]+)$/,
      ([o, r, n, name]) =>
        this.withIssue(o!, r!, n!, (repo, i) => {
          const before = i.labels.length;
          i.labels = i.labels.filter((l) => l.toLowerCase() !== name!.toLowerCase());
          if (i.labels.length === before) return [404, { message: "Label does not exist" }];
          return [200, this.issueJson(repo, i).labels];
        }),
    ],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/assignees$/,
      ([o, r, n], _q, b) =>
        this.withIssue(o!, r!, n!, (repo, i) => {
          // GitHub answers 201 and silently drops people who cannot be assigned.
          for (const a of (b.assignees ?? []) as string[]) {
            const ok = repo.collaborators.has(a.toLowerCase()) || this.isMember(a);
            if (ok && !i.assignees.some((x) => x.toLowerCase() === a.toLowerCase())) i.assignees.push(a);
          }
          return [201, this.issueJson(repo, i)];
        }),
    ],
    // Pull requests
    ["GET", /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/, ([o, r, n]) => this.withPull(o!, r!, n!, (repo, p) => [200, this.pullJson(repo, p)])],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/reviews$/,
      ([o, r, n]) =>
        this.withPull(o!, r!, n!, (repo, p) => [
          200,
          p.reviews.map((v) => ({ id: v.id, node_id: `PRR_${v.id}`, user: user(v.login), body: "", state: v.state, commit_id: v.commit_id, html_url: `${WEB}/${repo.owner}/${repo.name}/pull/${p.number}#pullrequestreview-${v.id}`, pull_request_url: "", author_association: "MEMBER", submitted_at: NOW })),
        ]),
    ],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/commits$/,
      ([o, r, n]) => this.withPull(o!, r!, n!, (_repo, p) => [200, p.commits.map((c) => ({ sha: c.sha, node_id: `C_${c.sha}`, commit: { message: c.message, author: { name: "dev", email: "dev@example.org", date: NOW } }, author: user(p.author), parents: [] }))]),
    ],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/requested_reviewers$/,
      ([o, r, n], _q, b) =>
        this.withPull(o!, r!, n!, (repo, p) => {
          const reviewers = (b.reviewers ?? []) as string[];
          if (reviewers.some((l) => !l || l.toLowerCase() === (p.author ?? "").toLowerCase())) {
            return [422, { message: "Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the repository." }];
          }
          p.requested_reviewers.push(...reviewers);
          p.requested_teams.push(...((b.team_reviewers ?? []) as string[]));
          return [201, this.pullJson(repo, p)];
        }),
    ],
    // Check runs
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/check-runs$/,
      ([o, r, ref], q) => {
        const repo = this.repo(`${o}/${r}`);
        const name = q.get("check_name");
        const runs = repo.checkRuns.filter((c) => c.head_sha === ref && (!name || c.name === name)).reverse();
        return [200, { total_count: runs.length, check_runs: runs.map((c) => this.runJson(repo, c)) }];
      },
    ],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/check-runs$/,
      ([o, r], _q, b) => {
        const repo = this.repo(`${o}/${r}`);
        const run: FakeCheckRun = { id: this.nextId(), name: b.name, head_sha: b.head_sha, status: b.conclusion ? "completed" : (b.status ?? "queued"), conclusion: b.conclusion ?? null, external_id: b.external_id ?? null, title: b.output?.title ?? null, summary: b.output?.summary ?? null, app_id: 1 };
        repo.checkRuns.push(run);
        return [201, this.runJson(repo, run)];
      },
    ],
    [
      "PATCH",
      /^\/repos\/([^/]+)\/([^/]+)\/check-runs\/(\d+)$/,
      ([o, r, id], _q, b) => {
        const repo = this.repo(`${o}/${r}`);
        const run = repo.checkRuns.find((c) => c.id === Number(id));
        if (!run) return notFound;
        if (b.status) run.status = b.status;
        if (b.conclusion) {
          run.conclusion = b.conclusion;
          run.status = "completed";
        } else if (b.status && b.status !== "completed") run.conclusion = null;
        if (b.external_id !== undefined) run.external_id = b.external_id;
        if (b.output) {
          run.title = b.output.title ?? run.title;
          run.summary = b.output.summary ?? run.summary;
        }
        return [200, this.runJson(repo, run)];
      },
    ],
    // People
    [
      "GET",
      /^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/,
      ([org, slug, login]) => {
        const members = this.state.teams.get(`${org}/${slug}`.toLowerCase());
        if (!members || !members.some((m) => m.toLowerCase() === login!.toLowerCase())) return notFound;
        return [200, { url: "", role: "member", state: "active" }];
      },
    ],
    [
      "GET",
      /^\/orgs\/([^/]+)\/teams\/([^/]+)\/members$/,
      ([org, slug]) => {
        const members = this.state.teams.get(`${org}/${slug}`.toLowerCase());
        return members ? [200, members.map((m) => user(m))] : notFound;
      },
    ],
    [
      "GET",
      /^\/orgs\/([^/]+)\/teams\/([^/]+)$/,
      ([org, slug]) => (this.state.teams.has(`${org}/${slug}`.toLowerCase()) ? [200, { id: hash(slug!), node_id: `T_${slug}`, slug, name: slug, privacy: "closed", permission: "pull", organization: user(org!, "Organization") }] : notFound),
    ],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)\/permission$/,
      ([o, r, login]) => {
        const permission = this.repo(`${o}/${r}`).collaborators.get(login!.toLowerCase());
        const legacy = permission === "maintain" ? "write" : permission === "triage" ? "read" : (permission ?? "none");
        return [200, { permission: legacy, role_name: permission ?? "none", user: user(login!) }];
      },
    ],
    // Repository security advisories (the /announce side)
    ["GET", /^\/repos\/([^/]+)\/([^/]+)\/security-advisories$/, ([o, r]) => [200, [...this.repo(`${o}/${r}`).advisories.values()]]],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/security-advisories\/([^/]+)$/,
      ([o, r, id]) => {
        const a = this.repo(`${o}/${r}`).advisories.get(id!);
        return a ? [200, a] : notFound;
      },
    ],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/security-advisories$/,
      ([o, r], _q, b) => {
        const ghsa_id = `GHSA-fake-${this.nextId()}-xxxx`;
        const a = { ...b, ghsa_id, state: "draft", html_url: `${WEB}/${o}/${r}/security/advisories/${ghsa_id}`, url: `${API}/repos/${o}/${r}/security-advisories/${ghsa_id}` };
        this.repo(`${o}/${r}`).advisories.set(ghsa_id, a);
        return [201, a];
      },
    ],
    [
      "PATCH",
      /^\/repos\/([^/]+)\/([^/]+)\/security-advisories\/([^/]+)$/,
      ([o, r, id], _q, b) => {
        const a = this.repo(`${o}/${r}`).advisories.get(id!);
        if (!a) return notFound;
        Object.assign(a, b);
        return [200, a];
      },
    ],
    ["POST", /^\/repos\/([^/]+)\/([^/]+)\/security-advisories\/([^/]+)\/cve$/, () => [202, {}]],
    ["POST", /^\/graphql$/, (_p, _q, b) => this.graphql(b)],
  ];

  private tooLong(body: unknown): Reply | undefined {
    if (typeof body === "string" && body.length > COMMENT_LIMIT) {
      return [422, { message: "Validation Failed", errors: [{ resource: "IssueComment", code: "unprocessable", field: "data", message: "Body is too long (maximum is 65536 characters)" }] }];
    }
    return undefined;
  }

  private withIssue(o: string, r: string, n: string, fn: (repo: FakeRepo, issue: FakeIssue) => Reply, goneStatus = 404): Reply {
    const repo = this.repo(`${o}/${r}`);
    const issue = repo.issues.get(Number(n)) ?? this.issue(`${o}/${r}`, Number(n));
    if (issue.gone) return goneStatus === 410 ? [410, { message: "This issue was deleted" }] : notFound;
    return fn(repo, issue);
  }

  private withPull(o: string, r: string, n: string, fn: (repo: FakeRepo, pull: FakePull) => Reply): Reply {
    const repo = this.repo(`${o}/${r}`);
    const pull = repo.pulls.get(Number(n));
    return pull ? fn(repo, pull) : notFound;
  }

  private graphql(b: { query?: string; variables?: Record<string, any> }): Reply {
    const query = b.query ?? "";
    const v = b.variables ?? {};
    if (/transferIssue/.test(query)) {
      const target = [...this.state.repos.values()].find((r) => `R_${r.id}` === v.repo && !r.gone);
      const source = [...this.state.repos.values()].flatMap((r) => [...r.issues.values()].map((i) => ({ r, i }))).find(({ r, i }) => `I_${r.name}_${i.number}` === v.issue);
      if (!target || !source) return [200, { data: { transferIssue: null }, errors: [{ type: "NOT_FOUND", path: ["transferIssue"], message: "Could not resolve to a node with the global id." }] }];
      const number = Math.max(0, ...target.issues.keys()) + 1;
      this.issue(`${target.owner}/${target.name}`, number, { title: source.i.title, body: source.i.body, author: source.i.author, labels: [] });
      source.i.gone = true;
      return [200, { data: { transferIssue: { issue: { number } } } }];
    }
    if (/repository\s*\(/.test(query) && typeof v.owner === "string" && typeof v.name === "string") {
      const repo = this.state.repos.get(`${v.owner}/${v.name}`.toLowerCase());
      if (!repo || repo.gone) {
        return [200, { data: { repository: null }, errors: [{ type: "NOT_FOUND", path: ["repository"], locations: [{ line: 1, column: 40 }], message: `Could not resolve to a Repository with the name '${v.owner}/${v.name}'.` }] }];
      }
      return [200, { data: { repository: { id: `R_${repo.id}`, isPrivate: repo.private, nameWithOwner: `${repo.owner}/${repo.name}`, visibility: repo.private ? "PRIVATE" : "PUBLIC" } } }];
    }
    this.unknown.push(`POST /graphql ${query.slice(0, 120)}`);
    return [200, { data: null, errors: [{ message: "fake GitHub does not know this query" }] }];
  }
}
