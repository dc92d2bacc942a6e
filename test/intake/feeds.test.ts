import { readFileSync } from "node:fs";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseFeed } from "../../src/feeds/parse-feed.js";
import { entryKey, MAX_SEEN, pollFeeds, type FetchFn } from "../../src/feeds/poll-feeds.js";
import { feedMarker, openFeedIssue } from "../../src/github/feed-issue.js";
import { BOT } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { configOf } from "../helpers/security-issue.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const fixture = (name: string) => readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url), "utf8");
const RSS_URL = "https://nvd.example/feeds/xml/cve/misc/nvd-rss.xml";
const ATOM_URL = "https://github.example/advisories.atom";
const CONFIG = [
  "components:",
  "  upload: { repo: acme/product, package: { ecosystem: npm, name: acme-upload } }",
  "feeds:",
  `  - url: ${RSS_URL}`,
  `  - url: ${ATOM_URL}`,
  "",
].join("\n");
const fetchFn: FetchFn = (url, init) => fetch(url, init);

function mockFeeds(rss = 200) {
  nock("https://nvd.example").get("/feeds/xml/cve/misc/nvd-rss.xml").reply(rss, rss === 200 ? fixture("nvd-recent.rss.xml") : "busy");
  nock("https://github.example").get("/advisories.atom").reply(200, fixture("github-advisories.atom.xml"));
}

describe("parseFeed", () => {
  it("reads RSS 2.0: ids, CVE, link, plain-text summary from escaped HTML and CDATA", () => {
    const entries = parseFeed(fixture("nvd-recent.rss.xml"), RSS_URL);
    expect(entries.map((e) => e.cve)).toEqual(["CVE-2026-41001", "CVE-2026-41002", "CVE-2026-41003"]);
    expect(entries[0]).toMatchObject({ id: "CVE-2026-41001", link: "https://nvd.example/vuln/detail/CVE-2026-41001", published: "Sat, 21 Nov 2026 15:15:09 GMT" });
    expect(entries[0]!.summary).toContain("via a crafted file name such as ../../etc/cron.d/x .");
    expect(entries[2]!.summary).toBe("In the CloudStack API server, the listUsers command discloses API keys of other accounts to domain administrators.");
  });

  it("reads Atom: tag ids, the alternate link, HTML content as text, a CVE only where named", () => {
    const entries = parseFeed(fixture("github-advisories.atom.xml"), ATOM_URL);
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({
      id: "tag:github.example,2008:GHSA-8f2x-3c9v-q7wm",
      cve: "CVE-2026-41001",
      link: "https://github.example/advisories/GHSA-8f2x-3c9v-q7wm",
      title: "[GHSA-8f2x-3c9v-q7wm] acme-upload vulnerable to path traversal (CVE-2026-41001)",
    });
    expect(entries[0]!.summary).toMatch(/^acme-upload before 2\.4\.1 joins .* Patches Fixed in 2\.4\.1\.$/);
    expect(entries[2]!.cve).toBeUndefined();
  });

  it("refuses what is not a feed", () => {
    expect(() => parseFeed(fixture("not-a-feed.xml"), "https://x.example/")).toThrow("not an RSS 2.0 or Atom feed");
  });
});

