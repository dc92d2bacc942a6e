import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { replyMarker } from "../../src/record/markers.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { fakeSecurityIssue, sendCommand } from "../helpers/security-issue.js";
import { commentList } from "../helpers/app.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const CONFIG = "incident_contacts: [ia-lead, acme/incident-response]\n";

describe("/triage breach", () => {
  it("mentions the incident contacts, adds `security: breach`, posts the checklist, records and ticks it", async () => {
    const f = await fakeSecurityIssue(gh, { yaml: CONFIG });
    await sendCommand(gh, f, "/triage breach Logs show the endpoint used from an unknown address.");

    expect(f.replies).toHaveLength(1);
    const reply = f.replies[0]!;
    expect(reply).toMatch(/^@ia-lead @acme\/incident-response — @alice escalated this report as a \*\*suspected breach\*\*/);
    expect(reply).toContain("> Logs show the endpoint used from an unknown address.");
    expect(reply).toContain("- [ ] Evidence preserved");
    expect(reply).toContain(replyMarker("breach"));
    expect(f.added).toEqual(["security: breach"]);
    expect(f.removed).toEqual([]);
    expect(f.record.breach).toMatchObject({ by: "alice", note: "Logs show the endpoint used from an unknown address." });
    expect(f.record.ticks["intake.breach"]?.by).toBe("app");
    expect(f.response).toMatch(/\| \*\*Breach\*\* \| \*\*suspected\*\* — escalated by alice on 2026-11-22/);
    expect(f.response).toMatch(/- \[x\] If a breach may already have happened/);
  });

  it("without incident_contacts: still escalates, says whom to add, and leaves the box open", async () => {
    const f = await fakeSecurityIssue(gh, { yaml: null });
    await sendCommand(gh, f, "/triage breach");
    expect(f.replies[0]).toMatch(/^@alice escalated this report as a \*\*suspected breach\*\*\. No `incident_contacts` are configured/);
    expect(f.added).toEqual(["security: breach"]);
    expect(f.record.ticks["intake.breach"]).toBeUndefined();
  });

  it("escalated before incident_contacts were configured: once they are, /triage breach alerts them (once) before it ticks the box", async () => {
    const f = await fakeSecurityIssue(gh, { yaml: null });
    await sendCommand(gh, f, "/triage breach Logs show access from an unknown address.");
    expect(f.replies[0]).toMatch(/No `incident_contacts` are configured: alert your incident/);
    expect(f.record.ticks["intake.breach"]).toBeUndefined();
    expect(f.response).toContain("(no incident contact was configured to alert: the next `/triage breach` alerts them once `incident_contacts` lists them)");

    // As the reply asked: the contacts added to the config, and the breach escalated again.
    f.yaml = CONFIG;
    gh.api.get("/repos/acme/security/issues/7/comments").query({ per_page: 100 }).reply(200, () => commentList(f.comments));
    await sendCommand(gh, f, "/triage breach", { commentId: 9002 });
    expect(f.replies).toHaveLength(2);
    expect(f.replies[1]).toMatch(/^@ia-lead @acme\/incident-response — @alice escalated this report as a \*\*suspected breach\*\*/);
    expect(f.replies[1]).toContain("> Logs show access from an unknown address.");
    expect(f.record.ticks["intake.breach"]?.by).toBe("app");
    expect(f.record.breach).toMatchObject({ by: "alice", note: "Logs show access from an unknown address." });
    expect(f.response).not.toContain("no incident contact was configured");

    // Told once: a third escalation, or the second one delivered again, mentions nobody again.
    gh.api.get("/repos/acme/security/issues/7/comments").query({ per_page: 100 }).reply(200, () => commentList(f.comments));
    await sendCommand(gh, f, "/triage breach still", { commentId: 9003 });
    expect(f.replies).toHaveLength(2);
  });

  it("a person without the role is refused and nothing changes", async () => {
    const f = await fakeSecurityIssue(gh, { yaml: CONFIG });
    const before = f.response;
    await sendCommand(gh, f, "/triage breach", { sender: "mallory", role: "read" });
    expect(f.replies).toHaveLength(1);
    expect(f.replies[0]).toMatch(/mallory/);
    expect(f.replies[0]).not.toMatch(/@ia-lead|suspected breach/);
    expect(f.added).toEqual([]);
    expect(f.response).toBe(before);
  });

  it("a redelivery, and a second /triage breach, post nothing again; the first escalation stays recorded", async () => {
    const f = await fakeSecurityIssue(gh, { yaml: CONFIG });
    const event = await sendCommand(gh, f, "/triage breach first");
    const first = f.record.breach;
    await sendCommand(gh, f, "/triage breach first", { id: event.id });
    // The escalation is said once per issue: whether it was is looked for in the whole list.
    gh.api.get("/repos/acme/security/issues/7/comments").query({ per_page: 100 }).reply(200, () => commentList(f.comments));
    await sendCommand(gh, f, "/triage breach again", { commentId: 9002, sender: "bob" });
    expect(f.replies).toHaveLength(1);
    expect(f.added).toEqual(["security: breach"]);
    expect(f.record.breach).toEqual(first);
  });

  it("the breach label stays when the state changes", async () => {
    const f = await fakeSecurityIssue(gh, { yaml: CONFIG });
    await sendCommand(gh, f, "/triage breach");
    await sendCommand(gh, f, "/triage confirm", { commentId: 9002 });
    expect(f.labels).toEqual(expect.arrayContaining(["security: breach", "security: confirmed"]));
    expect(f.removed).toEqual(["security: triage"]);
  });
});
