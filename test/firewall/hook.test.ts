import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventScope, runInScope } from "../../src/github/event-scope.js";
import { LeakBlocked } from "../../src/github/leak-blocked.js";
import { assertNoLeak, installFirewall } from "../../src/github/leak-firewall.js";
import { scopeForEvent } from "../../src/github/with-firewall.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";

/**
 * The request hook alone, with fake requests through a real ProbotOctokit and the REST harness:
 * every secret form, in every part of a request, disguised every way the normal form sees through.
 */
let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const ISSUE = { owner: "acme", repo: "security", issue_number: 7 };
const TITLE = "SQL injection in the login form";
const REPORT = "When the login form receives a crafted user name, the query builder pastes it into the SQL text and returns every row of the users table.";
const CVE = "CVE-2026-1234";
const GHSA = "GHSA-c2fg-hj3m-pq4r";
const SUMMARY = "Unauthenticated SQL injection in /login";
const DESCRIPTION = "The user name reaches the SQL query builder unescaped.";
const SECRETS = [TITLE, REPORT, CVE, GHSA, SUMMARY, DESCRIPTION, "acme/security#7", "security/issues/7"];

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function client() {
  const octokit = new ProbotOctokit({ auth: { token: "t" }, log: silent, throttle: { enabled: false }, retry: { enabled: false } });
  installFirewall(octokit);
  return octokit;
}

/** An issue_comment event on the private security issue: its payload and response registered. */
function scope(record: Partial<ResponseRecord> = {}): EventScope {
  const s = new EventScope("test");
  s.setVisibility("acme/security", "private");
  s.setVisibility("acme/product", "public");
  s.addIssueTexts(ISSUE, { title: TITLE, body: REPORT, html_url: "https://github.com/acme/security/issues/7" });
  s.addRecord(ISSUE, { ...newRecord(new Date("2026-11-20"), new Date("2026-11-22")), cve: CVE, ghsa: GHSA, summary: SUMMARY, description: DESCRIPTION, ...record });
  return s;
}

async function blocked(s: EventScope, fn: () => Promise<unknown>): Promise<LeakBlocked> {
  const before = gh.requests.length;
  const error = await runInScope(s, fn).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LeakBlocked);
  const { issue: _forTheReply, ...detail } = (error as LeakBlocked).detail;
  // It never left: no request reached GitHub, and no word of the block carries a secret (the issue
  // it protects is named only to the reply on that issue and to the log).
  const writes = gh.requests.slice(before).filter((r) => r.method !== "GET" && !(r.path === "/graphql" && !JSON.stringify(r.body).includes("mutation")));
  expect(writes).toEqual([]);
  expect(gh.leaks(SECRETS, [{ method: "X", path: "/", query: {}, body: { ...detail, message: (error as Error).message }, matched: true, errors: [] }])).toEqual([]);
  return error as LeakBlocked;
}

const comment = (body: string) => () => client().rest.issues.createComment({ owner: "acme", repo: "product", issue_number: 42, body });

