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
import { API, hash } from "./fake-json.js";
import { notFound, restRoutes } from "./fake-routes.js";

export { BOT_LOGIN, COMMENT_LIMIT } from "./fake-json.js";

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
  /** Who closed it last (GitHub's `closed_by`), when a test says. */
  closed_by?: string;
  /** The commit whose closing keyword closed it last (the close event's `commit_id`); unset: a close by hand. */
  close_commit?: string;
  /** When a person reopened it after its close (listed among its events), when a test says. */
  reopened_at?: string;
  /** Its last change (GitHub's `updated_at`), when a test says; else the fake's time. */
  updated_at?: string;
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

export type Reply = [number, unknown, Record<string, string>?];
export type Route = [method: string, path: RegExp, handler: (params: string[], query: URLSearchParams, body: any) => Reply];

export function emptyState(): FakeState {
  return { nextId: 1000, repos: new Map(), teams: new Map() };
}

export class FakeGitHub {
  readonly state: FakeState;
  /** Requests the fake had no route for: a gap in the fake, never a pass. */
  readonly unknown: string[] = [];
  readonly failures: Failure[] = [];
  readonly #routes: Route[] = restRoutes(this);

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
    for (const [m, re, handler] of this.#routes) {
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

  nextId(): number {
    return ++this.state.nextId;
  }

  isMember(login: string): boolean {
    for (const members of this.state.teams.values()) if (members.some((m) => m.toLowerCase() === login.toLowerCase())) return true;
    return false;
  }

}
