import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readIndex } from "../../src/dashboard/dashboard-index.js";
import { decideDashboard } from "../../src/dashboard/decide-dashboard.js";
import { newRecord } from "../../src/record/response-record.js";
import { renderResponse } from "../../src/response/render-response.js";
import { BOT, commentList, NOW, recordOf, SECURITY_REPO_ID, TEST_KEYS } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { CONFIG, configOf, reminders, tickWorld } from "./tick-world.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => {
  // Persistent routes: what matters is that every request matched one and GitHub's description.
  const problems = gh.requests.filter((r) => !r.matched || r.errors.length);
  nock.cleanAll();
  expect(problems).toEqual([]);
});

const OPENED = Date.parse("2026-11-20T09:30:00Z");
const at = (hours: number) => new Date(OPENED + hours * 3_600_000);

describe("the tick", () => {
  it("reminds of a triage not started after 24 hours, once, mentioning the team when nobody owns it", async () => {
    const early = await tickWorld(gh, at(23));
    await early.tick();
    expect(reminders(early)).toEqual([]);

    gh = mockGitHub();
    const world = await tickWorld(gh, at(25));
    await world.tick();
    await world.tick();
    expect(reminders(world)).toHaveLength(1);
    expect(reminders(world)[0]).toMatch(/^@acme\/security-team — triage has not started on this report after 24 hours/);
    const response = world.comments.find((c) => c.id === 555)!;
    expect(Object.keys(recordOf(response.body).reminders ?? {})).toEqual(["triage"]);
  });

  it("mentions the owner, not the team, when the response has a triager", async () => {
    const world = await tickWorld(gh, at(30), { triager: "tri-ana" });
    await world.tick();
    expect(reminders(world)[0]).toMatch(/^@tri-ana — triage/);
  });

  it("two ticks at once in one process post each reminder once", async () => {
    const world = await tickWorld(gh, at(30));
    const [a, b] = await Promise.all([world.tick(), world.tick()]);
    expect(reminders(world)).toHaveLength(1);
    expect([...a.skipped, ...b.skipped]).toEqual(["acme/security"]);
  });

  it("warns 3 days before the embargo ends (owner and release managers), once per end date", async () => {
    const before = await tickWorld(gh, new Date("2026-11-26T12:00:00Z"), { state: "fixing", triager: "tri-ana", embargo_end: "2026-11-30" });
    await before.tick();
    expect(reminders(before)).toEqual([]);

    gh = mockGitHub();
    const world = await tickWorld(gh, new Date("2026-11-27T12:00:00Z"), { state: "fixing", triager: "tri-ana", embargo_end: "2026-11-30" });
    await world.tick();
    await world.tick();
    expect(reminders(world)).toHaveLength(1);
    expect(reminders(world)[0]).toMatch(/^@tri-ana @rm-alice — the embargo ends on \*\*2026-11-30\*\*, in 3 days/);
  });

  it("says once when the embargo passed without an announcement, mentioning the owner and the team", async () => {
    const world = await tickWorld(gh, new Date("2026-12-01T12:00:00Z"), { state: "fixed", triager: "tri-ana", embargo_end: "2026-11-30", reminders: { "embargo-warning:2026-11-30": "2026-11-27T12:00:00Z" } });
    await world.tick();
    await world.tick();
    expect(reminders(world)).toHaveLength(1);
    expect(reminders(world)[0]).toMatch(/^@tri-ana @acme\/security-team — the embargo ended on \*\*2026-11-30\*\* and this response is not announced yet/);
  });

  it("removes a reminder that was posted twice (two processes without a shared lease)", async () => {
    const world = await tickWorld(gh, at(30), { reminders: { triage: "2026-11-21T10:00:00Z" } });
    const body = "@acme/security-team — triage has not started\n\n<!-- embargo:reply reminder-triage -->";
    world.comments.push({ id: 601, body, user: { login: BOT, type: "Bot" } }, { id: 602, body, user: { login: BOT, type: "Bot" } }, { id: 603, body, user: { login: "mallory", type: "User" } });
    await world.tick();
    expect(world.deleted).toEqual([602]);
    expect(reminders(world)).toEqual([]);
  });

  it("rebuilds the dashboard from the responses: a row drifted or forged is repaired", async () => {
    const world = await tickWorld(gh, at(10), { state: "confirmed", severity: "high", embargo_end: "2026-12-10" });
    await world.tick();
    const index = readIndex(world.dashboard!.body, TEST_KEYS, "acme/security", SECURITY_REPO_ID);
    expect(index.rows).toMatchObject([{ n: 7, state: "confirmed", severity: "high", embargo_end: "2026-12-10", url: "https://github.com/acme/security/issues/7" }]);
    expect(world.dashboard!.body).toContain("### Confirmed (1)");
    // A person edits the block: the next tick writes it back as the responses say.
    world.dashboard!.body = world.dashboard!.body.replace("### Confirmed (1)", "### Confirmed (0)");
    await world.tick();
    expect(world.dashboard!.body).toContain("### Confirmed (1)");
  });
});

