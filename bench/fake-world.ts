import { Probot, ProbotOctokit, type ApplicationFunction } from "probot";
import { createApp } from "../src/index.js";
import { commentEvent, INSTALLATION_ID, labeledEvent, NOW, TEST_SECRET } from "../test/helpers/app.js";
import { loadWebhookExample, testPrivateKey } from "../test/helpers/github-api.js";
import { FakeApi, type FakeIssue, type MadeRequest } from "./fake-api.js";

export const SECURITY = "acme/security";
export const PRODUCT = "acme/product";
export const PR_NUMBER = 42;
export const TEAM = "acme/sec";
export const SECURITY_CONFIG = "team: acme/sec\ncomponents:\n  api:\n    repo: acme/product\n    owners: [owner1]\n";
export const PRODUCT_CONFIG = "security_repo: acme/security\n";

type EndpointOptions = { method: string; url: string; baseUrl: string; headers: Record<string, string>; mediaType: { format?: string; previews?: string[] }; request?: object; [param: string]: unknown };

/**
 * What the caller handed Octokit, recovered from the merged options a request hook sees: the
 * route and the parameters, less what Octokit itself added (its default headers and media type,
 * its base URL and request settings), so that `octokit.request(route, params)` makes it again
 * the way the caller made it.
 */
function madeRequest(options: EndpointOptions, defaultHeaders: Record<string, unknown>): MadeRequest {
  const { method, url, baseUrl: _baseUrl, request: _request, headers, mediaType, ...params } = options;
  // Probot sets `x-github-delivery` on every request of an event (its own hook): not the caller's.
  const own = Object.entries(headers).filter(([name, value]) => defaultHeaders[name] !== value && name !== "x-github-delivery");
  if (own.length) params.headers = Object.fromEntries(own);
  if (mediaType.format || mediaType.previews?.length) params.mediaType = mediaType;
  return { route: `${method} ${url}`, params };
}

/**
 * Ties each request the fake answers to the route and parameters it was made with (`Call.made`),
 * while `api.capture` is on. The hook is Octokit's outermost but for those added per event
 * (Probot's delivery header, the app's leak firewall), so it sees the options before the token
 * is added; the fetch it hands down is the fake's, tagged, so concurrent requests cannot be
 * confused. The app and the bare apps all pay it (about a microsecond per request).
 */
function captureRequests(api: FakeApi) {
  return (octokit: Pick<InstanceType<typeof ProbotOctokit>, "hook" | "request">) => {
    const defaultHeaders: Record<string, unknown> = octokit.request.endpoint.DEFAULTS.headers;
    octokit.hook.wrap("request", (request, options) => {
      if (!api.capture) return request(options);
      const made = madeRequest(options as unknown as EndpointOptions, defaultHeaders);
      const fetch = (input: string | URL | Request, init?: RequestInit) => {
        const at = api.calls.length;
        // The fake answers synchronously: the call this fetch made is the one it just recorded.
        const answer = api.fetch(input, init);
        api.calls[at]!.made = made;
        return answer;
      };
      // Hooks inside this one are handed these same options (before-after-hook binds them), so the
      // fetch is set on them rather than on a copy.
      options.request = { ...options.request, fetch };
      return request(options);
    });
  };
}

/** A Probot whose Octokit answers from `api` in-process: no retries, no throttling (DESIGN.md on Probot 14.3). */
export function fakeProbot(api: FakeApi, app: ApplicationFunction): Probot {
  const probot = new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
      ...o,
      request: { ...(o.request as object), fetch: api.fetch },
      retry: { enabled: false },
      throttle: { ...(o.throttle as object), enabled: false },
    })).plugin(captureRequests(api)),
    logLevel: "fatal",
  });
  void probot.load(app);
  return probot;
}

export function embargoApp(now: Date = NOW): ApplicationFunction {
  return createApp({ now: () => now, secret: TEST_SECRET, dashboard: false, tickMinutes: 0 });
}

export interface WorldOptions {
  /** Team members besides alice and sec1 (all may run commands and approve). */
  extraMembers?: number;
  /** Issues and PRs each repo lists besides the ones the world creates. */
  filler?: number;
  validate?: boolean;
}

let commentIds = 50_000;

/** The security repo (private, with a config), a public product repo and a team, in one FakeApi. */
export class BenchWorld {
  readonly api: FakeApi;
  readonly probot: Probot;
  head = "1".repeat(40);

  constructor(options: WorldOptions = {}, app: ApplicationFunction = embargoApp()) {
    this.api = new FakeApi({ validate: options.validate });
    this.api.addRepo(SECURITY, { private: true, config: SECURITY_CONFIG, filler: options.filler ?? 0 });
    this.api.addRepo(PRODUCT, { private: false, config: PRODUCT_CONFIG, filler: options.filler ?? 0 });
    this.api.addRepo("acme/.github", { private: false });
    const extra = Array.from({ length: options.extraMembers ?? 1 }, (_, i) => `member${i}`);
    this.api.teams.set(TEAM, ["alice", "sec1", ...extra]);
    this.probot = fakeProbot(this.api, app);
  }

