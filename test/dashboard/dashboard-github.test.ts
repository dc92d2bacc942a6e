import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { indexMarker, readIndex, type DashboardRow } from "../../src/dashboard/dashboard-index.js";
import { BLOCK_END, BLOCK_START, BODY_LIMIT, decideDashboard } from "../../src/dashboard/decide-dashboard.js";
import { DASHBOARD_LABEL, NOTES_WARNING } from "../../src/github/dashboard-issue.js";
import { BOT, SECURITY_REPO_ID, createTestProbot, labeledEvent, mockConfig, mockIdentity, mockNoOverrides, mockToken, NOW, TEST_KEYS } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const ISSUE = "/repos/acme/security/issues/7";
const CONFIG = "team: acme/security-team\n";
const ctx = { keys: TEST_KEYS, repo: "acme/security", now: NOW, title: "Security response dashboard", label: "security" };
const row = (n: number): DashboardRow => ({ n, url: `https://github.com/acme/security/issues/${n}`, state: "fixing", severity: "high", awaiting: [], todo: [] });

function dashboardIssue(number: number, body: string, login = BOT) {
  return { id: number, node_id: `I_${number}`, number, title: "Security response dashboard", body, state: "open", user: { login, id: 1, type: "Bot" }, labels: [{ name: DASHBOARD_LABEL }], html_url: `https://github.com/acme/security/issues/${number}` };
}

/** A labeled event that opens the response on acme/security#7 (the response's own calls). */
function openResponseEvent(probot: ReturnType<typeof createTestProbot>) {
  mockToken(gh);
  mockConfig(gh, "acme", "security", CONFIG);
  mockIdentity(gh);
  gh.api.get(`${ISSUE}/comments`).query(true).reply(200, []);
  mockNoOverrides(gh, "acme", "security");
  gh.api.post(`${ISSUE}/comments`).reply(201, { id: 555, body: "", html_url: "https://github.com/acme/security/issues/7#issuecomment-555" });
  gh.api.post(`${ISSUE}/labels`).reply(200, []);
  const event = labeledEvent({ title: "Path traversal in uploads" });
  return { event, receive: () => probot.receive(event) };
}

/**
 * The dashboard's own calls: config, the one list by label. Its template overrides come from the
 * `.github` listing the response's render already made in this event (one per repo per event).
 */
function mockDashboardRead(issues: object[]) {
  mockConfig(gh, "acme", "security", CONFIG);
  gh.api.get("/repos/acme/security/issues").query((q) => q.labels === DASHBOARD_LABEL && q.state === "open").reply(200, issues);
}

