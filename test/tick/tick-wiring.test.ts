/**
 * What the tick runs for the other parts of issue 12: CVE feeds (one response issue per new
 * entry, remembered in the dashboard's index), the overdue message to the team's channel (once per
 * end date), and a `/triage breach` shown on the dashboard.
 */
import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readIndex, rowOf } from "../../src/dashboard/dashboard-index.js";
import { BLOCK_START, BODY_LIMIT, decideDashboard } from "../../src/dashboard/decide-dashboard.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { FEEDS_SEEN } from "../../src/tick/tick-feeds.js";
import { recordOf, SECURITY_REPO_ID, TEST_KEYS } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { CONFIG, configOf, ISSUE_URL, tickWorld } from "./tick-world.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => {
  const problems = gh.requests.filter((r) => !r.matched || r.errors.length);
  nock.cleanAll();
  expect(problems).toEqual([]);
});

const at = (iso: string) => new Date(iso);
const RSS_URL = "https://nvd.example/feeds/xml/cve/misc/nvd-rss.xml";
const rss = readFileSync(new URL("../fixtures/feeds/nvd-recent.rss.xml", import.meta.url), "utf8");
const FEED_CONFIG = `${CONFIG}components:\n  upload: { package: { ecosystem: npm, name: acme-upload } }\nfeeds:\n  - url: ${RSS_URL}\n`;

describe("the tick reads the CVE feeds", () => {
  it("opens one response issue per new matching entry, and remembers it across ticks in the dashboard's index", async () => {
    const world = await tickWorld(gh, at("2026-11-22T12:00:00Z"), {}, FEED_CONFIG);
    nock("https://nvd.example").get("/feeds/xml/cve/misc/nvd-rss.xml").times(2).reply(200, rss);
    await world.tick();
    expect(world.opened.map((i) => i.title)).toEqual([expect.stringMatching(/^CVE-2026-41001: /)]);
    expect(world.opened[0]!.body).toContain("https://nvd.example/vuln/detail/CVE-2026-41001");
    const seen = readIndex(world.dashboard!.body, TEST_KEYS, "acme/security", SECURITY_REPO_ID)[FEEDS_SEEN];
    expect(Array.isArray(seen) && seen.length).toBeGreaterThan(0);

    await world.tick();
    expect(world.opened).toHaveLength(1);
  });
});

describe("an advisory a feed lists before its CVE id is assigned", () => {
  const ATOM_URL = "https://github.example/advisories.atom";
  const atom = (title: string) =>
    `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>f</id><title>t</title><entry><id>tag:github.example,2008:GHSA-7q3w-c5v8-jj2k</id><published>2026-11-20T08:00:00Z</published><link rel="alternate" href="https://github.example/advisories/GHSA-7q3w-c5v8-jj2k"/><title>${title}</title><content>Large multipart bodies exhaust memory in acme-upload.</content></entry></feed>`;

  it.each([["with the dashboard's memory", ""], ["without a dashboard", "dashboard:\n  enabled: false\n"]])("keeps its one issue when the entry later names the CVE (%s)", async (_, extra) => {
    const yaml = `${CONFIG}components:\n  upload: { package: { ecosystem: npm, name: acme-upload } }\nfeeds:\n  - url: ${ATOM_URL}\n${extra}`;
    const world = await tickWorld(gh, at("2026-11-22T12:00:00Z"), {}, yaml);
    nock("https://github.example").get("/advisories.atom").reply(200, atom("[GHSA-7q3w-c5v8-jj2k] acme-upload: denial of service on huge multipart bodies"));
    await world.tick();
    expect(world.opened.map((i) => i.title)).toEqual(["Feed entry: [GHSA-7q3w-c5v8-jj2k] acme-upload: denial of service on huge multipart bodies"]);
    // GitHub assigns the CVE id a day later: the same entry, now naming it.
    nock("https://github.example").get("/advisories.atom").times(2).reply(200, atom("[GHSA-7q3w-c5v8-jj2k] acme-upload: denial of service on huge multipart bodies (CVE-2026-41009)"));
    await world.tick();
    await world.tick();
    expect(world.opened).toHaveLength(1);
  });
});

