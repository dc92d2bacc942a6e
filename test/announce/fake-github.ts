import { createHash } from "node:crypto";
import type { GitHubMock } from "../helpers/github-api.js";
import { BOT, INSTALLATION_ID } from "../helpers/app.js";
import { productRoutes } from "./fake-github-repos.js";

/**
 * A small stateful GitHub behind the harness's nock scope: issues, comments, labels, advisories,
 * refs, contents and pulls live in memory, so a publish can be broken at any request (`failOnce`)
 * and run again, and the test counts what exists afterwards. Every request still goes through
 * the harness, which checks it against GitHub's REST description.
 */
export interface FakeIssue {
  repo: string;
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  state_reason: string | null;
  labels: string[];
  assignees: string[];
  user: string;
  /** Who closed it last, as GitHub's `closed_by` says (set by the app's close, or by a test). */
  closed_by?: string;
}
/** An issue event as GitHub lists it; `commit_id` is set on a close a closing keyword made. */
export interface FakeEvent {
  issue: string; // owner/repo#n
  id: number;
  event: string;
  actor: string;
  commit_id: string | null;
  /** When GitHub recorded it (ISO); the fake's fixed time if unset. */
  at?: string;
  /** GitHub's listing lags its webhooks: the next this many reads of the issue's events do not list it yet. */
  unlisted?: number;
}
export interface FakeComment {
  id: number;
  issue: string; // owner/repo#n
  body: string;
  user: string;
}
export interface FakeRepo {
  private: boolean;
  default_branch: string;
  /** branch → path → text */
  files: Record<string, Record<string, string>>;
  /** path → how its text is stored as bytes (default utf8): a Latin-1 NEWS file, say. */
  encodings?: Record<string, BufferEncoding>;
  /** Template overrides in `.github/embargo/`: file name → text. */
  overrides?: Record<string, string>;
  config?: string;
}

export type Reply = [number, unknown, Record<string, string>?];
export type Handler = (m: RegExpExecArray, body: any, query: URLSearchParams) => Reply;

export const sha = (text: string) => createHash("sha1").update(text).digest("hex");

export class FakeGitHub {
  repos = new Map<string, FakeRepo>();
  issues: FakeIssue[] = [];
  comments: FakeComment[] = [];
  /** Issue events, oldest first: the app's closes and reopens are added as it makes them; a test adds others. */
  events: FakeEvent[] = [];
  advisories: Record<string, any>[] = [];
  /** `user`: who opened it (the app's bot when missing: the app opens the PRs this fake makes). */
  pulls: { repo: string; number: number; head: string; base: string; title: string; body: string; state: string; user?: string }[] = [];
  refs = new Map<string, string>(); // owner/repo:branch → sha
  /** Teams by "org/slug" (lowercased) → members; a team not here answers 404, as a renamed or deleted one (or one the app may not read) does. */
  teams = new Map<string, string[]>();
  /** People with a role on the security repo: login → permission. */
  roles = new Map<string, string>([["alice", "admin"], ["reporter", "read"]]);
  cveRequests: string[] = [];
  unknown: string[] = [];
  private failures: { method: string; path: RegExp; status: number }[] = [];
  nextId = 1000;
  private routes: [string, RegExp, Handler][] = [];
  /** Which request (in order) this fake has answered, for "fail at step N" tests. */
  answered: string[] = [];

  /** GitHub's web origin in the URLs it answers with (`html_url`): github.com, or the GHES host. */
  readonly web: string;
  /** The REST API's path prefix on this host: `/api/v3` on GitHub Enterprise Server. */
  private readonly prefix: string;

  constructor(gh: GitHubMock, options: { ghes?: string } = {}) {
    this.web = options.ghes ? `https://${options.ghes}` : "https://github.com";
    this.prefix = options.ghes ? "/api/v3" : "";
    this.defineRoutes();
    const scope = gh.scope().persist();
    for (const method of ["GET", "POST", "PATCH", "PUT", "DELETE"]) {
      scope
        .intercept(/.*/, method)
        .optionally()
        .reply((uri, body) => this.handle(method, uri, typeof body === "string" && body ? JSON.parse(body) : body));
    }
  }