describe("the dashboard issue", () => {
  it("is opened once with the label and the default title, pinned, with the new response's row", async () => {
    const probot = createTestProbot(NOW, { dashboard: true });
    const { event, receive } = openResponseEvent(probot);
    mockDashboardRead([]);
    let created: any;
    gh.api.post("/repos/acme/security/issues", (b) => ((created = b), true)).reply(201, { ...dashboardIssue(12, ""), node_id: "I_kw12" });
    let pin: any;
    gh.api.post("/graphql", (b) => ((pin = b), true)).reply(200, { data: { pinIssue: { issue: { id: "I_kw12" } } } });
    await receive();
    expect(created.title).toBe("Security response dashboard");
    expect(created.labels).toEqual([DASHBOARD_LABEL]);
    expect(created.body).toContain("### Triage (1)");
    expect(created.body).toContain(`[#7](${event.payload.issue.html_url}) Path traversal in uploads`);
    expect(readIndex(created.body, TEST_KEYS, "acme/security", SECURITY_REPO_ID).rows.map((r) => r.n)).toEqual([7]);
    expect(pin.query).toContain("pinIssue");
    expect(pin.variables).toEqual({ id: "I_kw12" });
  });

  it("still works when GitHub refuses the pin (a repo pins only a few issues)", async () => {
    const probot = createTestProbot(NOW, { dashboard: true });
    const { receive } = openResponseEvent(probot);
    mockDashboardRead([]);
    gh.api.post("/repos/acme/security/issues").reply(201, dashboardIssue(12, ""));
    gh.api.post("/graphql").reply(200, { errors: [{ type: "UNPROCESSABLE", message: "Repository already has 3 pinned issues" }] });
    await expect(receive()).resolves.toBeUndefined();
  });

  it("is updated in place: only this response's row changes, other rows stay", async () => {
    const probot = createTestProbot(NOW, { dashboard: true });
    const { receive } = openResponseEvent(probot);
    const { body } = await decideDashboard({ v: 1, rows: [row(3)] }, undefined, ctx);
    mockDashboardRead([dashboardIssue(12, body)]);
    let patched: any;
    gh.api.patch("/repos/acme/security/issues/12", (b) => ((patched = b), true)).reply(200, dashboardIssue(12, ""));
    await receive();
    expect(readIndex(patched.body, TEST_KEYS, "acme/security", SECURITY_REPO_ID).rows.map((r) => r.n).sort()).toEqual([3, 7]);
    expect(patched.body).toContain("### Fixing (1)");
    expect(patched.body).toContain("### Triage (1)");
    expect(gh.requests.filter((r) => r.method === "POST" && r.path === "/repos/acme/security/issues")).toEqual([]);
  });

  it("keeps a person's text outside the block; their edit of the table or the index has no effect", async () => {
    const probot = createTestProbot(NOW, { dashboard: true });
    const { receive } = openResponseEvent(probot);
    const { body } = await decideDashboard({ v: 1, rows: [row(3)] }, undefined, ctx);
    // Someone adds notes, edits a cell, and swaps in an index of their own making.
    const forged = indexMarker({ v: 1, rows: [{ ...row(99) }] }, TEST_KEYS, "acme/elsewhere");
    const edited = `Team notes: rotation changes on Monday.\n\n${body.replace("| high |", "| low |").replace(/<!-- embargo:dashboard-index:v1 [^>]*-->/, forged)}\n\nFooter by a person.`;
    mockDashboardRead([dashboardIssue(12, edited)]);
    let patched: any;
    gh.api.patch("/repos/acme/security/issues/12", (b) => ((patched = b), true)).reply(200, dashboardIssue(12, ""));
    await receive();
    expect(patched.body.startsWith(`Team notes: rotation changes on Monday.\n\n${BLOCK_START}`)).toBe(true);
    expect(patched.body.endsWith(`${BLOCK_END}\n\nFooter by a person.`)).toBe(true);
    expect(patched.body).not.toContain("#99");
    expect(patched.body).not.toContain("| low |");
    expect(readIndex(patched.body, TEST_KEYS, "acme/security", SECURITY_REPO_ID).rows.map((r) => r.n)).toEqual([7]);
  });

  it("reads the index of its block only: an older dashboard's text copied into the notes above rolls no row back", async () => {
    const probot = createTestProbot(NOW, { dashboard: true });
    const { receive } = openResponseEvent(probot);
    const older = (await decideDashboard({ v: 1, rows: [row(3)] }, undefined, ctx)).body;
    const { body } = await decideDashboard({ v: 1, rows: [row(3), row(5)] }, undefined, ctx);
    // Someone keeps last week's dashboard in the notes: its source from the table down, with its (signed) index.
    const copy = older.slice(older.indexOf("## Security response dashboard"), older.indexOf(BLOCK_END));
    const notes = `Last week's dashboard, for the record:\n\n${copy}\n\n`;
    mockDashboardRead([dashboardIssue(12, `${notes}${body}`)]);
    let patched: any;
    gh.api.patch("/repos/acme/security/issues/12", (b) => ((patched = b), true)).reply(200, dashboardIssue(12, ""));
    await receive();
    expect(patched.body.startsWith(`${notes}${BLOCK_START}`)).toBe(true);
    expect(patched.body.slice(notes.length)).toContain("[#5](https://github.com/acme/security/issues/5)");
    expect(readIndex(patched.body.slice(notes.length), TEST_KEYS, "acme/security", SECURITY_REPO_ID).rows.map((r) => r.n).sort()).toEqual([3, 5, 7]);
    // What every later reader (the tick, the feeds' memory) takes from the whole issue is that block's index.
    expect(readIndex(patched.body, TEST_KEYS, "acme/security", SECURITY_REPO_ID).rows.map((r) => r.n).sort()).toEqual([3, 5, 7]);
  });

  it("ignores a labelled issue someone else opened, and opens the app's own", async () => {
    const probot = createTestProbot(NOW, { dashboard: true });
    const { receive } = openResponseEvent(probot);
    const { body } = await decideDashboard({ v: 1, rows: [row(3)] }, undefined, ctx);
    mockDashboardRead([dashboardIssue(4, body, "mallory")]);
    gh.api.post("/repos/acme/security/issues").reply(201, dashboardIssue(12, ""));
    gh.api.post("/graphql").reply(200, { data: { pinIssue: { issue: { id: "I_12" } } } });
    await receive();
  });

  it("finds its own past a page of labelled issues other people opened, and opens no second dashboard", async () => {
    const probot = createTestProbot(NOW, { dashboard: true });
    const { receive } = openResponseEvent(probot);
    const { body } = await decideDashboard({ v: 1, rows: [row(3)] }, undefined, ctx);
    mockConfig(gh, "acme", "security", CONFIG);
    // Twenty older issues someone labelled `embargo: dashboard` fill the first page (oldest first).
    const others = Array.from({ length: 20 }, (_, i) => dashboardIssue(100 + i, "notes", "mallory"));
    const next = '<https://api.github.com/repos/acme/security/issues?labels=embargo%3A+dashboard&state=open&sort=created&direction=asc&per_page=20&page=2>; rel="next"';
    gh.api.get("/repos/acme/security/issues").query((q) => q.labels === DASHBOARD_LABEL && !q.page).reply(200, others, { link: next });
    gh.api.get("/repos/acme/security/issues").query((q) => q.page === "2").reply(200, [dashboardIssue(12, body)]);
    let patched: any;
    gh.api.patch("/repos/acme/security/issues/12", (b) => ((patched = b), true)).reply(200, dashboardIssue(12, ""));
    await receive();
    expect(gh.requests.filter((r) => r.method === "POST" && r.path === "/repos/acme/security/issues")).toEqual([]);
    expect(readIndex(patched.body, TEST_KEYS, "acme/security", SECURITY_REPO_ID).rows.map((r) => r.n).sort()).toEqual([3, 7]);
  });

  it("costs the same number of calls per event with 1 and with 200 open responses", async () => {
    const calls: number[] = [];
    for (const open of [1, 200]) {
      gh = mockGitHub();
      const probot = createTestProbot(NOW, { dashboard: true });
      const { receive } = openResponseEvent(probot);
      const { body } = await decideDashboard({ v: 1, rows: Array.from({ length: open }, (_, i) => row(100 + i)) }, undefined, ctx);
      mockDashboardRead([dashboardIssue(12, body)]);
      let patched: any;
      gh.api.patch("/repos/acme/security/issues/12", (b) => ((patched = b), true)).reply(200, dashboardIssue(12, ""));
      await receive();
      expect(readIndex(patched.body, TEST_KEYS, "acme/security", SECURITY_REPO_ID).rows).toHaveLength(open + 1);
      calls.push(gh.requests.length);
      gh.done();
    }
    expect(calls[0]).toBe(calls[1]);
  });
});

