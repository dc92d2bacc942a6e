import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PUBLIC_NOTICE_MARKER } from "../../src/record/markers.js";
import { BOT, commentList, createTestProbot, labeledEvent, mockConfig, mockIdentity, mockNoOverrides, mockToken } from "../helpers/app.js";
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
  return labeledEvent({ owner: "acme", repo: "product", private: false, number: 12, title: TITLE, body: BODY });
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

  it("with `public_reports: transfer`, moves the issue to the private security repo and labels it there", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "product", "public_reports: transfer\nsecurity_repo: acme/security\n");
    mockIdentity(gh);
    const graphql: any[] = [];
    gh.api
      .post("/graphql", (b) => (graphql.push(b), true))
      .reply(200, { data: { repository: { id: "R_security", isPrivate: true } } });
    gh.api.get(`${PUBLIC_ISSUE}/comments`).query(true).reply(200, []);
    mockNoOverrides(gh, "acme", "product");
    let notice = "";
    gh.api.post(`${PUBLIC_ISSUE}/comments`, (b) => ((notice = b.body), true)).reply(201, { id: 1 });
    gh.api
      .post("/graphql", (b) => (graphql.push(b), true))
      .reply(200, { data: { transferIssue: { issue: { number: 31 } } } });
    let label: string[] = [];
    gh.api.post("/repos/acme/security/issues/31/labels", (b) => ((label = b.labels), true)).reply(200, []);

    const event = publicLabel();
    await probot.receive(event);

    expect(notice).toContain("being moved to the project's private security tracker");
    expect(graphql[1].query).toContain("transferIssue");
    expect(graphql[1].variables).toEqual({ issue: event.payload.issue.node_id, repo: "R_security" });
    expect(label).toEqual(["security"]);
    expect(gh.leaks(SECRETS)).toEqual([]);
  });

  it("refuses to transfer into a repository that is not private, and still posts the notice", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "product", "public_reports: transfer\nsecurity_repo: acme/oops\n");
    mockIdentity(gh);
    gh.api.post("/graphql").reply(200, { data: { repository: { id: "R_oops", isPrivate: false } } });
    gh.api.get(`${PUBLIC_ISSUE}/comments`).query(true).reply(200, []);
    mockNoOverrides(gh, "acme", "product");
    let notice = "";
    gh.api.post(`${PUBLIC_ISSUE}/comments`, (b) => ((notice = b.body), true)).reply(201, { id: 1 });
    await probot.receive(publicLabel());
    expect(notice).toContain("Please report it privately instead");
    expect(gh.requests.filter((r) => r.operationId === "graphql")).toHaveLength(1);
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