describe("the tick repairs a row whose event was lost", () => {
  it("a row still shown open whose issue was closed follows its record into the closed section", async () => {
    const world = await tickWorld(gh, at(10), { state: "confirmed" });
    const ctx = { keys: TEST_KEYS, repo: "acme/security", now: at(10), title: "Security response dashboard", label: "security" };
    world.dashboard = { number: 12, body: (await decideDashboard({ v: 1, rows: [{ n: 9, url: "https://github.com/acme/security/issues/9", state: "fixing", awaiting: [], todo: [] }] }, undefined, ctx)).body };
    const closed = { ...newRecord(NOW, NOW), state: "invalid" as const };
    const body = await renderResponse(closed, configOf(CONFIG), { title: "Not a bug", reporter: "r" }, undefined, { keys: TEST_KEYS, issue: { owner: "acme", repo: "security", issue_number: 9 }, now: at(10) });
    gh.api.get("/repos/acme/security/issues/9").reply(200, { id: 9, number: 9, title: "Not a bug", state: "closed", html_url: "https://github.com/acme/security/issues/9", user: { login: "r" }, labels: [], assignees: [] });
    gh.api.get("/repos/acme/security/issues/9/comments").query(true).reply(200, commentList([{ id: 909, body, user: { login: BOT, type: "Bot" } }]));
    await world.tick();
    const rows = readIndex(world.dashboard!.body, TEST_KEYS, "acme/security", SECURITY_REPO_ID).rows;
    expect(rows.map((r) => [r.n, r.state]).sort()).toEqual([[7, "confirmed"], [9, "invalid"]]);
    expect(world.dashboard!.body).toMatch(/Closed in the last 30 days \(1\)[\s\S]*\[#9\]\(https:\/\/github.com\/acme\/security\/issues\/9\) Not a bug \| Closed: invalid/);
  });
});

describe("the tick and an older version of the record put back", () => {
  it("leaves the response as it is when the record is older than the last one the app wrote (its edit event lost)", async () => {
    // The app wrote this response's record 5 times; the comment holds its first version again.
    const store = new MemoryStore();
    await store.set(`record-seq:repo:${SECURITY_REPO_ID}#7`, "5", 60_000);
    const world = await tickWorld(gh, at(25), {}, CONFIG, true, undefined, true, store);
    const before = world.comments.find((c) => c.id === 555)!.body;
    expect(recordOf(before).seq).toBe(1);
    await world.tick();
    expect(reminders(world)).toEqual([]);
    expect(world.comments.find((c) => c.id === 555)!.body).toBe(before);
  });
});

describe("the tick re-renders a response", () => {
  it("keeps a box a person ticked by hand (its edit event not handled yet)", async () => {
    const world = await tickWorld(gh, at(10), { state: "confirmed" });
    const response = world.comments.find((c) => c.id === 555)!;
    response.body = response.body.replace(/- \[ \] (Reproduced on a suitable environment)/, "- [x] $1");
    await world.tick();
    expect(response.body).toMatch(/- \[x\] Reproduced on a suitable environment/);
    expect(recordOf(response.body).ticks["triage.reproduced"]).toMatchObject({ by: "hand" });
  });
});

describe("the tick behind the leak firewall", () => {
  // The CVE is a secret even in the security repo's own comments: a write naming it needs GitHub's
  // word that the repo is private. The tick has no event payload to take that word from.
  it("asks GitHub once whether the security repo is private, then writes as usual", async () => {
    const world = await tickWorld(gh, at(25), { cve: "CVE-2026-4242" });
    gh.api.get("/repos/acme/security").reply(200, { name: "security", full_name: "acme/security", private: true, visibility: "private" });
    await world.tick();
    expect(reminders(world)).toHaveLength(1);
    expect(gh.requests.filter((r) => r.method === "GET" && r.path === "/repos/acme/security")).toHaveLength(1);
  });

  it("writes nothing that names the CVE when the security repo was made public, and says so in the issue", async () => {
    const world = await tickWorld(gh, at(25), { cve: "CVE-2026-4242" });
    gh.api.get("/repos/acme/security").reply(200, { name: "security", full_name: "acme/security", private: false, visibility: "public" });
    const before = world.comments.find((c) => c.id === 555)!.body;
    await expect(world.tick()).rejects.toThrow(/the tick failed on acme\/security/);
    // What names no secret still goes (the reminder); what would name the CVE never leaves.
    expect(world.comments.find((c) => c.id === 555)!.body).toBe(before);
    const writes = gh.requests.filter((r) => r.method !== "GET" && r.path.startsWith("/repos/acme/security"));
    expect(writes.filter((r) => JSON.stringify(r.body ?? "").includes("CVE-2026-4242"))).toEqual([]);
    expect(world.posted.some((b) => b.includes("leak firewall") || b.includes("embargo:reply leak-blocked"))).toBe(true);
  });
});