describe("a dashboard GitHub refuses to write", () => {
  it("never fails the response: the event completes and the next tick rebuilds the dashboard", async () => {
    const probot = createTestProbot(NOW, { dashboard: true });
    const { receive } = openResponseEvent(probot);
    mockConfig(gh, "acme", "security", CONFIG);
    gh.api.get("/repos/acme/security/issues").query(true).reply(500, { message: "Server Error" });
    await expect(receive()).resolves.toBeUndefined();
    expect(gh.requests.some((r) => r.method === "POST" && r.path === `${ISSUE}/labels`)).toBe(true);
  });
});

describe("two responses' events at once", () => {
  it("open one dashboard, not two: the second finds the first inside the repo's queue", async () => {
    const probot = createTestProbot(NOW, { dashboard: true });
    mockToken(gh);
    mockIdentity(gh);
    let dashboard: any;
    for (const n of [7, 8]) {
      mockConfig(gh, "acme", "security", CONFIG);
      gh.api.get(`/repos/acme/security/issues/${n}/comments`).query(true).reply(200, []);
      mockNoOverrides(gh, "acme", "security");
      gh.api.post(`/repos/acme/security/issues/${n}/comments`).reply(201, { id: 500 + n, body: "" });
      gh.api.post(`/repos/acme/security/issues/${n}/labels`).reply(200, []);
      mockConfig(gh, "acme", "security", CONFIG);
    }
    gh.api.get("/repos/acme/security/issues").query((q) => q.labels === DASHBOARD_LABEL).times(2).reply(200, () => (dashboard ? [dashboardIssue(12, dashboard.body)] : []));
    gh.api.post("/repos/acme/security/issues", (b) => ((dashboard = b), true)).reply(201, dashboardIssue(12, ""));
    gh.api.post("/graphql").reply(200, { data: { pinIssue: { issue: { id: "I_12" } } } });
    gh.api.patch("/repos/acme/security/issues/12", (b) => ((dashboard = b), true)).reply(200, dashboardIssue(12, ""));
    await Promise.all([probot.receive(labeledEvent({ number: 7 })), probot.receive(labeledEvent({ number: 8 }))]);
    expect(readIndex(dashboard.body, TEST_KEYS, "acme/security", SECURITY_REPO_ID).rows.map((r) => r.n).sort()).toEqual([7, 8]);
  });
});

