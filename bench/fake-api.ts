import { createHash } from "node:crypto";
import { validateRequest } from "../test/helpers/github-api.js";
import { defineRoutes } from "./fake-routes.js";

/**
 * A light GitHub answered in-process: Octokit's `fetch` is replaced by `FakeApi.fetch`, so no
 * socket, no nock and (unless `validate`) no REST-description check. It keeps state (issues,
 * comments, labels, PRs, check runs, reviews, teams), so the app can be driven through a real
 * sequence of events and each call is answered as GitHub would answer it now. It answers
 * conditional GETs the way GitHub does (ETag, `If-None-Match` → 304), so an app that caches with
 * ETags is counted fairly. Every call is recorded; `unknown` lists calls no route answers (the
 * bench prints them, so a new endpoint in the app shows up instead of being silently mis-answered).
 */
export interface Call {
  method: string;
  path: string;
  status: number;
  /** The route's operationId (GitHub's REST description name). */
  op: string;
  /** Problems found by the REST description (only with `validate`). */
  errors: string[];
  /** What the bare app needs to make the same request (only with `replayable`). */
  replay?: Replay;
  /** The route and parameters the caller handed Octokit for this request (only with `capture`; bench/fake-world.ts). */
  made?: MadeRequest;
}

/**
 * A request as an app hands it to Octokit, before Octokit expands it: the route
 * (`GET /repos/{owner}/{repo}/issues/{issue_number}`) and its parameters (`owner`, `repo`,
 * `issue_number`, body fields, the headers and media type the caller set).
 */
export interface MadeRequest {
  route: string;
  params: Record<string, unknown>;
}

export interface Replay {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /**
   * The body as the app handed it to Octokit (parsed JSON): the bare app passes it the same way,
   * so both pay Octokit's serialization of it, as any app making the request does.
   */
  data?: unknown;
}

export interface FakeIssue {
  title: string;
  body: string;
  state: "open" | "closed";
  labels: string[];
  assignees: string[];
  user: string;
  pull: boolean;
}

export interface FakeComment {
  id: number;
  issue: string;
  body: string;
  user: string;
}

export interface FakePull {
  head: string;
  base: string;
  title: string;
  body: string;
  user: string;
  state: "open" | "closed";
  merged: boolean;
  reviews: { id: number; user: string; state: string; commit_id: string }[];
  commits: { sha: string; message: string }[];
  /** Reviewers asked and not yet answered: GitHub keeps them across pushes and drops one when they review. */
  requested?: string[];
}

export interface FakeCheckRun {
  id: number;
  repo: string;
  head_sha: string;
  name: string;
  external_id: string;
  status: string;
  conclusion: string | null;
  output: { title: string | null; summary: string | null };
}

export interface FakeRepo {
  private: boolean;
  /** `.github/embargo.yml`, or undefined for none. */
  config?: string;
  /** How many issues and PRs the repo lists besides the ones in `issues` (generated on demand). */
  filler: number;
}

export type Reply = [number, unknown, Record<string, string>?];
export type Handler = (groups: Record<string, string>, body: any, query: URLSearchParams, path: string) => Reply;

export const BOT_LOGIN = "embargo[bot]";

export class FakeApi {
  repos = new Map<string, FakeRepo>();
  issues = new Map<string, FakeIssue>();
  /** Comments by issue key, in order. */
  comments = new Map<string, FakeComment[]>();
  commentById = new Map<number, FakeComment>();
  pulls = new Map<string, FakePull>();
  checkRuns: FakeCheckRun[] = [];
  /** "org/slug" → members. */
  teams = new Map<string, string[]>();
  calls: Call[] = [];
  unknown: string[] = [];
  /** Record what `Call.replay` needs (set while measuring the app against the bare app). */
  replayable = false;
  /** Record `Call.made` (set while measuring the app against the bare app). */
  capture = false;
  /** CPU the answerer itself spent (µs, user + system): subtracted to get the app's own CPU. */
  answererMicros = 0;
  nextId = 100_000;
  private routes: [string, RegExp, string, Handler][] = [];

  constructor(private readonly options: { validate?: boolean } = {}) {
    defineRoutes(this);
  }

  route(method: string, path: string, op: string, handler: Handler): void {
    const re = new RegExp(`^${path.replace(/:(\w+)/g, "(?<$1>[^/]+)")}$`);
    this.routes.push([method, re, op, handler]);
  }