describe("an advisory a feed lists before its CVE id is assigned, and another feed lists by that CVE", () => {
  const ATOM_URL = "https://github.example/advisories.atom";
  const atom = (title: string) =>
    `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>f</id><title>t</title><entry><id>tag:github.example,2008:GHSA-7q3w-c5v8-jj2k</id><published>2026-11-20T08:00:00Z</published><link rel="alternate" href="https://github.example/advisories/GHSA-7q3w-c5v8-jj2k"/><title>${title}</title><content>Large multipart bodies exhaust memory in acme-upload.</content></entry></feed>`;
  const nvd = (items: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>NVD</title><link>https://nvd.example/</link><description>d</description>${items}</channel></rss>`;
  const item = `<item><title>CVE-2026-41009</title><link>https://nvd.example/vuln/detail/CVE-2026-41009</link><guid isPermaLink="false">CVE-2026-41009</guid><description>Denial of service in acme-upload on huge multipart bodies.</description><pubDate>Sat, 21 Nov 2026 15:15:09 GMT</pubDate></item>`;

  it("keeps its one issue when NVD lists the CVE after the advisory named it (the dashboard's memory)", async () => {
    const yaml = `${CONFIG}components:\n  upload: { package: { ecosystem: npm, name: acme-upload } }\nfeeds:\n  - url: ${RSS_URL}\n  - url: ${ATOM_URL}\n`;
    const world = await tickWorld(gh, at("2026-11-22T12:00:00Z"), {}, yaml);
    const title = "[GHSA-7q3w-c5v8-jj2k] acme-upload: denial of service on huge multipart bodies";
    nock("https://nvd.example").get("/feeds/xml/cve/misc/nvd-rss.xml").times(2).reply(200, nvd(""));
    nock("https://github.example").get("/advisories.atom").reply(200, atom(title));
    await world.tick();
    expect(world.opened).toHaveLength(1);
    // GitHub assigns the CVE id: the advisory names it a tick before NVD lists it.
    nock("https://github.example").get("/advisories.atom").times(2).reply(200, atom(`${title} (CVE-2026-41009)`));
    await world.tick();
    nock("https://nvd.example").get("/feeds/xml/cve/misc/nvd-rss.xml").reply(200, nvd(item));
    await world.tick();
    expect(world.opened.map((i) => i.title)).toEqual([`Feed entry: ${title}`]);
  });
});

describe("a CVE feed that cannot be read", () => {
  it("is shown on the dashboard, not only in the log, until a tick reads it again", async () => {
    const world = await tickWorld(gh, at("2026-11-22T12:00:00Z"), {}, FEED_CONFIG);
    nock("https://nvd.example").get("/feeds/xml/cve/misc/nvd-rss.xml").reply(404, "gone");
    await world.tick();
    expect(world.dashboard!.body).toContain(`> [!WARNING]\n> The CVE feed \`${RSS_URL}\` could not be read on the last tick (\`HTTP 404\`): nothing from it reaches this repository until it can.`);

    nock("https://nvd.example").get("/feeds/xml/cve/misc/nvd-rss.xml").reply(200, rss);
    await world.tick();
    expect(world.dashboard!.body).not.toContain("could not be read");
    expect(world.opened).toHaveLength(1);
  });
});

describe("a CVE feed that fails on one tick and is read on the next, beside people's long notes", () => {
  it("never has the team told that the notes are too long: the feed's note gives way, not the dashboard", async () => {
    const now = at("2026-11-22T12:00:00Z");
    const world = await tickWorld(gh, now, {}, `${FEED_CONFIG}notify_team: true\n`);
    const ctx = { keys: TEST_KEYS, repo: "acme/security", now, title: "Security response dashboard", label: "security" };
    // The notes leave the block 1,000 characters: room for #7's row, not for it and the feed's note as well.
    const notes = `Team notes\n${"n".repeat(BODY_LIMIT - 1_000 - 13)}\n\n`;
    world.dashboard = { number: 12, body: `${notes}${(await decideDashboard({ v: 1, rows: [] }, undefined, ctx)).body}` };
    const warnings: string[] = [];
    gh.api.get("/repos/acme/security/issues/12/comments").query(true).reply(200, []).persist();
    gh.api.post("/repos/acme/security/issues/12/comments", (b) => (warnings.push(b.body), true)).reply(201, { id: 901, body: "" }).persist();
    const feed = nock("https://nvd.example").get("/feeds/xml/cve/misc/nvd-rss.xml");
    for (const status of [404, 200, 404]) {
      feed.reply(status, status === 200 ? rss : "gone");
      await world.tick();
      expect(warnings).toEqual([]);
      expect(world.dashboard.body.startsWith(`${notes}${BLOCK_START}`)).toBe(true);
      expect(world.dashboard.body).toContain(`[#7](${ISSUE_URL}) Report`);
      expect(world.dashboard.body.length).toBeLessThanOrEqual(65_536);
    }
    expect(world.opened).toHaveLength(1);
  });
});

describe("a CVE feed whose error is long", () => {
  it("is cut before an emoji on the dashboard, never through it", async () => {
    const world = await tickWorld(gh, at("2026-11-22T12:00:00Z"), {}, FEED_CONFIG);
    // The parser's message names the feed's entity: "Invalid entity name " (20), then 179 + 2 characters.
    const name = `${"a".repeat(179)}\u{1F600}`;
    nock("https://nvd.example").get("/feeds/xml/cve/misc/nvd-rss.xml").reply(200, `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY ${name} "x">]><rss version="2.0"><channel></channel></rss>`);
    await world.tick();
    expect(world.dashboard!.body).toContain(`(\`Invalid entity name ${"a".repeat(179)}\`): nothing from it reaches this repository until it can.`);
    // A lone half of a surrogate pair (what `\p{Cs}` matches in a unicode regex) is not valid UTF-8.
    expect(world.dashboard!.body).not.toMatch(/\p{Cs}/u);
  });
});

describe("the tick reads the CVE feeds without a dashboard to remember them in", () => {
  /** An RSS feed of `n` entries naming the component; the first one dated (by the feed) in the future. */
  const feed = (n: number) =>
    `<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>${Array.from({ length: n }, (_, i) => {
      const cve = `CVE-2026-${50_000 + i}`;
      const date = i === 0 ? "Fri, 01 Jan 2100 00:00:00 GMT" : "Sat, 21 Nov 2026 15:15:09 GMT";
      return `<item><title>${cve}</title><link>https://nvd.example/vuln/detail/${cve}</link><guid>${cve}</guid><description>A flaw in acme-upload before 2.4.1.</description><pubDate>${date}</pubDate></item>`;
    }).join("")}</channel></rss>`;

  it("every matching entry gets one issue over the ticks (not only the first 10 of the feed), whatever date the feed gives it", async () => {
    const world = await tickWorld(gh, at("2026-11-22T12:00:00Z"), {}, `${FEED_CONFIG}dashboard:\n  enabled: false\n`);
    nock("https://nvd.example").get("/feeds/xml/cve/misc/nvd-rss.xml").times(3).reply(200, feed(12));
    await world.tick();
    expect(world.opened).toHaveLength(10);
    await world.tick();
    await world.tick();
    const titles = world.opened.map((i) => i.title.split(":")[0]);
    expect(titles).toHaveLength(12);
    expect(new Set(titles).size).toBe(12);
  });

  it("the issues' markers are read once, not every tick: the list of every labelled issue ever grows with the repository", async () => {
    const world = await tickWorld(gh, at("2026-11-22T12:00:00Z"), {}, `${FEED_CONFIG}dashboard:\n  enabled: false\n`);
    nock("https://nvd.example").get("/feeds/xml/cve/misc/nvd-rss.xml").times(3).reply(200, rss);
    await world.tick();
    await world.tick();
    await world.tick();
    expect(world.opened).toHaveLength(1);
    const everyIssue = gh.requests.filter((r) => r.path === "/repos/acme/security/issues" && r.query.labels === "security" && r.query.state === "all" && !r.query.since && r.query.per_page === "100");
    expect(everyIssue).toHaveLength(1);
  });
});

describe("the tick tells the team's channel of an overdue embargo", () => {
  it("once per end date, and never with the title unless details are asked for", async () => {
    const sent: string[] = [];
    const env = { SECURITY_SLACK_URL: "https://hooks.slack.example/services/T/B/x" };
    const yaml = `${CONFIG}notify:\n  slack_webhook_env: SECURITY_SLACK_URL\n`;
    const world = await tickWorld(gh, at("2026-12-20T12:00:00Z"), { state: "confirmed", severity: "high", embargo_end: "2026-12-10" }, yaml, true, env);
    nock("https://hooks.slack.example").post("/services/T/B/x", (b) => (sent.push(JSON.stringify(b)), true)).reply(200, "ok");
    await world.tick();
    await world.tick();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/overdue|embargo/i);
    expect(sent[0]).not.toContain("Report");
    const response = world.comments.find((c) => c.id === 555)!;
    expect(recordOf(response.body).notified).toContain("overdue:2026-12-10");
  });
});

describe("the tick sends again a chat message the webhook refused", () => {
  it("on an open response, before its embargo ends: sent once, and no longer waiting in the record", async () => {
    const sent: string[] = [];
    const env = { SECURITY_SLACK_URL: "https://hooks.slack.example/services/T/B/x" };
    const yaml = `${CONFIG}notify:\n  slack_webhook_env: SECURITY_SLACK_URL\n`;
    const pending = [{ key: "confirmed", event: { kind: "confirmed", login: "alice" }, tries: 1 }];
    const world = await tickWorld(gh, at("2026-11-22T12:00:00Z"), { state: "confirmed", embargo_end: "2026-12-10", notify_pending: pending }, yaml, true, env);
    nock("https://hooks.slack.example").post("/services/T/B/x", (b) => (sent.push(JSON.stringify(b)), true)).reply(200, "ok");
    await world.tick();
    await world.tick();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/confirmed/i);
    const record = recordOf(world.comments.find((c) => c.id === 555)!.body);
    expect(record.notify_pending).toBeUndefined();
    expect(record.notified).toContain("confirmed");
  });
});

describe("a chat message still waiting when its response closed", () => {
  it("is sent again by the tick, which visits open responses only otherwise; the dashboard says it waits until it is sent", async () => {
    const now = at("2026-11-22T12:00:00Z");
    const sent: string[] = [];
    const env = { SECURITY_SLACK_URL: "https://hooks.slack.example/services/T/B/x" };
    const yaml = `${CONFIG}notify:\n  slack_webhook_env: SECURITY_SLACK_URL\n`;
    const closed: Partial<ResponseRecord> = { state: "announced", notify_pending: [{ key: "announced", event: { kind: "announced" }, tries: 1 }] };
    const world = await tickWorld(gh, now, closed, yaml, true, env, false);
    // The dashboard as the close left it: #7's row closed, its message waiting.
    const row = rowOf({ ...newRecord(now, now), ...closed }, configOf(yaml), { n: 7, url: ISSUE_URL, title: "Report" }, now);
    const ctx = { keys: TEST_KEYS, repo: "acme/security", now, title: "Security response dashboard", label: "security" };
    world.dashboard = { number: 12, body: (await decideDashboard({ v: 1, rows: [row] }, undefined, ctx)).body };
    expect(world.dashboard.body).toContain("1 chat message not delivered yet");

    const slack = nock("https://hooks.slack.example");
    slack.post("/services/T/B/x").reply(500, "down");
    await world.tick();
    let record = recordOf(world.comments.find((c) => c.id === 555)!.body);
    expect(record.notify_pending).toEqual([expect.objectContaining({ key: "announced", tries: 2 })]);
    expect(world.dashboard.body).toContain("1 chat message not delivered yet");

    slack.post("/services/T/B/x", (b) => (sent.push(JSON.stringify(b)), true)).reply(200, "ok");
    await world.tick();
    await world.tick();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/announced/i);
    record = recordOf(world.comments.find((c) => c.id === 555)!.body);
    expect(record.notify_pending).toBeUndefined();
    expect(record.notified).toContain("announced");
    expect(world.dashboard.body).not.toContain("not delivered yet");
    expect(readIndex(world.dashboard.body, TEST_KEYS, "acme/security", SECURITY_REPO_ID).rows).toEqual([expect.objectContaining({ n: 7, state: "announced" })]);
  });
});

describe("a suspected breach on the dashboard", () => {
  it("is marked in the response's row", async () => {
    const world = await tickWorld(gh, at("2026-11-22T12:00:00Z"), { breach: { by: "alice", at: "2026-11-21T10:00:00.000Z" } });
    await world.tick();
    expect(world.dashboard!.body).toMatch(/\[#7\]\([^)]+\) \*\*breach suspected\*\*/);
  });
});
