import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestProbot, labeledEvent, mockConfig, mockIdentity, mockNoOverrides, mockOverrides, mockToken, recordOf } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const ISSUE = "/repos/acme/security/issues/7";

function mockOverride(source: string) {
  mockOverrides(gh, "acme", "security", { "response.hbs": source });
}

function mockIntake() {
  mockToken(gh);
  mockConfig(gh, "acme", "security", null);
  mockIdentity(gh);
  gh.api.get(`${ISSUE}/comments`).query(true).reply(200, []);
  gh.api.post(`${ISSUE}/labels`).reply(200, []);
}

describe("templates", () => {
  it("uses the repo's override of the response template, and keeps the app's record", async () => {
    const probot = createTestProbot();
    mockIntake();
    mockOverride("## Our own response\nState: {{state}}\n{{#each phases}}{{#each items}}- [{{#if done}}x{{else}} {{/if}}] {{text}} {{marker}}\n{{/each}}{{/each}}");
    let body = "";
    gh.api.post(`${ISSUE}/comments`, (b) => ((body = b.body), true)).reply(201, { id: 1 });
    await probot.receive(labeledEvent());
    expect(body).toContain("## Our own response\nState: Triage");
    expect(body).not.toContain("### Security response");
    expect(recordOf(body).state).toBe("triage");
  });

  it("falls back to the built-in template when the override does not compile, and says why", async () => {
    const probot = createTestProbot();
    mockIntake();
    mockOverride("{{#each phases}} never closed");
    let body = "";
    gh.api.post(`${ISSUE}/comments`, (b) => ((body = b.body), true)).reply(201, { id: 1 });
    await probot.receive(labeledEvent());
    expect(body).toContain("### Security response");
    expect(body).toContain("`.github/embargo/response.hbs` could not be rendered");
  });

  it("renders a reporter's @mentions and HTML harmless", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockConfig(gh, "acme", "security", null);
    mockIdentity(gh);
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, []);
    mockNoOverrides(gh, "acme", "security");
    gh.api.post(`${ISSUE}/labels`).reply(200, []);
    let body = "";
    gh.api.post(`${ISSUE}/comments`, (b) => ((body = b.body), true)).reply(201, { id: 1 });
    await probot.receive(labeledEvent({ title: "Ping @acme/everyone and @octocat <script>alert(1)</script> | <!-- x -->" }));
    expect(body).not.toMatch(/@acme\/everyone|@octocat/);
    expect(body).toContain("@\u200bacme/everyone");
    expect(body).toContain("@\u200boctocat");
    expect(body).not.toContain("<script>");
    expect(body).toContain("&lt;script&gt;");
    expect(body).not.toContain("<!-- x -->");
    // The pipe cannot end the table cell early.
    expect(body).toMatch(/\| \*\*Report\*\* \| Ping .*\\\| .* \(reported by reporter\) \|/);
  });
});