  issue(n: number): FakeIssue {
    const key = this.api.key(SECURITY, n);
    let issue = this.api.issues.get(key);
    if (!issue) this.api.issues.set(key, (issue = { title: "Login form: SQL injection", body: "The user name reaches the SQL text unescaped.", state: "open", labels: [], assignees: [], user: "reporter", pull: false }));
    return issue;
  }

  /** `issues.labeled` security on issue n (created in the fake if new). */
  labelEvent(n: number) {
    const issue = this.issue(n);
    if (!issue.labels.includes("security")) issue.labels.push("security");
    const event = labeledEvent({ number: n, title: issue.title, body: issue.body, author: issue.user, labels: issue.labels });
    event.payload.issue.html_url = `https://github.com/${SECURITY}/issues/${n}`;
    return event;
  }

  /** `issue_comment.created` on issue n; the comment exists in the fake, as on GitHub. */
  commentEvent(n: number, text: string, sender = "alice") {
    const issue = this.issue(n);
    const id = ++commentIds;
    this.api.addComment(this.api.key(SECURITY, n), text, sender, id);
    const event = commentEvent({ number: n, commentId: id, commentBody: text, sender, title: issue.title, body: issue.body, labels: issue.labels, author: issue.user, assignees: issue.assignees });
    event.payload.issue.html_url = `https://github.com/${SECURITY}/issues/${n}`;
    return event;
  }

  /** The fix PR acme/product#42 (created in the fake on first use), and an event on it. */
  prEvent(action: "opened" | "synchronize" | "closed", options: { before?: string; merged?: boolean; number?: number } = {}) {
    const number = options.number ?? PR_NUMBER;
    const pull = this.pull(number);
    if (action === "closed") Object.assign(pull, { state: "closed", merged: options.merged ?? true });
    const payload = loadWebhookExample("pull_request", action === "synchronize" ? "synchronize" : action === "closed" ? "closed" : "opened");
    return this.prPayload("pull_request", payload, number, action, options.before);
  }

  /** `pull_request_review.submitted`: `reviewer` approves the PR's head. */
  reviewEvent(reviewer: string, number = PR_NUMBER) {
    const pull = this.pull(number);
    const review = { id: this.api.nextId++, user: reviewer, state: "APPROVED", commit_id: pull.head };
    pull.reviews.push(review);
    pull.requested = pull.requested?.filter((login) => login !== reviewer);
    const payload = loadWebhookExample("pull_request_review", "submitted");
    payload.review = { ...payload.review, id: review.id, state: "approved", commit_id: pull.head, user: { ...payload.review.user, login: reviewer, type: "User" }, body: null };
    return this.prPayload("pull_request_review", payload, number, "submitted");
  }

  /** A push to the PR: a new head commit. */
  push(number = PR_NUMBER): { before: string } {
    const pull = this.pull(number);
    const before = pull.head;
    pull.head = (Number.parseInt(before.slice(0, 8), 16) + 1).toString(16).padStart(8, "0").repeat(5);
    pull.commits.push({ sha: pull.head, message: "Escape the user name" });
    return { before };
  }

  private pull(number: number) {
    const key = this.api.key(PRODUCT, number);
    let pull = this.api.pulls.get(key);
    if (!pull) {
      pull = { head: this.head, base: "main", title: "Tidy the login form", body: "", user: "owner1", state: "open", merged: false, reviews: [], commits: [{ sha: this.head, message: "Tidy the login form" }] };
      this.api.pulls.set(key, pull);
      this.api.issues.set(key, { title: pull.title, body: "", state: "open", labels: [], assignees: [], user: pull.user, pull: true });
    }
    return pull;
  }

  private prPayload(name: "pull_request" | "pull_request_review", payload: any, number: number, action: string, before?: string) {
    const pull = this.pull(number);
    const labels = this.api.issues.get(this.api.key(PRODUCT, number))?.labels ?? [];
    payload.action = action;
    payload.installation = { id: INSTALLATION_ID };
    payload.repository = { ...payload.repository, name: "product", full_name: PRODUCT, private: false, visibility: "public", default_branch: "main", owner: { ...payload.repository.owner, login: "acme" }, html_url: `https://github.com/${PRODUCT}` };
    payload.pull_request = {
      ...payload.pull_request,
      number,
      title: pull.title,
      body: pull.body,
      state: pull.state,
      merged: pull.merged,
      merged_at: pull.merged ? "2026-11-22T12:00:00Z" : null,
      user: { ...payload.pull_request.user, login: pull.user, type: "User" },
      head: { ...payload.pull_request.head, sha: pull.head, ref: "fix" },
      base: { ...payload.pull_request.base, sha: "b".repeat(40), ref: pull.base },
      labels: labels.map((name, id) => ({ id, name })),
      requested_reviewers: (pull.requested ?? []).map((login, id) => ({ ...payload.pull_request.user, id, login, type: "User" })),
      requested_teams: [],
      commits: pull.commits.length,
      html_url: `https://github.com/${PRODUCT}/pull/${number}`,
    };
    if (name === "pull_request") payload.number = number;
    if (before) payload.before = before;
    if (before) payload.after = pull.head;
    return { id: `${name}-${Math.random()}`, name, payload };
  }

  async receive(event: { id: string; name: string; payload: unknown }): Promise<void> {
    await this.probot.receive(event as never);
  }
}
