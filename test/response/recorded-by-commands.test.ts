import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load-config.js";
import { recordMarker } from "../../src/record/markers.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { renderResponse } from "../../src/response/render-response.js";
import { KeyRing } from "../../src/security/key-ring.js";
import { BOT, commentEvent, commentList, createTestProbot, mockConfig, mockIdentity, mockNoOverrides, mockToken, recordOf, RENDER_CONTEXT, type StoredComment } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const ISSUE = "/repos/acme/security/issues/7";

async function responseBody(record: ResponseRecord) {
  const result = validateConfig(null);
  if (!result.ok) throw new Error();
  return renderResponse(record, result.config, { title: "Report", reporter: "reporter" }, undefined, RENDER_CONTEXT);
}

/** One command comment by `lead1`, an admin of acme/security, on an issue whose response comment holds `body`. */
async function command(body: string, line: string, overrides = true) {
  const stored: StoredComment[] = [{ id: 555, body, user: { login: BOT, type: "Bot" } }];
  const out = { replies: [] as string[], assigned: [] as string[], patched: 0, closed: [] as string[] };
  mockToken(gh);
  mockIdentity(gh);
  mockConfig(gh, "acme", "security", null);
  gh.api.get(`${ISSUE}/comments`).query(true).reply(200, () => commentList(stored));
  gh.api.get("/repos/acme/security/collaborators/lead1/permission").reply(200, { permission: "admin", role_name: "admin", user: { login: "lead1", id: 1, type: "User" } });
  if (overrides) mockNoOverrides(gh, "acme", "security");
  // The issue as it is now: labels and state are read from GitHub, not from the event.
  gh.api.get(ISSUE).optionally().reply(200, { number: 7, title: "Report", state: "open", user: { login: "reporter" }, assignees: [], labels: [{ name: "security" }, { name: "security: triage" }] });
  const w = gh.scope().persist();
  w.patch("/repos/acme/security/issues/comments/555").optionally().reply(200, (_u, b: any) => (out.patched++, (stored[0]!.body = b.body), { id: 555 }));
  w.post(`${ISSUE}/comments`).optionally().reply(201, (_u, b: any) => (out.replies.push(b.body), { id: 1 }));
  w.post(/\/reactions$/).optionally().reply(201, { id: 1, content: "+1" });
  w.post(`${ISSUE}/labels`).optionally().reply(200, []);
  w.delete(/\/labels\/.+$/).optionally().reply(200, []);
  w.post(`${ISSUE}/assignees`).optionally().reply(201, (_u, b: any) => (out.assigned.push(...b.assignees), { number: 7, assignees: b.assignees.map((login: string) => ({ login })) }));
  w.patch(ISSUE).optionally().reply(200, (_u, b: any) => (out.closed.push(b.state_reason), { number: 7 }));
  await createTestProbot().receive(commentEvent({ commentBody: line, sender: "lead1" }));
  return { ...out, body: stored[0]!.body };
}

const triage = () => ({ ...newRecord(new Date("2026-11-20T09:30:00Z"), new Date("2026-11-20T09:31:00Z")), triager: "tri-a" });

describe("commands record who decided and when, and the response shows it", () => {
  it("/triage owner @login changes the owner and assigns them", async () => {
    const out = await command(await responseBody(triage()), "/triage owner @tri-b");
    expect(recordOf(out.body).triager).toBe("tri-b");
    expect(out.assigned).toEqual(["tri-b"]);
    expect(out.body).toContain("| **Owner** | @tri-b |");
    expect(out.body).toMatch(/- \[x\] Triager assigned/);
  });

  it("/triage owner refuses anything but one login, and changes nothing", async () => {
    const out = await command(await responseBody(triage()), "/triage owner @a @b");
    expect(recordOf(out.body).triager).toBe("tri-a");
    expect(out.assigned).toEqual([]);
    expect(out.replies.join()).toContain("name exactly one person");
  });

  it("/triage confirm records who confirmed and when", async () => {
    const out = await command(await responseBody(triage()), "/triage confirm");
    expect(recordOf(out.body).confirmed).toEqual({ by: "lead1", at: "2026-11-22T12:00:00.000Z" });
    expect(out.body).toContain("| **Confirmed** | by @\u200blead1 on 2026-11-22 |");
  });

  it("/triage no-action records who decided; the closed response shows the reason, who and when", async () => {
    const out = await command(await responseBody(triage()), "/triage no-action We do not ship the module");
    expect(recordOf(out.body).decided).toEqual({ by: "lead1", at: "2026-11-22T12:00:00.000Z" });
    expect(out.body).toContain("> **Closed, no action needed by @\u200blead1 on 2026-11-22: We do not ship the module**");
    expect(out.closed).toEqual(["completed"]);
  });

  it("attack: a record marker edited by a person (state → confirmed, re-signed with a guessed key) lets no command run", async () => {
    const honest = await responseBody(triage());
    const forged = honest.replace(/<!-- embargo:record:v2 [^>]*-->/, recordMarker({ ...triage(), state: "confirmed" }, new KeyRing("guessed"), "acme/security#7"));
    const out = await command(forged, "/triage cve CVE-2026-1234", false);
    expect(out.patched).toBe(0);
    expect(out.replies).toHaveLength(1);
    expect(out.replies[0]).toMatch(/record .* edit/i);
  });
});
