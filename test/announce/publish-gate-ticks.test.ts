/**
 * The fixes gate counts a "Patched on" box ticked by hand only when a member of the security team
 * ticked it (README, "Publish gates"): anyone else with write access can edit the response
 * comment, and must not open the gate for a publish.
 */
import { describe, expect, it } from "vitest";
import { commentEvent, INSTALLATION_ID, isResponse } from "../helpers/app.js";
import type { GitHubMock } from "../helpers/github-api.js";
import { AFTER_END, BEFORE_END, checkEachTest, expectPublishedOnce, readyRecord, RESPONSE_ID, SECURITY_CONFIG, world, type World } from "./world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

function tickBox(body: string, text: string): string {
  return body.split("\n").map((l) => (l.includes(text) && l.includes("embargo:item") ? l.replace(/^- \[ \]/, "- [x]") : l)).join("\n");
}

describe("/announce publish: the fixes gate and boxes ticked by hand", () => {
  it("a 'Patched on' box ticked by someone outside the security team does not pass the gate", async () => {
    w = await world(gh, { record: readyRecord({ patched: [] }) });
    w.fake.roles.set("mallory", "write");
    const response = w.fake.comments.find((c) => c.id === RESPONSE_ID)!;
    const before = response.body;
    const edited = tickBox(before, "Patched on `main`");
    expect(edited).not.toBe(before);
    response.body = edited;
    const event = commentEvent({ action: "edited", commentId: RESPONSE_ID, commentBody: edited, previousBody: before, sender: "mallory", labels: ["security", "security: fixed", "severity: critical"] });
    event.payload.comment.user = { ...event.payload.comment.user, login: "embargo[bot]", type: "Bot" };
    event.payload.installation = { id: INSTALLATION_ID, node_id: "x" };
    await w.probot(BEFORE_END).receive(event as never);
    await w.send("/announce publish", { now: AFTER_END });
    expect(w.fake.advisories.filter((a) => a.state === "published")).toEqual([]);
    expect(w.fake.pulls).toEqual([]);
    expect(w.replies().join("\n")).toContain("branches not patched: `main`");
    expect(w.fake.commentsOn("acme/security", 7).filter((c) => isResponse(c.body))).toHaveLength(1);
  });

  it("nor when alice's command is handled before mallory's edit event (the box is folded in as a tick by hand)", async () => {
    w = await world(gh, { record: readyRecord({ patched: [] }) });
    w.fake.roles.set("mallory", "write");
    // Mallory ticks the box; GitHub's edit event for it is still on its way when alice publishes.
    const response = w.fake.comments.find((c) => c.id === RESPONSE_ID)!;
    response.body = tickBox(response.body, "Patched on `main`");
    await w.send("/announce publish", { now: AFTER_END });
    expect(w.fake.advisories.filter((a) => a.state === "published")).toEqual([]);
    expect(w.replies().join("\n")).toContain("branches not patched: `main`");
  });

  it("a box a member of the security team ticked still passes the gate", async () => {
    w = await world(gh, { record: readyRecord({ patched: [] }) });
    w.fake.roles.set("bob", "maintain");
    await tickAs(w, "bob");
    expect(w.record.ticks["fix.branch:main"]?.by).toBe("bob");
    await w.send("/announce publish", { now: AFTER_END });
    expectPublishedOnce(w);
    expect(w.replies().join("\n")).not.toContain("fails:");
  });

  it("says who ticked a box that does not count; --force still publishes past it", async () => {
    w = await world(gh, { record: readyRecord({ patched: [] }) });
    w.fake.roles.set("mallory", "write");
    await tickAs(w, "mallory");
    await w.send("/announce publish", { now: AFTER_END });
    // Named, not pinged.
    expect(w.replies().at(-1)).toContain('Gate "Fixes merged and every supported branch patched" fails: branches not patched: `main` (merge a linked fix into each, or have a member of the security team tick its "Patched on" box when the fix was made elsewhere, e.g. in a temporary private fork); `main`: ticked by @\u200bmallory, who is not in the security team: a member must untick and tick it again.');
    expect(w.fake.advisories.filter((a) => a.state === "published")).toEqual([]);
    // Nothing but the reply was written: the box, and who ticked it, stay as they were.
    expect(w.record.ticks["fix.branch:main"]?.by).toBe("mallory");
    expect(w.record.publish_steps).toBeUndefined();
    await w.send("/announce publish --force the fix shipped from the private fork", { now: AFTER_END });
    expect(w.record.forced).toMatchObject({ by: "alice", gates: ["fixes"] });
    expectPublishedOnce(w);
  });

  it("a box whose ticker GitHub has not named yet: 'try again in a minute', and it passes once the edit event names a member", async () => {
    w = await world(gh, { record: readyRecord({ patched: [] }) });
    w.fake.roles.set("bob", "maintain");
    const response = w.fake.comments.find((c) => c.id === RESPONSE_ID)!;
    const before = response.body;
    response.body = tickBox(before, "Patched on `main`");
    await w.send("/announce publish", { now: AFTER_END });
    expect(w.replies().at(-1)).toContain("branches not patched: `main` (");
    expect(w.replies().at(-1)).toContain("; `main`: ticked, but GitHub has not yet said by whom; try again in a minute, or have a member of the security team untick and tick it again.");
    expect(w.fake.advisories.filter((a) => a.state === "published")).toEqual([]);
    await receiveEdit(w, "bob", before, response.body);
    expect(w.record.ticks["fix.branch:main"]?.by).toBe("bob");
    await w.send("/announce publish", { now: AFTER_END });
    expectPublishedOnce(w);
  });
});

