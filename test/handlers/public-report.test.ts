import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PUBLIC_NOTICE_MARKER } from "../../src/record/markers.js";
import { Probot, ProbotOctokit } from "probot";
import { createApp } from "../../src/index.js";
import { BOT, commentList, createTestProbot, labeledEvent, mockConfig, mockIdentity, mockNoOverrides, mockToken, NOW, openedEvent, type StoredComment } from "../helpers/app.js";
import { testPrivateKey } from "../helpers/github-api.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const TITLE = "SQL injection in /login lets anyone dump the users table";
const BODY = "Send id=1' OR '1'='1 to /login?debug=true and the password hashes come back.";
const SECRETS = [TITLE, BODY, "SQL injection", "password hashes"];
const PUBLIC_ISSUE = "/repos/acme/product/issues/12";

function publicLabel() {
  const event = labeledEvent({ owner: "acme", repo: "product", private: false, number: 12, title: TITLE, body: BODY });
  event.payload.repository.html_url = "https://github.com/acme/product";
  return event;
}

describe("the security label on a public issue", () => {
  it("posts one short notice that repeats nothing of the report", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "product", "report_instructions: mail security@example.org\n");
    mockIdentity(gh);
    gh.api.get(`${PUBLIC_ISSUE}/comments`).query(true).reply(200, []);
    mockNoOverrides(gh, "acme", "product");
    let notice = "";
    gh.api.post(`${PUBLIC_ISSUE}/comments`, (b) => ((notice = b.body), true)).reply(201, { id: 1 });

    await probot.receive(publicLabel());

    expect(notice).toContain(PUBLIC_NOTICE_MARKER);
    expect(notice).toContain("This repository is **public**");
    expect(notice).toContain("Please report it privately instead: mail security@example.org");
    expect(gh.leaks(SECRETS, gh.requestsTo("acme", "product"))).toEqual([]);
    // No response comment, no state label, nothing else written.
    expect(gh.requests.filter((r) => r.method !== "GET" && !r.path.startsWith("/app/"))).toHaveLength(1);
  });

  it("points to private vulnerability reporting when no instructions are configured", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "product", null);
    mockIdentity(gh);
    gh.api.get(`${PUBLIC_ISSUE}/comments`).query(true).reply(200, []);
    mockNoOverrides(gh, "acme", "product");
    let notice = "";
    gh.api.post(`${PUBLIC_ISSUE}/comments`, (b) => ((notice = b.body), true)).reply(201, { id: 1 });
    await probot.receive(publicLabel());
    expect(notice).toContain("https://github.com/acme/product/security/advisories/new");
  });

  it("does not post the notice twice on a redelivery", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "product", null);
    mockIdentity(gh);
    gh.api
      .get(`${PUBLIC_ISSUE}/comments`)
      .query(true)
      .reply(200, commentList([{ id: 1, body: `${PUBLIC_NOTICE_MARKER}\nThanks`, user: { login: BOT, type: "Bot" } }]));
    await probot.receive(publicLabel());
    expect(gh.requests.filter((r) => r.method === "POST" && !r.path.startsWith("/app/"))).toEqual([]);
  });

  it("treats an internal repository as public", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "product", null);
    mockIdentity(gh);
    gh.api.get(`${PUBLIC_ISSUE}/comments`).query(true).reply(200, []);
    mockNoOverrides(gh, "acme", "product");
    gh.api.post(`${PUBLIC_ISSUE}/comments`).reply(201, { id: 1 });
    const event = publicLabel();
    event.payload.repository.private = true;
    event.payload.repository.visibility = "internal";
    await probot.receive(event);
    expect(gh.leaks(SECRETS)).toEqual([]);
  });

  it("rejects `public_reports: transfer` without `security_repo` as a config problem", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "product", "public_reports: transfer\n");
    mockIdentity(gh);
    gh.api.get(`${PUBLIC_ISSUE}/comments`).query(true).reply(200, []);
    let body = "";
    gh.api.post(`${PUBLIC_ISSUE}/comments`, (b) => ((body = b.body), true)).reply(201, { id: 1 });
    await probot.receive(publicLabel());
    expect(body).toContain("`public_reports: transfer` needs `security_repo`");
    expect(gh.leaks(SECRETS)).toEqual([]);
  });
});

const TRANSFER = "public_reports: transfer\nsecurity_repo: acme/security\n";

/** Like createTestProbot, with a log that keeps the warnings (what the operator reads). */
function probotWithLog(warnings: string[]): Probot {
  const log: any = { level: "warn", child: () => log, trace() {}, debug() {}, info() {}, error() {}, fatal() {} };
  log.warn = (...args: unknown[]) => warnings.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
  const probot = new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { ...(o.throttle as object), enabled: false } })),
    log,
  });
  void probot.load(createApp({ now: () => NOW, secret: "test-link-secret" }));
  return probot;
}

/** The target lookup as GitHub answers it: the repo's visibility, and the repo the issue is in now. */
function targetAnswer(visibility: string, issueIn = "R_product", labels: string[] = []) {
  return { data: { repository: { id: "R_security", visibility }, issue: { number: issueIn === "R_security" ? 31 : 12, repository: { id: issueIn }, labels: { nodes: labels.map((name) => ({ name })) } } } };
}