  failOnce(method: string, path: RegExp, status = 500): void {
    this.failures.push({ method, path, status });
  }

  addRepo(full: string, repo: Partial<FakeRepo> = {}): void {
    const r: FakeRepo = { private: false, default_branch: "main", files: { main: {} }, ...repo };
    this.repos.set(full.toLowerCase(), r);
    this.refs.set(`${full.toLowerCase()}:${r.default_branch}`, sha(full));
  }

  /** GitHub's record of a change to `issue`: who made it, and the commit whose closing keyword closed it. */
  addEvent(issue: FakeIssue, event: string, actor: string, commit_id: string | null = null, shape: Pick<FakeEvent, "at" | "unlisted"> = {}): void {
    this.events.push({ issue: this.issueKey(issue.repo, issue.number), id: this.nextId++, event, actor, commit_id, ...shape });
  }

  issueKey(repo: string, n: number): string {
    return `${repo.toLowerCase()}#${n}`;
  }

  commentsOn(repo: string, n: number): FakeComment[] {
    return this.comments.filter((c) => c.issue === this.issueKey(repo, n));
  }

  private handle(method: string, uri: string, body: any): Reply {
    const url = new URL(uri, "https://api.github.com");
    const raw = decodeURIComponent(url.pathname);
    // Anything outside the prefix is unknown here (and fails the harness's check too).
    const path = raw.startsWith(`${this.prefix}/`) ? raw.slice(this.prefix.length) : `(outside ${this.prefix}) ${raw}`;
    const failure = this.failures.findIndex((f) => f.method === method && f.path.test(path));
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      return [f!.status, { message: "Server Error" }];
    }
    // GHES has no repository security advisories: it answers as for any path it does not have.
    if (this.prefix && path.includes("/security-advisories")) {
      this.answered.push(`${method} ${path}`);
      return [404, { message: "Not Found", documentation_url: "https://docs.github.com/enterprise-server@3.17/rest" }];
    }
    for (const [m, re, handler] of this.routes) {
      if (m !== method) continue;
      const match = re.exec(path);
      if (match) {
        this.answered.push(`${method} ${path}`);
        return handler(match, body, url.searchParams);
      }
    }
    this.unknown.push(`${method} ${path}`);
    return [404, { message: "Not Found (fake)" }];
  }

  route(method: string, path: string, handler: Handler): void {
    const re = new RegExp(`^${path.replace(/:(\w+)/g, "(?<$1>[^/]+)")}$`);
    this.routes.push([method, re, handler]);
  }

  issueJson(i: FakeIssue) {
    return {
      id: i.number, node_id: `I${i.number}`, number: i.number, title: i.title, body: i.body, state: i.state, state_reason: i.state_reason,
      html_url: `${this.web}/${i.repo}/issues/${i.number}`, user: { login: i.user, id: 1, type: i.user.endsWith("[bot]") ? "Bot" : "User" },
      labels: i.labels.map((name, n) => ({ id: n, name })), assignees: i.assignees.map((login, n) => ({ login, id: 100 + n })),
      closed_by: i.state === "closed" && i.closed_by ? { login: i.closed_by, id: 2, type: i.closed_by.endsWith("[bot]") ? "Bot" : "User" } : null,
    };
  }

  private findIssue(m: RegExpExecArray): FakeIssue | undefined {
    const repo = `${m.groups!.owner}/${m.groups!.repo}`.toLowerCase();
    return this.issues.find((i) => i.repo.toLowerCase() === repo && i.number === Number(m.groups!.n));
  }

  advisoryJson(a: Record<string, any>) {
    return { ...a, html_url: `${this.web}/${a.repo}/security/advisories/${a.ghsa_id}`, url: `https://api.github.com/repos/${a.repo}/security-advisories/${a.ghsa_id}` };
  }

  setAdvisoryFields(a: Record<string, any>, body: any) {
    for (const k of ["summary", "description", "severity", "cwe_ids", "vulnerabilities", "credits", "cve_id", "state"]) if (k in body) a[k] = body[k];
    if ("cvss_vector_string" in body) {
      const v = body.cvss_vector_string;
      a.cvss_severities = { cvss_v3: v?.startsWith("CVSS:3") ? { vector_string: v, score: 9 } : null, cvss_v4: v?.startsWith("CVSS:4") ? { vector_string: v, score: 9 } : null };
    }
    if (body.state === "published") a.published_at = "2026-12-20T12:00:00Z";
  }

  private defineRoutes(): void {
    const R = "/repos/:owner/:repo";
    const full = (m: RegExpExecArray) => `${m.groups!.owner}/${m.groups!.repo}`;
    this.route("GET", "/app", () => [200, { id: 1, slug: "embargo", name: "embargo", owner: { login: "acme" } }]);
    // What the tick lists: the one installation, and its repositories.
    this.route("GET", "/app/installations", () => [200, [{ id: INSTALLATION_ID, account: { login: "acme" }, suspended_at: null }]]);
    this.route("GET", "/installation/repositories", () => {
      const repositories = [...this.repos].map(([full, r]) => ({ full_name: full, name: full.split("/")[1], owner: { login: full.split("/")[0] }, private: r.private, visibility: r.private ? "private" : "public" }));
      return [200, { total_count: repositories.length, repositories }];
    });
    this.route("POST", `/app/installations/${INSTALLATION_ID}/access_tokens`, () => [201, { token: "ghs_fake", expires_at: "2099-01-01T00:00:00Z", permissions: {}, repository_selection: "all" }]);
    this.route("GET", "/orgs/:org/teams/:slug/memberships/:user", (m) => {
      const members = this.teams.get(`${m.groups!.org}/${m.groups!.slug}`.toLowerCase());
      const member = members?.some((l) => l.toLowerCase() === m.groups!.user!.toLowerCase());
      return member ? [200, { url: `https://api.github.com/teams/1/memberships/${m.groups!.user}`, role: "member", state: "active" }] : [404, { message: "Not Found" }];
    });
    this.route("GET", "/orgs/:org/teams/:slug", (m) =>
      this.teams.has(`${m.groups!.org}/${m.groups!.slug}`.toLowerCase()) ? [200, { id: 1, node_id: "T1", slug: m.groups!.slug, name: m.groups!.slug, privacy: "closed", permission: "pull" }] : [404, { message: "Not Found" }],
    );
    this.route("GET", `${R}/collaborators/:user/permission`, (m) => {
      const p = full(m).toLowerCase() === "acme/security" ? this.roles.get(m.groups!.user!) : undefined;
      return p ? [200, { permission: p === "read" ? "read" : p, role_name: p, user: { login: m.groups!.user } }] : [404, { message: "Not Found" }];
    });
    this.route("GET", `${R}/issues/:n/comments`, (m) => {
      const key = this.issueKey(full(m), Number(m.groups!.n));
      return [200, this.comments.filter((c) => c.issue === key).map((c) => ({ id: c.id, body: c.body, user: { login: c.user, id: 1, type: c.user.endsWith("[bot]") ? "Bot" : "User" } }))];
    });
    this.route("POST", `${R}/issues/:n/comments`, (m, b) => {
      const c = { id: this.nextId++, issue: this.issueKey(full(m), Number(m.groups!.n)), body: b.body, user: BOT };
      this.comments.push(c);
      return [201, { id: c.id, body: c.body, user: { login: BOT, type: "Bot" } }];
    });
    this.route("GET", `${R}/issues/comments/:id`, (m) => {
      const c = this.comments.find((x) => x.id === Number(m.groups!.id));
      if (!c) return [404, { message: "Not Found" }];
      const [, n] = c.issue.split("#");
      const issueUrl = `https://api.github.com/repos/${c.issue.split("#")[0]}/issues/${n}`;
      return [200, { id: c.id, body: c.body, user: { login: c.user, id: 1, type: c.user.endsWith("[bot]") ? "Bot" : "User" }, issue_url: issueUrl }];
    });
    this.route("PATCH", `${R}/issues/comments/:id`, (m, b) => {
      const c = this.comments.find((x) => x.id === Number(m.groups!.id));
      if (!c) return [404, { message: "Not Found" }];
      c.body = b.body;
      return [200, { id: c.id, body: c.body }];
    });
    this.route("POST", `${R}/issues/comments/:id/reactions`, (_m, b) => [201, { id: 1, content: b.content }]);
    this.route("POST", `${R}/issues/:n/labels`, (m, b) => {
      const i = this.findIssue(m)!;
      for (const l of b.labels) if (!i.labels.includes(l)) i.labels.push(l);
      return [200, i.labels.map((name) => ({ name }))];
    });
    this.route("DELETE", `${R}/issues/:n/labels/(?<name>.+)`, (m) => {
      const i = this.findIssue(m)!;
      i.labels = i.labels.filter((l) => l !== m.groups!.name);
      return [200, []];
    });
    this.route("POST", `${R}/issues/:n/assignees`, (m, b) => {
      const i = this.findIssue(m)!;
      i.assignees.push(...b.assignees.filter((a: string) => this.roles.has(a)));
      return [201, this.issueJson(i)];
    });
    this.route("GET", `${R}/issues/:n`, (m) => {
      const i = this.findIssue(m);
      return i ? [200, this.issueJson(i)] : [404, { message: "Not Found" }];
    });
    this.route("PATCH", `${R}/issues/:n`, (m, b) => {
      const i = this.findIssue(m)!;
      if (b.state && b.state !== i.state) this.addEvent(i, b.state === "closed" ? "closed" : "reopened", BOT);
      if (b.state) i.state = b.state;
      if (b.state === "closed") i.closed_by = BOT;
      if (b.state_reason) i.state_reason = b.state_reason;
      return [200, this.issueJson(i)];
    });
    // Paged as GitHub pages it (oldest first, a Link header naming the last page).
    this.route("GET", `${R}/issues/:n/events`, (m, _b, q) => {
      const key = this.issueKey(full(m), Number(m.groups!.n));
      const all = this.events.filter((e) => e.issue === key && !(e.unlisted && e.unlisted-- > 0));
      const per = Number(q.get("per_page") ?? 30);
      const page = Number(q.get("page") ?? 1);
      const last = Math.max(1, Math.ceil(all.length / per));
      const url = (n: number) => `<https://api.github.com/repos/${full(m)}/issues/${m.groups!.n}/events?per_page=${per}&page=${n}>`;
      const link = page < last ? { link: `${url(page + 1)}; rel="next", ${url(last)}; rel="last"` } : undefined;
      const json = all.slice((page - 1) * per, page * per).map((e) => ({
        id: e.id, node_id: `E${e.id}`, url: `https://api.github.com/repos/${full(m)}/issues/events/${e.id}`, event: e.event, created_at: e.at ?? "2026-11-22T11:30:00Z",
        actor: { login: e.actor, id: 3, type: e.actor.endsWith("[bot]") ? "Bot" : "User" },
        commit_id: e.commit_id, commit_url: e.commit_id ? `https://api.github.com/repos/${full(m)}/commits/${e.commit_id}` : null,
      }));
      return [200, json, link];
    });
    this.route("GET", `${R}/issues`, (m, _b, q) => {
      const list = this.issues.filter((i) => i.repo.toLowerCase() === full(m).toLowerCase() && (!q.get("creator") || i.user === q.get("creator")));
      return [200, list.map((i) => this.issueJson(i))];
    });
    this.route("POST", `${R}/issues`, (m, b) => {
      // GitHub refuses a title over 256 characters.
      if ([...String(b.title)].length > 256) return [422, { message: "Validation Failed", errors: [{ resource: "Issue", code: "custom", field: "title", message: "title is too long (maximum is 256 characters)" }] }];
      const i: FakeIssue = { repo: full(m), number: this.nextId++, title: b.title, body: b.body ?? "", state: "open", state_reason: null, labels: [], assignees: b.assignees ?? [], user: BOT };
      this.issues.push(i);
      return [201, this.issueJson(i)];
    });
    productRoutes(this, R, full);
  }
}