describe("every secret form is stopped on its way to a public repo", () => {
  const forms: Array<[string, string, string]> = [
    ["the qualified reference", "Fixes acme/security#7", "names the security issue (its reference or URL)"],
    ["the web URL", "see https://github.com/acme/security/issues/7#issuecomment-1", "names the security issue (its reference or URL)"],
    ["the API URL", "https://api.github.com/repos/acme/security/issues/7", "names the security issue (its reference or URL)"],
    ["a URL-encoded reference", "acme%2Fsecurity%237", "names the security issue (its reference or URL)"],
    ["the CVE id in fullwidth letters", "fixes ＣＶＥ－２０２６－１２３４", "names the CVE id"],
    ["the CVE id with HTML character references", "CVE&#45;2026&#x2d;1234", "names the CVE id"],
    ["the GHSA id in upper case with zero-width spaces", "GHSA-C2FG\u200b-HJ3M-\u2060PQ4R", "names the GHSA id"],
    ["the CVE id with no separators", "fixes CVE20261234", "names the CVE id"],
    ["the CVE id with one separator left out", "fixes CVE-20261234", "names the CVE id"],
    ["the GHSA id run together", "GHSAc2fghj3mpq4r", "names the GHSA id"],
    ["the GHSA id with a format character no list named (U+1BCA0)", "GHSA-C2\u{1bca0}FG-HJ3M-PQ4R", "names the GHSA id"],
    ["the title with a zero-width space and Cyrillic letters", "Tidy: SQL inj\u200bесtion in the login form", "repeats the security issue's title"],
    ["the summary, double URL-encoded", encodeURIComponent(encodeURIComponent(SUMMARY)), "repeats the response's summary"],
    ["the description with other punctuation", "the user-name reaches the SQL_query_builder; unescaped!", "repeats the response's description"],
    ["8 words in a row from the report", "Note: crafted user name, the query builder pastes it into... elsewhere", "repeats 8 words in a row from the report"],
  ];
  for (const [what, text, rule] of forms) {
    it(`${what}, in a comment body`, async () => {
      const error = await blocked(scope(), comment(text));
      expect(error.detail).toMatchObject({ rule, place: "the body field `body`", target: "acme/product", visibility: "public", issue: "acme/security#7" });
    });
  }

  it("a CVE id whose number has a leading zero (CVE-2026-0123), with its separators left out", async () => {
    for (const text of ["fixes CVE20260123", "fixes CVE-20260123", "fixes CVE2026-0123"]) {
      const error = await blocked(scope({ cve: "CVE-2026-0123" }), comment(text));
      expect(error.detail).toMatchObject({ rule: "names the CVE id", target: "acme/product" });
    }
  });

  it("in the URL: a label named after the CVE, percent-encoded by Octokit", async () => {
    const error = await blocked(scope(), () => client().rest.issues.removeLabel({ owner: "acme", repo: "product", issue_number: 42, name: `fix ${CVE}` }));
    expect(error.detail).toMatchObject({ rule: "names the CVE id", place: "the URL", request: "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}" });
  });

  it("in a header", async () => {
    const error = await blocked(scope(), () => client().request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", { owner: "acme", repo: "product", issue_number: 42, labels: ["x"], headers: { "x-note": TITLE } }));
    expect(error.detail.place).toBe("the header `x-note`");
  });

  it("split over two fields", async () => {
    const error = await blocked(scope(), () => client().rest.issues.addLabels({ owner: "acme", repo: "product", issue_number: 42, labels: ["SQL injection in", "the login form"] }));
    expect(error.detail).toMatchObject({ place: "several fields together", rule: "repeats the security issue's title" });
  });

  it("names neither the secret nor its field when a field's name is the secret", async () => {
    const error = await blocked(scope(), () => client().request("POST /repos/{owner}/{repo}/check-runs", { owner: "acme", repo: "product", name: "n", head_sha: "a".repeat(40), output: { title: "t", summary: "s" }, [CVE]: "x" } as never));
    expect(error.detail.place).toBe("a field whose name itself names the secret");
  });

  it("an internal repository counts as public, and a repo whose visibility cannot be read too", async () => {
    gh.api.get("/repos/acme/inner").reply(200, { private: true, visibility: "internal" });
    gh.api.get("/repos/acme/gone").reply(404, { message: "Not Found" });
    const s = scope();
    const internal = await blocked(s, () => client().rest.issues.createComment({ owner: "acme", repo: "inner", issue_number: 1, body: CVE }));
    expect(internal.detail.visibility).toBe("internal");
    const unknown = await blocked(s, () => client().rest.issues.createComment({ owner: "acme", repo: "gone", issue_number: 1, body: CVE }));
    expect(unknown.detail.visibility).toBe("unknown");
    expect(unknown.message).toContain("visibility could not be read, so treated as public");
  });

  it("in a file written through the contents API, base64-encoded", async () => {
    const content = Buffer.from(`## 4.19.1\n\n- Fixes ${CVE}\n`).toString("base64");
    const error = await blocked(scope(), () => client().rest.repos.createOrUpdateFileContents({ owner: "acme", repo: "product", path: "NEWS.md", message: "Update NEWS", content }));
    expect(error.detail).toMatchObject({ place: "the file content (base64-decoded)", rule: "names the CVE id" });
  });

  it("assertNoLeak stops decided effects the same way, before any request", async () => {
    const error = await blocked(scope(), () => assertNoLeak(client(), { owner: "acme", repo: "product" }, { addLabels: ["ok", `tracking ${CVE}`] }));
    expect(error.detail).toMatchObject({ request: "the writes this event decided", place: "`addLabels[1]` of the decided effects", rule: "names the CVE id" });
  });

  it("the title and report of an issue read before its response was loaded (a PR event's order)", async () => {
    gh.api.get("/repos/acme/security/issues/7").reply(200, { number: 7, title: TITLE, body: REPORT, state: "open", html_url: "https://github.com/acme/security/issues/7" });
    const s = new EventScope("pull_request_review.submitted");
    s.setVisibility("acme/product", "public");
    await runInScope(s, () => client().rest.issues.get(ISSUE));
    s.addRecord(ISSUE, newRecord(new Date("2026-11-20"), new Date("2026-11-22")));
    const error = await blocked(s, comment(`Tidy: ${TITLE}`));
    expect(error.detail).toMatchObject({ rule: "repeats the security issue's title" });
    expect((await blocked(s, comment("the query builder pastes it into the SQL text and returns"))).detail.rule).toBe("repeats 8 words in a row from the report");
  });
});

describe("what passes", () => {
  it("normal work: bare numbers, short words, 7 words of the report, a short title", async () => {
    const s = new EventScope("test");
    s.setVisibility("acme/product", "public");
    s.addIssueTexts(ISSUE, { title: "XSS on /api", body: REPORT });
    gh.api.post("/repos/acme/product/issues/42/comments").times(4).reply(201, { id: 1 });
    await runInScope(s, async () => {
      for (const body of ["Fixes #7 (7 files)", "XSS on /api", "security fix for the login form", "crafted user name, the query builder pastes"]) await comment(body)();
    });
    expect(gh.requests.filter((r) => r.method === "POST")).toHaveLength(4);
  });

  it("another CVE id that starts like the secret one, with or without separators", async () => {
    gh.api.post("/repos/acme/product/issues/42/comments").times(2).reply(201, { id: 1 });
    await runInScope(scope(), async () => {
      for (const body of ["also fixes CVE-2026-12345", "CVE202612345"]) await comment(body)();
    }).catch((error: unknown) => expect.fail(String(error)));
    expect(gh.requests.filter((r) => r.method === "POST")).toHaveLength(2);
  });

  it("reads, whatever they carry, and every write outside an event", async () => {
    gh.api.get("/repos/acme/product/issues").query(true).reply(200, []);
    gh.api.post("/repos/acme/product/issues/42/comments").reply(201, { id: 1 });
    await runInScope(scope(), () => client().rest.issues.listForRepo({ owner: "acme", repo: "product", labels: CVE }));
    await comment(CVE)();
  });

  it("writes to a private repo: the event's own from its payload, another after one read per event", async () => {
    gh.api.post("/repos/acme/security/issues/7/comments").reply(201, { id: 1 });
    gh.api.get("/repos/acme/other").reply(200, { private: true, visibility: "private" });
    gh.api.post("/repos/acme/other/issues/1/comments").times(2).reply(201, { id: 2 });
    await runInScope(scope(), async () => {
      const octokit = client();
      await octokit.rest.issues.createComment({ ...ISSUE, body: `${TITLE} ${CVE}` });
      await octokit.rest.issues.createComment({ owner: "acme", repo: "other", issue_number: 1, body: CVE });
      await octokit.rest.issues.createComment({ owner: "acme", repo: "other", issue_number: 1, body: TITLE });
    });
    expect(gh.requests.filter((r) => r.method === "GET").map((r) => r.path)).toEqual(["/repos/acme/other"]);
  });

  it("the allowlist: draft advisories and a CVE request that names the GHSA id", async () => {
    gh.api.post(`/repos/acme/product/security-advisories/${GHSA}/cve`).reply(202, {});
    await runInScope(scope(), () => client().request("POST /repos/{owner}/{repo}/security-advisories/{ghsa_id}/cve", { owner: "acme", repo: "product", ghsa_id: GHSA }));
  });

  it("everything about an announced issue, and about one whose advisory this event published", async () => {
    gh.api.post("/repos/acme/product/issues/42/comments").times(2).reply(201, { id: 1 });
    await runInScope(scope({ state: "announced" }), () => comment(`${TITLE}, ${CVE}`)());
    gh.api.patch(`/repos/acme/product/security-advisories/${GHSA}`).times(2).reply(200, {});
    gh.api.post("/repos/acme/product/issues/42/comments").reply(201, { id: 1 });
    const s = scope();
    await runInScope(s, async () => {
      await blocked(s, comment(CVE));
      await client().request("PATCH /repos/{owner}/{repo}/security-advisories/{ghsa_id}", { owner: "acme", repo: "product", ghsa_id: GHSA, state: "published" });
      await comment(`CHANGES: ${CVE}`)();
    });
    // A publish GitHub broke off after step 1, resumed by a later event: the record says published.
    gh.api.post("/repos/acme/product/issues/42/comments").reply(201, { id: 1 });
    await runInScope(scope({ publish_steps: { advisory: "2026-11-22T10:00:00Z" } }), () => comment(`CHANGES: ${CVE}`)());
    // An advisory published by hand: the repository_advisory.published event is GitHub's word.
    gh.api.post("/repos/acme/product/issues/42/comments").reply(201, { id: 1 });
    const byHand = scopeForEvent("repository_advisory", { action: "published", repository_advisory: { ghsa_id: GHSA.toUpperCase(), state: "published" } });
    byHand.addRecord(ISSUE, { ...newRecord(new Date("2026-11-20"), new Date("2026-11-22")), cve: CVE, ghsa: GHSA });
    await runInScope(byHand, () => comment(`CHANGES: ${CVE}`)());
    const other = scopeForEvent("repository_advisory", { action: "published", repository_advisory: { ghsa_id: "GHSA-xxxx-yyyy-zzzz", state: "published" } });
    other.setVisibility("acme/product", "public");
    other.addRecord(ISSUE, { ...newRecord(new Date("2026-11-20"), new Date("2026-11-22")), cve: CVE, ghsa: GHSA });
    await blocked(other, comment(`CHANGES: ${CVE}`));
    // An advisory this event created itself is not in the record it loaded: the one response is released.
    const fresh = scope({ ghsa: undefined });
    await runInScope(fresh, async () => {
      await client().request("PATCH /repos/{owner}/{repo}/security-advisories/{ghsa_id}", { owner: "acme", repo: "product", ghsa_id: GHSA, state: "published" });
      await comment(`Released: ${CVE}`)();
    });
  });
});

describe("GraphQL", () => {
  const TRANSFER = "mutation($issue: ID!, $repo: ID!) { transferIssue(input: { issueId: $issue, repositoryId: $repo }) { issue { number } } }";

  it("a query is a read; a mutation is judged by the repository it acts on", async () => {
    const s = scope();
    gh.api.post("/graphql", (b) => !String(b.query).includes("mutation")).times(3).reply(200, (_u, b: any) => ({
      data: b.variables?.id ? { node: { visibility: b.variables.id === "R_private" ? "PRIVATE" : "PUBLIC" } } : { repository: null },
    }));
    gh.api.post("/graphql", (b) => String(b.query).includes("mutation")).reply(200, { data: { transferIssue: { issue: { number: 8 } } } });
    await runInScope(s, async () => {
      const octokit = client();
      await octokit.graphql(`query { repository(owner: "acme", name: "${TITLE}") { id } }`);
      // the title rides along in a comment of the document: allowed into the private target…
      await octokit.graphql(`${TRANSFER} # ${TITLE}`, { issue: "I_1", repo: "R_private" });
    });
    // …and stopped on its way into a public one, or one the firewall cannot tell.
    const pub = await blocked(s, () => client().graphql(`${TRANSFER} # ${TITLE}`, { issue: "I_1", repo: "R_public" }));
    expect(pub.detail).toMatchObject({ request: "a GraphQL mutation", visibility: "public", rule: "repeats the security issue's title" });
    const none = await blocked(s, () => client().graphql(`mutation { addReaction(input: { content: HOORAY }) { subject { id } } } # ${CVE}`));
    expect(none.detail).toMatchObject({ target: "a target the firewall cannot tell", visibility: "unknown" });
  });
});