function mockNotice(into: { body: string }) {
  gh.api.get(`${PUBLIC_ISSUE}/comments`).query(true).reply(200, []);
  mockNoOverrides(gh, "acme", "product");
  gh.api.post(`${PUBLIC_ISSUE}/comments`, (b) => ((into.body = b.body), true)).reply(201, { id: 1 });
}

describe("moving a public report to the security repo (`public_reports: transfer`)", () => {
  it("moves the issue into the private security repo and labels it there", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "product", TRANSFER);
    mockIdentity(gh);
    const graphql: any[] = [];
    gh.api.post("/graphql", (b) => (graphql.push(b), true)).reply(200, targetAnswer("PRIVATE"));
    const notice = { body: "" };
    mockNotice(notice);
    gh.api.post("/graphql", (b) => (graphql.push(b), true)).reply(200, { data: { transferIssue: { issue: { number: 31 } } } });
    let label: string[] = [];
    gh.api.post("/repos/acme/security/issues/31/labels", (b) => ((label = b.labels), true)).reply(200, []);

    const event = publicLabel();
    await probot.receive(event);

    expect(notice.body).toContain("being moved to the project's private security tracker");
    expect(graphql[0].query).toContain("visibility");
    expect(graphql[1].query).toContain("transferIssue");
    expect(graphql[1].variables).toEqual({ issue: event.payload.issue.node_id, repo: "R_security" });
    expect(label).toEqual(["security"]);
    expect(gh.leaks(SECRETS)).toEqual([]);
  });

  it("attack: a security_repo that is INTERNAL (isPrivate true, readable by the whole enterprise) gets nothing", async () => {
    const warnings: string[] = [];
    const probot = probotWithLog(warnings);
    mockToken(gh);
    mockConfig(gh, "acme", "product", "public_reports: transfer\nsecurity_repo: acme/everyone-can-read\n");
    mockIdentity(gh);
    gh.api.post("/graphql").reply(200, { data: { repository: { id: "R_internal", visibility: "INTERNAL", isPrivate: true }, issue: { number: 12, repository: { id: "R_product" }, labels: { nodes: [] } } } });
    const notice = { body: "" };
    mockNotice(notice);
    await probot.receive(publicLabel());
    expect(notice.body).toContain("Please report it privately instead");
    expect(notice.body).not.toContain("being moved");
    expect(gh.requests.filter((r) => r.operationId === "graphql")).toHaveLength(1); // no transferIssue
    expect(gh.requests.filter((r) => /everyone-can-read/.test(r.path))).toEqual([]);
    expect(warnings.join("\n")).toContain("its visibility is internal, not private");
  });

  it("refuses a public security_repo too", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "product", "public_reports: transfer\nsecurity_repo: acme/oops\n");
    mockIdentity(gh);
    gh.api.post("/graphql").reply(200, targetAnswer("PUBLIC"));
    const notice = { body: "" };
    mockNotice(notice);
    await probot.receive(publicLabel());
    expect(notice.body).toContain("Please report it privately instead");
    expect(gh.requests.filter((r) => r.operationId === "graphql")).toHaveLength(1);
  });

  it("a security_repo that does not resolve (GraphQL NOT_FOUND): the notice still posts, the problem goes to the log, nothing about it on the public issue", async () => {
    const warnings: string[] = [];
    const probot = probotWithLog(warnings);
    mockToken(gh);
    mockConfig(gh, "acme", "product", "public_reports: transfer\nsecurity_repo: acme/securty\n");
    mockIdentity(gh);
    gh.api.post("/graphql").reply(200, {
      data: { repository: null, issue: { number: 12, repository: { id: "R_product" }, labels: { nodes: [] } } },
      errors: [{ type: "NOT_FOUND", path: ["repository"], message: "Could not resolve to a Repository with the name 'acme/securty'." }],
    });
    const notice = { body: "" };
    mockNotice(notice);
    await probot.receive(publicLabel());
    expect(notice.body).toContain("Please report it privately instead");
    expect(notice.body).not.toContain("being moved");
    expect(notice.body).not.toContain("securty");
    expect(warnings.join("\n")).toMatch(/cannot transfer to acme\/securty \(config security_repo\): no such repository/);
    expect(gh.leaks(SECRETS)).toEqual([]);
  });

  it("GitHub refusing the transfer itself is logged, not thrown", async () => {
    const warnings: string[] = [];
    const probot = probotWithLog(warnings);
    mockToken(gh);
    mockConfig(gh, "acme", "product", TRANSFER);
    mockIdentity(gh);
    gh.api.post("/graphql").reply(200, targetAnswer("PRIVATE"));
    mockNotice({ body: "" });
    gh.api.post("/graphql").reply(200, { data: { transferIssue: null }, errors: [{ type: "FORBIDDEN", path: ["transferIssue"], message: "Resource not accessible by integration" }] });
    await probot.receive(publicLabel());
    expect(warnings.join("\n")).toContain("GitHub refused to transfer the issue to acme/security: ");
  });

  it("a secondary rate limit on the transfer fails the event (not taken as a refusal), and the redelivery moves the issue under the one notice", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    for (let i = 0; i < 2; i++) mockConfig(gh, "acme", "product", TRANSFER);
    const stored: StoredComment[] = [];
    gh.api.post("/graphql", (b) => !/transferIssue/.test(b.query)).times(2).reply(200, targetAnswer("PRIVATE"));
    gh.api.get(`${PUBLIC_ISSUE}/comments`).query(true).times(2).reply(200, () => commentList(stored));
    mockNoOverrides(gh, "acme", "product");
    gh.api.post(`${PUBLIC_ISSUE}/comments`).reply(201, (_u, b: any) => (stored.push({ id: 1, body: b.body, user: { login: BOT, type: "Bot" } }), { id: 1 }));
    gh.api
      .post("/graphql", (b) => /transferIssue/.test(b.query))
      .reply(403, { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }, { "retry-after": "60" });
    const event = publicLabel();
    await expect(probot.receive(event)).rejects.toThrow(/secondary rate limit/);
    expect(stored[0]?.body).toContain("being moved to the project's private security tracker");

    gh.api.post("/graphql", (b) => /transferIssue/.test(b.query)).reply(200, { data: { transferIssue: { issue: { number: 31 } } } });
    let label: string[] = [];
    gh.api.post("/repos/acme/security/issues/31/labels", (b) => ((label = b.labels), true)).reply(200, []);
    await probot.receive(event);
    expect(label).toEqual(["security"]);
    expect(stored).toHaveLength(1);
  });

  it("a secondary rate limit on the security repo's lookup fails the event before the notice, instead of giving up the transfer", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "product", TRANSFER);
    mockIdentity(gh);
    gh.api.post("/graphql").reply(403, { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }, { "retry-after": "60" });
    await expect(probot.receive(publicLabel())).rejects.toThrow(/secondary rate limit/);
    expect(gh.requests.filter((r) => r.method === "POST" && r.operationId !== "graphql" && !r.path.startsWith("/app/"))).toEqual([]);
  });

  it("attack: `opened` and `labeled` at the same moment post one notice and attempt one transfer", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    for (let i = 0; i < 2; i++) mockConfig(gh, "acme", "product", TRANSFER);
    const stored: StoredComment[] = [];
    let issueIn = "R_product";
    let labels: string[] = [];
    gh.api
      .post("/graphql", (b) => /query/.test(b.query) && !/mutation/.test(b.query))
      .times(2)
      .delay(20)
      .reply(200, () => targetAnswer("PRIVATE", issueIn, labels));
    gh.api.get(`${PUBLIC_ISSUE}/comments`).query(true).times(2).delay(20).reply(200, () => commentList(stored));
    mockNoOverrides(gh, "acme", "product");
    gh.api.post(`${PUBLIC_ISSUE}/comments`).reply(201, (_u, b: any) => (stored.push({ id: 1, body: b.body, user: { login: BOT, type: "Bot" } }), { id: 1 }));
    gh.api.post("/graphql", (b) => /transferIssue/.test(b.query)).reply(200, () => ((issueIn = "R_security"), { data: { transferIssue: { issue: { number: 31 } } } }));
    gh.api.post("/repos/acme/security/issues/31/labels").reply(200, (_u, b: any) => ((labels = b.labels), []));

    const shape = { owner: "acme", repo: "product", private: false, number: 12, title: TITLE, body: BODY, labels: ["security"] };
    await Promise.all([probot.receive(openedEvent(shape)), probot.receive(labeledEvent(shape))]);

    expect(stored).toHaveLength(1);
    expect(gh.requests.filter((r) => r.operationId === "graphql" && /transferIssue/.test(String((r.body as any).query)))).toHaveLength(1);
    expect(gh.requests.filter((r) => r.path === "/repos/acme/security/issues/31/labels")).toHaveLength(1);
  });
});

describe("config text in the public notice", () => {
  it("report_instructions cannot ping anyone or inject a marker", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "product", 'report_instructions: "@acme/everyone <!-- embargo:response --> write to @alice"\n');
    mockIdentity(gh);
    const notice = { body: "" };
    mockNotice(notice);
    await probot.receive(publicLabel());
    expect(notice.body).toContain("acme/everyone");
    expect(notice.body).not.toMatch(/@(?!\u200b)[A-Za-z]/);
    expect(notice.body.split("<!--")).toHaveLength(2); // only the app's own notice marker
    expect(notice.body.startsWith(PUBLIC_NOTICE_MARKER)).toBe(true);
  });

  it("links to the reporting form of the GitHub the event came from", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "product", null);
    mockIdentity(gh);
    const notice = { body: "" };
    mockNotice(notice);
    const event = publicLabel();
    event.payload.repository.html_url = "https://github.example.com/acme/product";
    await probot.receive(event);
    expect(notice.body).toContain("https://github.example.com/acme/product/security/advisories/new");
  });
});