describe("people's notes around the dashboard's block", () => {
  const DASHBOARD = "/repos/acme/security/issues/12";

  /** A labeled event that opens the response on acme/security#n, then the dashboard's read: issue 12 with `body`. */
  function responseOpened(n: number, body: string) {
    mockConfig(gh, "acme", "security", CONFIG);
    gh.api.get(`/repos/acme/security/issues/${n}/comments`).query(true).reply(200, []);
    mockNoOverrides(gh, "acme", "security");
    gh.api.post(`/repos/acme/security/issues/${n}/comments`).reply(201, { id: 500 + n, body: "", html_url: `https://github.com/acme/security/issues/${n}#issuecomment-${500 + n}` });
    gh.api.post(`/repos/acme/security/issues/${n}/labels`).reply(200, []);
    mockDashboardRead([dashboardIssue(12, body)]);
    return labeledEvent({ number: n });
  }
  const dashboardEdits = () => gh.requests.filter((r) => r.method === "PATCH" && r.path === DASHBOARD);

  it("that leave no room for the app's block: the issue is left as it is, one comment says why and what to do, and says so again once they fit", async () => {
    const probot = createTestProbot(NOW, { dashboard: true });
    mockToken(gh);
    mockIdentity(gh);
    const { body: block } = await decideDashboard({ v: 1, rows: [] }, undefined, ctx);
    // The issue as full as GitHub lets anyone make it: the notes above take all the room the block does not.
    const notes = `Team notes: the on-call rotation and contacts.\n${"n".repeat(BODY_LIMIT + 200 - block.length - 100)}\n\n`;
    const full = `${notes}${block}`;
    expect(full.length).toBeLessThanOrEqual(65_536);

    let warning: any;
    gh.api.get(`${DASHBOARD}/comments`).query(true).reply(200, [{ id: 800, body: `${NOTES_WARNING}`, user: { login: "mallory" } }]);
    gh.api.post(`${DASHBOARD}/comments`, (b) => ((warning = b), true)).reply(201, { id: 901, body: "" });
    await probot.receive(responseOpened(7, full));
    expect(dashboardEdits()).toEqual([]);
    expect(warning.body).toContain("**This dashboard is not being updated.**");
    expect(warning.body).toContain(`The notes people wrote above and below the app's block in this issue take ${notes.length.toLocaleString("en-US")} characters, and GitHub allows at most 65,536 in an issue`);
    expect(warning.body).toContain("responses opened, changed or closed since are missing from it");
    expect(warning.body).toContain("To fix it, shorten the text outside the `<!-- embargo:dashboard:start -->` and `<!-- embargo:dashboard:end -->` markers");
    expect(warning.body.endsWith(NOTES_WARNING)).toBe(true);
    expect(warning.body).not.toContain("@");

    // Another response's event meets the same full issue: no second comment, no call for it.
    const before = gh.requests.length;
    await probot.receive(responseOpened(8, full));
    expect(gh.requests.slice(before).filter((r) => r.path.startsWith(DASHBOARD))).toEqual([]);

    // The notes are shortened: the dashboard is written again, and the warning says it is resolved.
    let patched: any;
    let resolved: any;
    gh.api.patch(DASHBOARD, (b) => ((patched = b), true)).reply(200, dashboardIssue(12, ""));
    gh.api.patch("/repos/acme/security/issues/comments/901", (b) => ((resolved = b), true)).reply(200, { id: 901, body: "" });
    await probot.receive(responseOpened(9, `Team notes: see the wiki.\n\n${block}`));
    expect(patched.body.startsWith(`Team notes: see the wiki.\n\n${BLOCK_START}`)).toBe(true);
    expect(readIndex(patched.body, TEST_KEYS, "acme/security", SECURITY_REPO_ID).rows.map((r) => r.n)).toEqual([9]);
    expect(resolved.body).toContain("**Resolved on 2026-11-22:** the notes around the dashboard's block fit in the issue again");
    expect(resolved.body).not.toContain(NOTES_WARNING);
  });

  it("that leave room for part of the table: the notes are kept as written, and the block says how many rows the notes crowd out", async () => {
    const probot = createTestProbot(NOW, { dashboard: true });
    mockToken(gh);
    mockIdentity(gh);
    const { body: block } = await decideDashboard({ v: 1, rows: Array.from({ length: 60 }, (_, i) => row(100 + i)) }, undefined, ctx);
    const notes = `Team notes\n${"n".repeat(60_000)}\n\n`;
    let patched: any;
    gh.api.patch(DASHBOARD, (b) => ((patched = b), true)).reply(200, dashboardIssue(12, ""));
    await probot.receive(responseOpened(7, `${notes}${block}`));
    expect(patched.body.length).toBeLessThanOrEqual(65_536);
    expect(patched.body.startsWith(`${notes}${BLOCK_START}`)).toBe(true);
    const shown = (patched.body.match(/^\| \[#\d+\]/gm) ?? []).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(61);
    expect(patched.body).toContain(
      `> [!WARNING]\n> The notes above and below this block take ${notes.length.toLocaleString("en-US")} of the 65,536 characters GitHub allows in an issue, so ${61 - shown} open responses are left out of this dashboard. Shorten the notes (or move them into a comment) to see every row again`,
    );
    expect(patched.body).not.toContain("No security response is open");
  });

  it("that leave no room, with `notify_team`: the one warning mentions the team, so someone hears of it", async () => {
    const probot = createTestProbot(NOW, { dashboard: true });
    mockToken(gh);
    mockIdentity(gh);
    const { body: block } = await decideDashboard({ v: 1, rows: [] }, undefined, ctx);
    const full = `${"n".repeat(BODY_LIMIT + 200 - block.length - 2)}\n\n${block}`;
    const yaml = "team: acme/security-team\nnotify_team: true\n";
    mockConfig(gh, "acme", "security", yaml);
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, []);
    mockNoOverrides(gh, "acme", "security");
    gh.api.post(`${ISSUE}/comments`).reply(201, { id: 555, body: "" });
    gh.api.post(`${ISSUE}/labels`).reply(200, []);
    mockConfig(gh, "acme", "security", yaml);
    gh.api.get("/repos/acme/security/issues").query((q) => q.labels === DASHBOARD_LABEL).reply(200, [dashboardIssue(12, full)]);
    gh.api.get(`${DASHBOARD}/comments`).query(true).reply(200, []);
    let warning: any;
    gh.api.post(`${DASHBOARD}/comments`, (b) => ((warning = b), true)).reply(201, { id: 901, body: "" });
    await probot.receive(labeledEvent());
    expect(warning.body.startsWith("@acme/security-team **This dashboard is not being updated.**")).toBe(true);
    expect(dashboardEdits()).toEqual([]);
  });

  it("that leave room for no row at all: the block does not say that no response is open", async () => {
    const { body: block } = await decideDashboard({ v: 1, rows: [] }, undefined, ctx);
    // 800 characters left: enough for the block without its table, not for one row.
    const notes = `${"n".repeat(BODY_LIMIT - 802)}\n\n`;
    const { body, tooLong } = await decideDashboard({ v: 1, rows: [row(3), row(4)] }, `${notes}${block}`, ctx);
    expect(tooLong).toBeUndefined();
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).not.toContain("No security response is open");
    expect(body).toContain("_2 open responses are not shown here: the dashboard is full; see the `security` label._");
    expect(body).toContain("so 2 open responses are left out of this dashboard");
  });
});
