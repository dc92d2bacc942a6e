/**
 * The lifecycle's GitHub: the sweep's stateful fake (issues, comments, labels, PRs, reviews, check
 * runs, teams) extended with the product side a publish needs (files, refs, PR creation,
 * advisories as GitHub keeps them), a comment read by id, conditional reads of contents (ETag and
 * 304), a record of every request with its answer, and a fault hook that can fail any request
 * the way GitHub and the network do (5xx, a secondary rate limit, a connection reset).
 *
 * Every request still goes through the harness (`gh.scope()`), so each is validated against
 * GitHub's REST description and `gh.done()` fails on anything the harness flags.
 */
import type { GitHubMock } from "../helpers/github-api.js";
import { validateRequest } from "../helpers/github-api.js";
import { FakeGitHub, type Reply } from "../sweep/fake-github.js";
import { API } from "../sweep/fake-json.js";
import { lifecycleRoutes, type ExtraRoute } from "./lifecycle-routes.js";

/** What a failing request gets instead of its answer. */
export type Fault = (
  | { kind: "status"; status: number; headers?: Record<string, string>; body?: unknown }
  /** The connection drops: the client sees ECONNRESET and no answer. */
  | { kind: "reset" }
) & {
  /** GitHub did the work, then the answer was lost (a gateway timeout, a reset after the write). */
  applied?: boolean;
};

export interface FaultRequest {
  method: string;
  path: string;
  operationId?: string;
  /** 0-based position of this request among all requests the fake answered. */
  index: number;
  /** The delivery being handled (`beginDelivery`), and how often this method + path came before in this attempt. */
  delivery?: string;
  occurrence: number;
  /** The request's body as sent (JSON text, or as nock parsed it). */
  body?: unknown;
}

/** One request as answered. `status` is "ECONNRESET" for a dropped connection. */
export interface LoggedRequest {
  method: string;
  path: string;
  operationId?: string;
  status: number | "ECONNRESET";
  fault: boolean;
  /** A fault after GitHub did the work. */
  applied?: boolean;
}

/** The faults of issue 14: 502, 503, 403 secondary rate limit (with retry-after), connection reset. */
export const FAULTS: Fault[] = [
  { kind: "status", status: 502, body: { message: "Server Error" } },
  { kind: "status", status: 503, body: { message: "Service Unavailable" } },
  {
    kind: "status",
    status: 403,
    headers: { "retry-after": "1", "x-ratelimit-remaining": "4000" },
    body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits" },
  },
  { kind: "reset" },
];

export class LifecycleGitHub extends FakeGitHub {
  /** Every request answered, in order (faults included). */
  readonly log: LoggedRequest[] = [];
  /** Called before each request is answered: a fault fails it, and nothing changes in the store. */
  fault?: (request: FaultRequest) => Fault | undefined;
  /** owner/repo (lower case) → branch → path → text. */
  readonly files = new Map<string, Map<string, Map<string, string>>>();
  /** owner/repo:branch (lower case repo) → sha. */
  readonly refs = new Map<string, string>();
  /** Created by the app through `POST …/pulls`: number per repo, in creation order. */
  readonly createdPulls: { repo: string; number: number; head: string; base: string; title: string }[] = [];
  readonly cveRequests: string[] = [];
  readonly #extra: ExtraRoute[] = lifecycleRoutes(this);
  #delivery?: string;
  #seen = new Map<string, number>();

  /** A delivery (or a redelivery) starts: requests from now on belong to it. */
  beginDelivery(id: string): void {
    this.#delivery = id;
    this.#seen.clear();
  }

  file(fullName: string, branch: string, path: string, text?: string): string | undefined {
    const repo = this.files.get(fullName.toLowerCase()) ?? new Map<string, Map<string, string>>();
    this.files.set(fullName.toLowerCase(), repo);
    const files = repo.get(branch) ?? new Map<string, string>();
    repo.set(branch, files);
    if (text !== undefined) files.set(path, text);
    return files.get(path);
  }

  override install(gh: GitHubMock): void {
    const scope = gh.scope();
    scope.persist();
    const fake = this;
    for (const method of ["GET", "POST", "PATCH", "PUT", "DELETE"]) {
      scope
        .intercept(() => true, method)
        .optionally()
        .reply(function (this: { req: { headers: Record<string, string | string[] | undefined> } }, uri: string, body: unknown) {
          // A rejected promise makes nock destroy the request with that error (a sync throw would escape).
          try {
            const [status, data, headers] = fake.answer(method, uri, body, this.req?.headers ?? {});
            return [status, data as never, { "content-type": "application/json; charset=utf-8", ...headers }];
          } catch (error) {
            return Promise.reject(error) as never;
          }
        });
    }
  }

  /** The fault hook, then the lifecycle's routes, then the sweep's. A reset throws (nock destroys the request). */
  answer(method: string, uri: string, rawBody: unknown, headers: Record<string, string | string[] | undefined> = {}): Reply {
    const url = new URL(uri, API);
    const { operationId } = validateRequest(method, url.pathname + url.search, undefined);
    const key = `${method} ${url.pathname}`;
    const occurrence = this.#seen.get(key) ?? 0;
    this.#seen.set(key, occurrence + 1);
    const fault = this.fault?.({ method, path: url.pathname, operationId, index: this.log.length, delivery: this.#delivery, occurrence, body: rawBody });
    if (fault) {
      if (fault.applied) this.route(method, url, rawBody, headers);
      this.log.push({ method, path: url.pathname, operationId, status: fault.kind === "reset" ? "ECONNRESET" : fault.status, fault: true, ...(fault.applied ? { applied: true } : {}) });
      if (fault.kind === "reset") throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
      return [fault.status, fault.body ?? { message: "Error" }, fault.headers];
    }
    const reply = this.route(method, url, rawBody, headers);
    this.log.push({ method, path: url.pathname, operationId, status: reply[0], fault: false });
    return reply;
  }

  private route(method: string, url: URL, rawBody: unknown, headers: Record<string, string | string[] | undefined>): Reply {
    let body: any = rawBody;
    if (typeof rawBody === "string" && rawBody !== "") {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = rawBody;
      }
    }
    for (const [m, re, handler] of this.#extra) {
      if (m !== method) continue;
      const match = re.exec(url.pathname);
      if (!match) continue;
      const reply = handler(
        match.slice(1).map((s) => decodeURIComponent(s)),
        url.searchParams,
        body ?? {},
      );
      const etag = reply[2]?.etag;
      const ifNoneMatch = headers["if-none-match"];
      if (method === "GET" && reply[0] === 200 && etag && ifNoneMatch && String(ifNoneMatch).includes(etag)) return [304, "", { etag }];
      return reply;
    }
    return super.handle(method, url.pathname + url.search, body);
  }

  /** Requests answered so far (for "what did step N cost"). */
  mark(): number {
    return this.log.length;
  }
}