  addRepo(full: string, repo: Partial<FakeRepo> = {}): void {
    this.repos.set(full.toLowerCase(), { private: false, filler: 0, ...repo });
  }

  repo(full: string): FakeRepo | undefined {
    return this.repos.get(full.toLowerCase());
  }

  key(repo: string, n: number | string): string {
    return `${repo.toLowerCase()}#${n}`;
  }

  addComment(issue: string, body: string, user: string, id = this.nextId++): FakeComment {
    const c = { id, issue: issue.toLowerCase(), body, user };
    const list = this.comments.get(c.issue) ?? [];
    list.push(c);
    this.comments.set(c.issue, list);
    this.commentById.set(id, c);
    return c;
  }

  commentsOn(issue: string): FakeComment[] {
    return this.comments.get(issue.toLowerCase()) ?? [];
  }

  deleteComment(id: number): void {
    const c = this.commentById.get(id);
    if (!c) return;
    this.commentById.delete(id);
    this.comments.set(c.issue, this.commentsOn(c.issue).filter((x) => x.id !== id));
  }

  /** Forget an issue and its comments (keeps long runs' own memory flat). */
  dropIssue(issue: string): void {
    for (const c of this.commentsOn(issue)) this.commentById.delete(c.id);
    this.comments.delete(issue.toLowerCase());
    this.issues.delete(issue.toLowerCase());
  }

  /** Calls since `from`, as operationIds (304s marked). */
  opsSince(from: number): string[] {
    return this.calls.slice(from).map((c) => (c.status === 304 ? `${c.op} (304)` : c.op));
  }

  fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const c0 = process.cpuUsage();
    try {
      return this.answer(input, init);
    } finally {
      const c = process.cpuUsage(c0);
      this.answererMicros += c.user + c.system;
    }
  };

  private answer(input: string | URL | Request, init: RequestInit): Response {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const method = (init.method ?? "GET").toUpperCase();
    const raw = typeof init.body === "string" ? init.body : undefined;
    const body = raw ? safeJson(raw) : undefined;
    const path = decodeURIComponent(url.pathname);
    const headers = new Headers(init.headers);
    for (const [m, re, op, handler] of this.routes) {
      if (m !== method) continue;
      const match = re.exec(path);
      if (!match) continue;
      const errors: string[] = [];
      if (this.options.validate) {
        const checked = validateRequest(method, url.href, body);
        errors.push(...checked.errors);
        if (checked.operationId && checked.operationId !== op) errors.push(`answered as ${op}, but GitHub's description says ${checked.operationId}`);
      }
      let [status, data, extra] = handler({ ...match.groups }, body, url.searchParams, path);
      const text = typeof data === "string" ? data : JSON.stringify(data ?? "");
      const out: Record<string, string> = { "content-type": typeof data === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8", ...extra };
      if (method === "GET" && status === 200) {
        out.etag = `"${createHash("sha1").update(url.search).update(text).digest("hex")}"`;
        if (headers.get("if-none-match") === out.etag) status = 304;
      }
      const call: Call = { method, path, status, op, errors };
      if (this.replayable) call.replay = { method, url: url.href, headers: replayHeaders(headers), ...(raw === undefined ? {} : { body: raw, data: safeJson(raw) }) };
      this.calls.push(call);
      const empty = status === 204 || status === 304;
      return new Response(empty ? null : text, { status, headers: out });
    }
    this.calls.push({ method, path, status: 404, op: `UNKNOWN ${method} ${path}`, errors: [] });
    this.unknown.push(`${method} ${path}`);
    return new Response(JSON.stringify({ message: "Not Found (fake)" }), { status: 404, headers: { "content-type": "application/json" } });
  }

  /** A list answered in pages as GitHub does (`per_page`, `page`, a `link` header). */
  page(all: unknown[], query: URLSearchParams, path: string): Reply {
    const perPage = Number(query.get("per_page") ?? "30");
    const page = Number(query.get("page") ?? "1");
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const headers: Record<string, string> = {};
    if (page < last) {
      const at = (p: number) => {
        const q = new URLSearchParams(query);
        q.set("page", String(p));
        return `<https://api.github.com${path}?${q}>`;
      };
      headers.link = `${at(page + 1)}; rel="next", ${at(last)}; rel="last"`;
    }
    return [200, all.slice((page - 1) * perPage, page * perPage), headers];
  }
}

function replayHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ["accept", "content-type", "if-none-match", "if-modified-since"]) {
    const value = headers.get(name);
    if (value !== null) out[name] = value;
  }
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
