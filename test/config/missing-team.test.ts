import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commentEvent, createTestProbot, mockConfig, mockIdentity, mockToken } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const ISSUE = "/repos/acme/security/issues/7";

/** A command from an admin while the config names a team GitHub does not know (any more). */
async function commandWithUnreadableTeam(team: string, owner = "acme") {
  const probot = createTestProbot();
  mockToken(gh);
  mockIdentity(gh);
  mockConfig(gh, owner, "security", `team: ${team}\n`);
  const issue = `/repos/${owner}/security/issues/7`;
  gh.api.get(`${issue}/comments`).query(true).reply(200, []);
  const [org, slug] = team.split("/");
  gh.api.get(`/orgs/${org}/teams/${slug}/memberships/alice`).reply(404, { message: "Not Found" });
  gh.api.get(`/orgs/${org}/teams/${slug}`).reply(404, { message: "Not Found" });
  let body = "";
  gh.api.post(`${issue}/comments`, (b) => ((body = b.body), true)).reply(201, { id: 1 });
  await probot.receive(commentEvent({ owner, commentBody: "/triage confirm", sender: "alice" }));
  return body;
}

describe("a configured team that cannot be read", () => {
  it("a renamed team: the reply names `team`, says nobody can run commands, and how to fix it; nothing else changes", async () => {
    const body = await commandWithUnreadableTeam("acme/old-security");
    expect(body).toContain("embargo could not use its configuration");
    expect(body).toContain("the team `acme/old-security` (config `team`) cannot be read");
    expect(body).toContain("nobody can run embargo commands here, admins included");
    expect(body).toContain("set `team` to an existing team as `org/team-slug`");
    expect(body).toContain("or remove `team`");
    expect(body).toContain("then write the command again");
    expect(body).not.toContain("re-add");
    // One comment; no reaction, no label, no record written.
    expect(gh.requests.filter((r) => r.method !== "GET" && !r.path.startsWith("/app/"))).toHaveLength(1);
  });

  it("a team on a user-owned repository (teams exist only in organisations) is reported the same way", async () => {
    const body = await commandWithUnreadableTeam("someone/security", "someone");
    expect(body).toContain("the team `someone/security` (config `team`) cannot be read");
    expect(body).toContain("teams exist only in organisations");
  });

  it("is said once: a redelivered command does not repeat the reply", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    const stored: { id: number; body: string; user: { login: string; type: string } }[] = [];
    for (let i = 0; i < 2; i++) {
      mockConfig(gh, "acme", "security", "team: acme/old-security\n");
      gh.api.get("/orgs/acme/teams/old-security/memberships/alice").reply(404, { message: "Not Found" });
      gh.api.get("/orgs/acme/teams/old-security").reply(404, { message: "Not Found" });
    }
    gh.api
      .get(`${ISSUE}/comments`)
      .query(true)
      .times(2)
      .reply(200, () => stored.map((c) => ({ id: c.id, body: c.body, user: { login: c.user.login, id: 1, type: c.user.type } })));
    gh.api.post(`${ISSUE}/comments`).reply(201, (_u, b: any) => (stored.push({ id: 1, body: b.body, user: { login: "embargo[bot]", type: "Bot" } }), { id: 1 }));
    const event = commentEvent({ commentBody: "/triage confirm", sender: "alice" });
    await probot.receive(event);
    await probot.receive(event);
    expect(stored).toHaveLength(1);
  });
});
