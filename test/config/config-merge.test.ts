import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readConfig } from "../../src/handlers/response-context.js";
import { readConfigFrom } from "../../src/github/read-config.js";
import { createTestProbot, INSTALLATION_ID, labeledEvent, mockIdentity, mockNoOverrides, mockToken } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { MemoryStore } from "../../src/store/memory-store.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const ISSUE = "/repos/acme/security/issues/7";
const file = (owner: string, repo: string) => `/repos/${owner}/${repo}/contents/${encodeURIComponent(".github/embargo.yml")}`;
const yamlReply = (yaml: string) => [200, yaml, { "content-type": "text/plain; charset=utf-8" }] as const;

/** The repo's file extends the org's `.github` file; both list people. */
function mockExtendingFiles(repoYaml: string, orgYaml: string) {
  gh.api.get(file("acme", "security")).reply(...yamlReply(repoYaml));
  gh.api.get(file("acme", ".github")).reply(...yamlReply(orgYaml));
}

/** A new response whose triage rotation is observable in the assignment the app makes. */
function expectResponseAssigning(login: string) {
  mockNoOverrides(gh, "acme", "security");
  gh.api.get(`${ISSUE}/comments`).query(true).reply(200, []);
  gh.api.get("/repos/acme/security/issues").query(true).reply(200, [{ number: 7 }]);
  gh.api.post(`${ISSUE}/assignees`, { assignees: [login] }).reply(201, { number: 7, assignees: [{ login }] });
  gh.api.post(`${ISSUE}/comments`).reply(201, { id: 555 });
  gh.api.post(`${ISSUE}/labels`).reply(200, []);
}

describe("config from _extends and the org's .github repo", () => {
  it("with the app's store the validated config is shared, frozen: no caller can change it for later events", async () => {
    const probot = createTestProbot();
    const octokit = await (mockToken(gh), probot.auth(INSTALLATION_ID));
    gh.api.get(file("acme", "security")).reply(...yamlReply("release_managers: [rm-1]\n"));
    const result = await readConfigFrom(octokit, "acme", "security", new MemoryStore());
    if (!result.ok) throw new Error(result.problems.join("; "));
    expect(() => result.config.release_managers.push("rm-2")).toThrow(TypeError);
    expect(result.config.release_managers).toEqual(["rm-1"]);
  });

  it("a list in the repo's file replaces the extended file's list: a login in both is not a duplicate", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    mockExtendingFiles("_extends: .github\ntriage_rotation: [tri-b, tri-c]\n", "triage_rotation: [tri-b]\nlabel: security\n");
    expectResponseAssigning("tri-b");
    await probot.receive(labeledEvent());
    // No config-error comment: the only comment posted is the response (the mock above), and the
    // rotation is the repo's own list, starting at its first login.
    expect(gh.requests.filter((r) => r.method === "POST" && r.path === `${ISSUE}/comments`)).toHaveLength(1);
  });

  it("the repo's list wins over the org's, not the org's first entry", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    mockExtendingFiles("_extends: .github\ntriage_rotation: [tri-z]\n", "triage_rotation: [tri-a, tri-b]\n");
    expectResponseAssigning("tri-z");
    await probot.receive(labeledEvent());
  });

  it("mappings merge key by key: the org's public_pr settings stay unless the repo changes them", async () => {
    const probot = createTestProbot();
    const octokit = await (mockToken(gh), probot.auth(INSTALLATION_ID));
    const repoYaml = "_extends: .github\npublic_pr: { check_name: fix gate }\nrelease_managers: [rm-2]\n";
    const orgYaml = "public_pr: { priority_label: urgent, leak_words: [secret-word] }\nrelease_managers: [rm-1, rm-2]\n";
    mockExtendingFiles(repoYaml, orgYaml);
    const viaEvent = await readConfig({ octokit, repo: <T>(o?: T) => ({ owner: "acme", repo: "security", ...o }) } as never);
    mockExtendingFiles(repoYaml, orgYaml);
    const viaPr = await readConfigFrom(octokit, "acme", "security");

    expect(viaEvent).toEqual(viaPr);
    expect(viaEvent.ok).toBe(true);
    const config = viaEvent.ok ? viaEvent.config : undefined;
    expect(config?.public_pr).toMatchObject({ check_name: "fix gate", priority_label: "urgent", leak_words: ["secret-word"] });
    expect(config?.release_managers).toEqual(["rm-2"]);
  });

  it("the org's .github file alone is the config of a repo without one, on both paths", async () => {
    const probot = createTestProbot();
    const octokit = await (mockToken(gh), probot.auth(INSTALLATION_ID));
    for (let i = 0; i < 2; i++) {
      gh.api.get(file("acme", "product")).reply(404, { message: "Not Found" });
      gh.api.get(file("acme", ".github")).reply(...yamlReply("security_repo: acme/security\nrelease_managers: [rm-1]\n"));
    }
    const viaEvent = await readConfig({ octokit, repo: <T>(o?: T) => ({ owner: "acme", repo: "product", ...o }) } as never);
    const viaPr = await readConfigFrom(octokit, "acme", "product");
    expect(viaEvent).toEqual(viaPr);
    expect(viaPr.ok && viaPr.config.security_repo).toBe("acme/security");
  });
});
