import { Octokit } from "@octokit/rest";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GHES_API, GHES_HOST, loadWebhookExample, mockGitHub, mockInstallationToken, validateRequest, type GitHubMock } from "./github-api.js";

const API = "https://api.github.com";

function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${API}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("mockGitHub", () => {
  let gh: GitHubMock;
  beforeEach(() => {
    gh = mockGitHub();
  });
  afterEach(() => {
    // Each test leaves problems behind on purpose; the next mockGitHub() must start clean.
    nock.cleanAll();
  });

  it("records a valid request with its operationId and passes", async () => {
    gh.api.post("/repos/o/r/issues/1/comments", { body: "x" }).reply(201, { id: 1 });
    const res = await post("/repos/o/r/issues/1/comments", { body: "x" });
    expect(res.status).toBe(201);
    await res.text();
    expect(gh.requests).toEqual([
      {
        method: "POST",
        path: "/repos/o/r/issues/1/comments",
        query: {},
        body: { body: "x" },
        operationId: "issues/create-comment",
        matched: true,
        errors: [],
        status: 201,
      },
    ]);
    expect(() => gh.done()).not.toThrow();
  });

  it("fails on a path GitHub does not have, even when the test mocked it", async () => {
    gh.api.post("/repos/o/r/issues/1/commentz").reply(201, {});
    await post("/repos/o/r/issues/1/commentz", { body: "x" });
    expect(() => gh.done()).toThrow(/POST \/repos\/o\/r\/issues\/1\/commentz: no GitHub REST path matches/);
  });

  it("fails on an operation an installation's token cannot call (x-github.enabledForGitHubApps: false), but not on the app's own JWT routes", async () => {
    gh.api.get("/enterprises/acme/dependabot/alerts").reply(200, []);
    await fetch(`${API}/enterprises/acme/dependabot/alerts`);
    expect(() => gh.done()).toThrow(/dependabot\/list-alerts-for-enterprise is not enabled for GitHub Apps/);
  });

  it("passes the routes the app calls with its JWT (where an installation is found)", async () => {
    gh.api.get("/repos/o/r/installation").reply(200, { id: 1 });
    await fetch(`${API}/repos/o/r/installation`);
    expect(() => gh.done()).not.toThrow();
  });

  it("fails on a method the path does not support", async () => {
    gh.api.put("/repos/o/r/issues/1/comments").reply(200, {});
    await fetch(`${API}/repos/o/r/issues/1/comments`, { method: "PUT", body: JSON.stringify({ body: "x" }) });
    expect(() => gh.done()).toThrow(/GitHub has no PUT \/repos\/\{owner\}\/\{repo\}\/issues\/\{issue_number\}\/comments \(it supports GET, POST\)/);
  });

  it("fails on a body that breaks the operation's schema", async () => {
    gh.api.post("/repos/o/r/issues/1/comments").reply(201, {});
    await post("/repos/o/r/issues/1/comments", { body: 5 });
    expect(() => gh.done()).toThrow(/issues\/create-comment's schema: body\/body must be string/);
  });

  it("fails on a missing required body and on unknown body properties", async () => {
    gh.api.post("/repos/o/r/issues/1/comments").times(2).reply(201, {});
    await fetch(`${API}/repos/o/r/issues/1/comments`, { method: "POST" });
    await post("/repos/o/r/issues/1/comments", { body: "x", labels: ["a"] });
    const err = catchDone(gh);
    expect(err).toMatch(/issues\/create-comment requires a request body/);
    expect(err).toMatch(/body properties not in issues\/create-comment's schema \(GitHub ignores them\): labels/);
  });

  it("fails on an unmatched request, with or without other interceptors, and keeps its body", async () => {
    await expect(post("/repos/o/r/issues/1/comments", { body: "no interceptors at all" })).rejects.toThrow();
    gh.api.get("/repos/o/r/issues/1").reply(200, {});
    await expect(post("/repos/o/r/issues/2/comments", { body: "other interceptors exist" })).rejects.toThrow();
    await fetch(`${API}/repos/o/r/issues/1`);
    expect(gh.requests.map((r) => [r.path, r.matched])).toEqual([
      ["/repos/o/r/issues/1/comments", false],
      ["/repos/o/r/issues/2/comments", false],
      ["/repos/o/r/issues/1", true],
    ]);
    // nock offers no body when the host has no interceptors at all.
    expect(gh.requests[1]?.body).toEqual({ body: "other interceptors exist" });
    const err = catchDone(gh);
    expect(err).toMatch(/no interceptor matched POST \/repos\/o\/r\/issues\/1\/comments/);
    expect(err).toMatch(/no interceptor matched POST \/repos\/o\/r\/issues\/2\/comments body \{"body":"other interceptors exist"\}/);
  });

  it("fails on a request to another host", async () => {
    await expect(fetch("https://example.com/hook")).rejects.toThrow();
    expect(gh.requests).toEqual([]);
    expect(() => gh.done()).toThrow(/request to unmocked host: GET https:\/\/example.com\/hook/);
  });

  it("fails on a pending interceptor", () => {
    gh.api.get("/repos/o/r/issues/1").reply(200, {});
    expect(() => gh.done()).toThrow(/interceptor never called: GET https:\/\/api.github.com:443\/repos\/o\/r\/issues\/1/);
  });

  it("finds secrets in bodies and URL-encoded queries, case-insensitively", async () => {
    gh.api.post("/repos/o/public/issues/1/comments").reply(201, {});
    gh.api.get("/search/issues").query(true).reply(200, { items: [] });
    gh.api.post("/repos/o/private/issues/1/comments").reply(201, {});
    await post("/repos/o/public/issues/1/comments", { body: "the flaw is a Heap Overflow in parse()" });
    await fetch(`${API}/search/issues?q=${encodeURIComponent("repo:o/public heap overflow")}`);
    await post("/repos/o/private/issues/1/comments", { body: "heap overflow details" });

    expect(gh.leaks(["heap overflow", "not mentioned"])).toEqual([
      "secret #0 in POST /repos/o/public/issues/1/comments",
      "secret #0 in GET /search/issues",
      "secret #0 in POST /repos/o/private/issues/1/comments",
    ]);
    expect(gh.leaks(["HEAP OVERFLOW"], gh.requestsTo("O", "Public"))).toEqual([
      "secret #0 in POST /repos/o/public/issues/1/comments",
    ]);
    expect(gh.requests[1]?.query).toEqual({ q: "repo:o/public heap overflow" });
    expect(() => gh.leaks([""])).toThrow(/empty/);
    expect(() => gh.done()).not.toThrow();
  });

  it("finds a secret that only appears percent-encoded in a path", async () => {
    gh.api.get(/\/repos\/o\/r\/contents\/.*/).reply(200, {});
    await fetch(`${API}/repos/o/r/contents/${encodeURIComponent("cve/heap overflow.md")}`);
    expect(gh.leaks(["heap overflow.md"])).toEqual(["secret #0 in GET /repos/o/r/contents/cve%2Fheap%20overflow.md"]);
    expect(() => gh.done()).not.toThrow();
  });

  it("accepts well-formed GraphQL and attributes it to the repo in its variables", async () => {
    gh.api.post("/graphql").times(2).reply(200, { data: {} });
    await post("/graphql", {
      query: "query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { id } }",
      variables: { owner: "o", name: "r" },
    });
    await post("/graphql", { query: 'query { repository(owner: "x", name: "y") { id } }' });
    expect(gh.requests.map((r) => r.operationId)).toEqual(["graphql", "graphql"]);
    expect(gh.requestsTo("o", "r")).toHaveLength(1);
    expect(gh.requestsTo("x", "y")).toHaveLength(1);
    expect(gh.requestsTo("o", "y")).toHaveLength(0);
    expect(() => gh.done()).not.toThrow();
  });

  it("rejects malformed GraphQL", async () => {
    gh.api.post("/graphql").reply(200, {});
    await post("/graphql", { query: "", variables: [] });
    const err = catchDone(gh);
    expect(err).toMatch(/non-empty string `query`/);
    expect(err).toMatch(/`variables` must be an object/);
  });

  it("reports undeclared and ill-typed query parameters", async () => {
    gh.api.get("/repos/o/r/issues").query(true).times(3).reply(200, []);
    await fetch(`${API}/repos/o/r/issues?state=open&labels=a,b&per_page=100`);
    await fetch(`${API}/repos/o/r/issues?labelz=a`);
    await fetch(`${API}/repos/o/r/issues?state=opne&per_page=many`);
    expect(gh.requests[0]?.errors).toEqual([]);
    const err = catchDone(gh);
    expect(err).toMatch(/GET \/repos\/o\/r\/issues\?labelz=a: query parameter "labelz" is not declared by issues\/list-for-repo/);
    expect(err).toMatch(/query parameter "state"="opne" does not match its schema: state must be equal to one of the allowed values \("open", "closed", "all"\)/);
    expect(err).toMatch(/query parameter "per_page"="many" does not match its schema \(must be integer\)/);
  });

  it("reports a non-integer issue_number", async () => {
    gh.api.get("/repos/o/r/issues/abc").reply(200, {});
    await fetch(`${API}/repos/o/r/issues/abc`);
    expect(() => gh.done()).toThrow(/path parameter "issue_number"="abc" does not match its schema \(must be integer\)/);
  });

  it("works with Octokit, including a PUT without parameters", async () => {
    gh.api.post("/repos/o/r/issues/1/labels", { labels: ["a"] }).reply(200, [{ name: "a" }]);
    gh.api.put("/repos/o/r/issues/1/lock").reply(204);
    const octokit = new Octokit({ auth: "x", request: { retries: 0 } });
    const { data } = await octokit.rest.issues.addLabels({ owner: "o", repo: "r", issue_number: 1, labels: ["a"] });
    await octokit.rest.issues.lock({ owner: "o", repo: "r", issue_number: 1 });
    expect(data).toEqual([{ name: "a" }]);
    expect(gh.requests.map((r) => r.operationId)).toEqual(["issues/add-labels", "issues/lock"]);
    expect(gh.requests[1]?.body).toBeUndefined();
    expect(() => gh.done()).not.toThrow();
  });

  it("sees the errors an app would swallow", async () => {
    const octokit = new Octokit({ auth: "x", request: { retries: 0 } });
    await octokit.rest.issues.createComment({ owner: "o", repo: "r", issue_number: 1, body: "x" }).catch(() => undefined);
    expect(() => gh.done()).toThrow(/no interceptor matched POST \/repos\/o\/r\/issues\/1\/comments/);
  });

  it("accepts a 304 answer to a conditional read where GitHub documents one, and records the header", async () => {
    gh.api.get("/repos/o/r/contents/a.yml").reply(304);
    const res = await fetch(`${API}/repos/o/r/contents/a.yml`, { headers: { "if-none-match": 'W/"abc"' } });
    expect(res.status).toBe(304);
    await new Promise((r) => setTimeout(r, 10));
    expect(gh.requests[0]).toMatchObject({ ifNoneMatch: 'W/"abc"', status: 304, errors: [] });
    expect(() => gh.done()).not.toThrow();
  });

  it("fails on a 304 where GitHub never answers one, and on a 304 to a request that was not conditional", async () => {
    gh.api.get("/repos/o/r/issues/comments/5").reply(304);
    gh.api.get("/repos/o/r/contents/a.yml").reply(304);
    await fetch(`${API}/repos/o/r/issues/comments/5`, { headers: { "if-none-match": 'W/"abc"' } });
    await fetch(`${API}/repos/o/r/contents/a.yml`);
    await new Promise((r) => setTimeout(r, 10));
    expect(() => gh.done()).toThrow(/issues\/get-comment never answers 304[\s\S]*answered 304 to a request without If-None-Match/);
  });

  it("records requests matched on extra scopes and serves installation tokens", async () => {
    mockInstallationToken(gh.scope({ reqheaders: { accept: /json/ } }), 42);
    const res = await fetch(`${API}/app/installations/42/access_tokens`, { method: "POST", headers: { accept: "application/json" } });
    expect(((await res.json()) as { token: string }).token).toMatch(/^ghs_/);
    expect(gh.requests[0]?.operationId).toBe("apps/create-installation-access-token");
    expect(() => gh.done()).not.toThrow();
  });
});

describe("validateRequest", () => {
  it.each([
    ["GET", "/repos/o/r/issues/comments", "issues/list-comments-for-repo"],
    ["GET", "/repos/o/r/issues/comments/7", "issues/get-comment"],
    ["GET", "/repos/o/r/issues/7/comments", "issues/list-comments"],
    ["GET", "/repos/o/r/compare/main...fix", "repos/compare-commits"],
    ["GET", "/repos/o/r/contents/docs%2FSECURITY.md?ref=main", "repos/get-content"],
    ["GET", "/repos/o/r/contents/docs/SECURITY.md", "repos/get-content"],
    ["PATCH", "/repos/o/r/git/refs/heads/main", "git/update-ref"],
    ["GET", "https://api.github.com/repos/o/r/security-advisories?state=draft", "security-advisories/list-repository-advisories"],
  ])("%s %s → %s", (method, url, operationId) => {
    const body = method === "PATCH" ? { sha: "a".repeat(40) } : undefined;
    expect(validateRequest(method, url, body)).toEqual({ operationId, errors: [] });
  });

  it("accepts null where GitHub's schema says nullable, including next to oneOf", () => {
    expect(validateRequest("PATCH", "/repos/o/r/issues/1", { milestone: null, state_reason: null, body: "b" }).errors).toEqual([]);
    expect(validateRequest("POST", "/repos/o/r/issues", { title: "t", milestone: null }).errors).toEqual([]);
  });

  it("checks enums and formats in bodies", () => {
    expect(validateRequest("PATCH", "/repos/o/r/issues/1", { state: "shut" }).errors.join()).toMatch(/allowed values/);
    expect(validateRequest("POST", "/repos/o/r/milestones", { title: "t", due_on: "next week" }).errors.join()).toMatch(/must match format "date-time"/);
  });

  it("parses raw string bodies", () => {
    expect(validateRequest("POST", "/repos/o/r/issues/1/comments", '{"body":"x"}').errors).toEqual([]);
    expect(validateRequest("POST", "/repos/o/r/issues/1/comments", "body=x").errors.join()).toMatch(/expects a JSON body/);
  });
});

describe("loadWebhookExample", () => {
  it("returns a fresh copy of the first example for the action", () => {
    const a = loadWebhookExample("issues", "opened");
    expect(a.action).toBe("opened");
    a.issue.title = "changed";
    expect(loadWebhookExample("issues", "opened").issue.title).not.toBe("changed");
    expect(loadWebhookExample("issue_comment").action).toBeTypeOf("string");
    expect(() => loadWebhookExample("issues", "exploded")).toThrow(/examples exist for: .*opened/);
  });
});

function catchDone(gh: GitHubMock): string {
  try {
    gh.done();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("done() did not throw");
}

describe("mockGitHub({ ghes: true }): the test GitHub Enterprise Server", () => {
  let gh: GitHubMock;
  beforeEach(() => {
    gh = mockGitHub({ ghes: true });
  });
  afterEach(() => nock.cleanAll());

  it("records a request under /api/v3 by its REST path, checked against GHES's description, and passes", async () => {
    gh.api.post("/api/v3/repos/o/r/issues/1/comments", { body: "x" }).reply(201, { id: 1 });
    const res = await fetch(`${GHES_API}/repos/o/r/issues/1/comments`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ body: "x" }) });
    await res.text();
    expect(gh.requests).toEqual([{ method: "POST", path: "/repos/o/r/issues/1/comments", query: {}, body: { body: "x" }, operationId: "issues/create-comment", matched: true, errors: [], status: 201, host: GHES_HOST }]);
    expect(() => gh.done()).not.toThrow();
  });

  it("fails on repository security advisories, which GHES does not have, even when the test mocked them", async () => {
    gh.api.get("/api/v3/repos/o/r/security-advisories/GHSA-abcd-4q2w-9x8v").reply(200, {});
    await (await fetch(`${GHES_API}/repos/o/r/security-advisories/GHSA-abcd-4q2w-9x8v`)).text();
    expect(() => gh.done()).toThrow(/no GitHub Enterprise Server \(ghes-3\.17\) REST path matches \/repos\/o\/r\/security-advisories\/GHSA-abcd-4q2w-9x8v/);
  });

  it("fails on a request outside /api/v3 and on one to api.github.com, which is still checked as before", async () => {
    gh.api.get("/repos/o/r").reply(200, {});
    await (await fetch(`https://${GHES_HOST}/repos/o/r`)).text();
    await fetch(`${API}/repos/o/r/security-advisories`).catch(() => undefined);
    expect(() => gh.done()).toThrow(/not under ghes\.acme\.test's REST API \(\/api\/v3\)/);
    expect(gh.requests.map((r) => [r.path, r.host, r.matched])).toEqual([["/repos/o/r", GHES_HOST, true], ["/repos/o/r/security-advisories", undefined, false]]);
  });

  it("validates GHES GraphQL at /api/graphql", async () => {
    gh.api.post("/api/graphql").reply(200, { data: {} });
    await (await fetch(`https://${GHES_HOST}/api/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ viewer { login } }" }) })).text();
    expect(gh.requests[0]).toMatchObject({ path: "/graphql", operationId: "graphql", errors: [] });
    expect(() => gh.done()).not.toThrow();
  });

  it("validateRequest: the same path is fine on api.github.com and absent on GHES", () => {
    expect(validateRequest("GET", `${API}/repos/o/r/security-advisories`, undefined).errors).toEqual([]);
    expect(validateRequest("GET", `${GHES_API}/repos/o/r/security-advisories`, undefined).errors).toEqual(["no GitHub Enterprise Server (ghes-3.17) REST path matches /repos/o/r/security-advisories"]);
    expect(validateRequest("GET", `${GHES_API}/repos/o/r/issues/1`, undefined)).toEqual({ operationId: "issues/get", errors: [] });
  });
});