describe("pollFeeds", () => {
  it("returns entries naming a component or its package, once per vulnerability across feeds", async () => {
    mockFeeds();
    const { newEntries, seen, problems } = await pollFeeds(fetchFn, configOf(CONFIG), []);
    expect(problems).toEqual([]);
    // CVE-2026-41001 is in both feeds: one entry. The Atom-only advisory has no CVE: its own entry.
    expect(newEntries.map((e) => e.cve ?? e.id)).toEqual(["CVE-2026-41001", "tag:github.example,2008:GHSA-7q3w-c5v8-jj2k"]);
    expect(newEntries[0]!.matched).toEqual(["upload", "acme-upload"]);
    // Each is remembered by its CVE's key and its own id's (a later CVE id does not make it new).
    expect(newEntries.map((e) => e.key)).toEqual(newEntries.map((e) => entryKey(e)));
    expect(seen).toEqual(newEntries.flatMap((e) => [e.key, ...e.aliases]));
    expect(newEntries.map((e) => e.aliases.length)).toEqual([1, 0]);
  });

  it("after a restart (the memory as stored data), nothing is new", async () => {
    mockFeeds();
    const first = await pollFeeds(fetchFn, configOf(CONFIG), []);
    const stored = JSON.parse(JSON.stringify(first.seen)) as string[];
    mockFeeds();
    const second = await pollFeeds(fetchFn, configOf(CONFIG), stored);
    expect(second.newEntries).toEqual([]);
    expect(second.seen).toEqual(stored);
  });

  it("a feed's own keywords replace the defaults", async () => {
    nock("https://nvd.example").get("/feeds/xml/cve/misc/nvd-rss.xml").reply(200, fixture("nvd-recent.rss.xml"));
    const config = configOf(`feeds:\n  - { url: "${RSS_URL}", keywords: [CloudStack] }\n`);
    const { newEntries } = await pollFeeds(fetchFn, config, []);
    expect(newEntries.map((e) => e.cve)).toEqual(["CVE-2026-41003"]);
  });

  it("a failing feed is reported and the others are still read", async () => {
    mockFeeds(503);
    const { newEntries, problems } = await pollFeeds(fetchFn, configOf(CONFIG), []);
    expect(problems).toEqual([{ url: RSS_URL, problem: "HTTP 503" }]);
    expect(newEntries).toHaveLength(2);
  });

  it("the memory is bounded: the oldest keys go first", async () => {
    mockFeeds();
    const old = Array.from({ length: MAX_SEEN }, (_, i) => `old-${i}`);
    const { seen, newEntries } = await pollFeeds(fetchFn, configOf(CONFIG), old);
    expect(seen).toHaveLength(MAX_SEEN);
    expect(seen.slice(-3)).toEqual(newEntries.flatMap((e) => [e.key, ...e.aliases]));
    expect(seen[0]).toBe("old-3");
  });
});

describe("openFeedIssue", () => {
  const octokit = () => new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } } as never);

  async function entry() {
    mockFeeds();
    const { newEntries } = await pollFeeds(fetchFn, configOf(CONFIG), []);
    return newEntries[0]!;
  }

  it("opens one labelled issue with the CVE id, link and neutralised summary, found again after that", async () => {
    const e = await entry();
    const config = configOf(CONFIG);
    gh.api.get("/repos/acme/security/issues").query({ labels: "security", state: "all", since: "2026-11-21T15:15:09.000Z", per_page: "100" }).reply(200, []);
    let created: any;
    gh.api.post("/repos/acme/security/issues", (b) => ((created = b), true)).reply(201, { number: 31 });
    expect(await openFeedIssue(octokit(), "acme/security", config, e, BOT)).toEqual({ number: 31, created: true });
    expect(created.title).toMatch(/^CVE-2026-41001: Path traversal in acme-upload before 2\.4\.1 allows a remote attacker/);
    expect(created.title.length).toBeLessThanOrEqual(166);
    expect(created.labels).toEqual(["security"]);
    expect(created.body).toContain("| **CVE** | CVE-2026-41001 |");
    expect(created.body).toContain("[CVE-2026-41001](https://nvd.example/vuln/detail/CVE-2026-41001)");
    expect(created.body).toContain("cc @\u200bmaintainers");
    expect(created.body).toContain(feedMarker(e.key));

    // A person's issue carrying the same marker does not count; the app's does.
    gh.api.get("/repos/acme/security/issues").query(true).reply(200, [
      { number: 30, body: created.body, user: { login: "mallory" } },
      { number: 31, body: created.body, user: { login: BOT } },
    ]);
    expect(await openFeedIssue(octokit(), "acme/security", config, e, BOT)).toEqual({ number: 31, created: false });
  });

  it("two ticks at once open one issue", async () => {
    const e = await entry();
    const config = configOf(CONFIG);
    gh.api.get("/repos/acme/security/issues").query(true).reply(200, []);
    gh.api.post("/repos/acme/security/issues").reply(201, { number: 32 });
    const kit = octokit();
    const [a, b] = await Promise.all([openFeedIssue(kit, "acme/security", config, e, BOT), openFeedIssue(kit, "acme/security", config, e, BOT)]);
    expect(a).toEqual({ number: 32, created: true });
    expect(b).toEqual(a);
  });
});