describe("with a security team configured (`team`)", () => {
  const TEAM_YAML = `${SECURITY_CONFIG}team: acme/sec\n`;
  const reads = (op: string) => gh.requests.filter((r) => r.operationId === op).map((r) => r.path.split("/").at(-1));

  it("a member's tick costs one membership read and no read of the team", async () => {
    w = await world(gh, { record: readyRecord({ patched: [] }), yaml: TEAM_YAML });
    w.fake.teams.set("acme/sec", ["alice", "bob"]);
    await tickAs(w, "bob");
    const start = gh.requests.length;
    await w.send("/announce publish", { now: AFTER_END });
    expectPublishedOnce(w);
    const ops = gh.requests.slice(start).map((r) => r.operationId);
    expect(ops.filter((op) => op?.startsWith("teams/"))).toEqual(["teams/get-membership-for-user-in-org", "teams/get-membership-for-user-in-org"]);
  });

  it("a tick by someone outside the team says so, and not that the team cannot be read", async () => {
    w = await world(gh, { record: readyRecord({ patched: [] }), yaml: TEAM_YAML });
    w.fake.teams.set("acme/sec", ["alice"]);
    w.fake.roles.set("mallory", "write");
    await tickAs(w, "mallory");
    await w.send("/announce publish", { now: AFTER_END });
    const reply = w.replies().at(-1)!;
    expect(reply).toContain("`main`: ticked by @\u200bmallory, who is not in the security team: a member must untick and tick it again.");
    expect(reply).not.toContain("cannot be read");
    expect(w.fake.advisories.filter((a) => a.state === "published")).toEqual([]);
    // Her 404 was told apart from a team that cannot be read by one read of the team.
    expect(reads("teams/get-by-name")).toEqual(["sec"]);
  });

  it("when the team cannot be read (renamed after the author's check), the reply says so and how to fix it, and blames nobody", async () => {
    w = await world(gh, { record: readyRecord({ patched: [] }), yaml: TEAM_YAML });
    w.fake.teams.set("acme/sec", ["alice"]);
    w.fake.roles.set("mallory", "write");
    await tickAs(w, "mallory");
    // Alice's own check finds the team; by the time mallory's tick is checked it is gone.
    w.fake.failOnce("GET", /^\/orgs\/acme\/teams\/sec$/, 404);
    await w.send("/announce publish", { now: AFTER_END });
    const reply = w.replies().at(-1)!;
    expect(reply).toContain('Gate "Fixes merged and every supported branch patched" fails: the team `acme/sec` (config `team`) cannot be read, so ticks by hand cannot be checked: it was renamed or deleted, or the app lacks the Members (read) permission. Fix `team` or grant it, then publish again; branches not patched: `main`');
    expect(reply).toContain("`main`: ticked by @\u200bmallory, whose membership cannot be checked");
    expect(reply).not.toContain("not in the security team");
    expect(reply).not.toContain("untick");
    expect(w.fake.advisories.filter((a) => a.state === "published")).toEqual([]);
    expect(w.record.publish_steps).toBeUndefined();
  });
});

describe("a person whose login is one of the record's own words", () => {
  it("a tick by a user named 'app' is not taken for the app's own (a merged PR)", async () => {
    w = await world(gh, { record: readyRecord({ patched: [] }) });
    w.fake.roles.set("app", "write");
    await tickAs(w, "app");
    await w.send("/announce publish", { now: AFTER_END });
    expect(w.fake.advisories.filter((a) => a.state === "published")).toEqual([]);
    expect(w.replies().at(-1)).toContain("branches not patched: `main`");
  });
});

/** `sender` ticks "Patched on `main`" in the response comment, and GitHub tells the app so. */
async function tickAs(v: World, sender: string): Promise<void> {
  const response = v.fake.comments.find((c) => c.id === RESPONSE_ID)!;
  const before = response.body;
  response.body = tickBox(before, "Patched on `main`");
  await receiveEdit(v, sender, before, response.body);
}

async function receiveEdit(v: World, sender: string, before: string, after: string): Promise<void> {
  const event = commentEvent({ action: "edited", commentId: RESPONSE_ID, commentBody: after, previousBody: before, sender, labels: ["security", "security: fixed", "severity: critical"] });
  event.payload.comment.user = { ...event.payload.comment.user, login: "embargo[bot]", type: "Bot" };
  event.payload.installation = { id: INSTALLATION_ID, node_id: "x" };
  await v.probot(BEFORE_END).receive(event as never);
}