describe("a feed entry the feed wrote to break out of the issue's markdown", () => {
  const octokit = () => new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } } as never);
  const FEED = "https://feeds.example/cve.rss";
  const item = (title: string, link: string) =>
    `<?xml version="1.0"?><rss version="2.0"><channel><title>f</title><item><title>${title}</title><link>${link}</link><guid>g-1</guid><description>A flaw in acme-upload before 2.4.1.</description></item></channel></rss>`;

  async function opened(title: string, link: string) {
    nock("https://feeds.example").get("/cve.rss").reply(200, item(title, link));
    const config = configOf(`components:\n  upload: { package: { ecosystem: npm, name: acme-upload } }\nfeeds:\n  - url: ${FEED}\n`);
    const { newEntries } = await pollFeeds(fetchFn, config, []);
    gh.api.get("/repos/acme/security/issues").query(true).reply(200, []);
    let created: any;
    gh.api.post("/repos/acme/security/issues", (b) => ((created = b), true)).reply(201, { number: 40 });
    await openFeedIssue(octokit(), "acme/security", config, newEntries[0]!, BOT);
    return created as { title: string; body: string };
  }
  const entryRow = (body: string) => body.split("\n").find((l) => l.startsWith("| **Entry** |"));

  it.each([
    // A `|` ends the table cell whatever it is in: the link breaks, and what follows is the feed's own cell.
    ["a table cell's end", "https://nvd.example/vuln/a|**Fixed:**_see_https://evil.example/patch", "https://nvd.example/vuln/a%7C**Fixed:**_see_https://evil.example/patch"],
    // A `\` before the template's `)` escapes it: the link never closes.
    ["an escape of the closing parenthesis", "https://nvd.example/vuln/a?q=\\", "https://nvd.example/vuln/a?q&#x3D;%5C"],
    ["a parenthesis, a space, a control character", "https://nvd.example/vuln/a)b c\u0001d", "https://nvd.example/vuln/a%29b%20c%01d"],
  ])("the link cannot carry %s: the Entry cell is one link to the entry's URL", async (_, link, shown) => {
    const { body } = await opened("acme-upload flaw", link);
    expect(entryRow(body)).toBe(`| **Entry** | [acme-upload flaw](${shown}) |`);
  });

  it.each([
    ["a `]`", "acme-upload flaw](https://evil.example/) and [more", "acme-upload flaw\\](https://evil.example/) and \\[more"],
    // Its own backslash would otherwise escape the one put before the `]`.
    ["a `\\` and a `]`", "acme-upload flaw\\](https://evil.example/) and [more", "acme-upload flaw\\\\\\](https://evil.example/) and \\[more"],
  ])("the title cannot close the link's text with %s: it opens no link of the feed's own", async (_, title, shown) => {
    const { body } = await opened(title, "https://nvd.example/vuln/a");
    expect(entryRow(body)).toBe(`| **Entry** | [${shown}](https://nvd.example/vuln/a) |`);
  });

  it("a link that is not http(s) is not linked", async () => {
    const { body } = await opened("acme-upload flaw", "javascript:alert(1)");
    expect(entryRow(body)).toBe("| **Entry** | acme-upload flaw |");
  });

  it("a title cut at 150 characters never keeps half of an emoji", async () => {
    const head = `acme-upload ${"a".repeat(137)}`;
    expect(head).toHaveLength(149);
    const { title } = await opened(`${head}\u{1F600} and more`, "https://nvd.example/vuln/a");
    expect(title).toBe(`Feed entry: ${head}`);
    expect(title).not.toMatch(/\p{Cs}/u);
  });
});
