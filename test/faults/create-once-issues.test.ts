/**
 * The issues the app opens from a report or a feed entry, with Probot's retries ON as in
 * production: GitHub made the issue but answered 502, and no second one is opened (Octokit's retry
 * of the POST would have made it). The fake answers the lookup from what GitHub made.
 */
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pollFeeds, type FetchFn } from "../../src/feeds/poll-feeds.js";
import { feedMarker, openFeedIssue } from "../../src/github/feed-issue.js";
import { setCreatePause } from "../../src/github/create-once.js";
import { createOwnComment } from "../../src/github/own-comment-create.js";
import { BOT, createTestProbot, mockConfig, mockIdentity, mockToken } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { configOf } from "../helpers/security-issue.js";
import { reportedEvent } from "../intake/advisory-payload.js";
import { readFileSync } from "node:fs";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

/** What GitHub made: the issue a POST created, though it answered 502. */
function madeThen502(path: string) {
  const made: { number: number; body: string }[] = [];
  gh.api.post(path).reply(502, (_uri, body: any) => {
    made.push({ number: 12, body: body.body });
    return { message: "Server Error" };
  });
  return () => made.map((m) => ({ ...m, user: { login: BOT }, title: "t", state: "open" }));
}

it("a private report: one intake issue, though GitHub answered 502 to the create it made", async () => {
  const probot = createTestProbot(undefined, {}, { retries: true });
  mockToken(gh);
  mockConfig(gh, "acme", "product", "security_repo: acme/security\n");
  mockConfig(gh, "acme", "security", "components:\n  upload: { repo: acme/product }\n");
  gh.api.get("/repos/acme/security").reply(200, { id: 1, name: "security", full_name: "acme/security", private: true, visibility: "private" });
  mockIdentity(gh);
  const list = () => gh.api.get("/repos/acme/security/issues").query({ state: "all", since: "2026-11-21T08:00:00Z", per_page: "100" });
  list().reply(200, []);
  const made = madeThen502("/repos/acme/security/issues");
  list().reply(200, () => made());
  await probot.receive(reportedEvent());
  expect(made()).toHaveLength(1);
  expect(made()[0]!.body).toContain("<!-- embargo:intake GHSA-abcd-1234-wxyz acme/product");
  expect(gh.requests.filter((r) => r.method === "POST" && r.path === "/repos/acme/security/issues")).toHaveLength(1);
});

it("a feed entry: one issue, though GitHub answered 502 to the create it made", async () => {
  const fixture = (name: string) => readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url), "utf8");
  const config = configOf(["components:", "  upload: { repo: acme/product, package: { ecosystem: npm, name: acme-upload } }", "feeds:", "  - url: https://nvd.example/feed.xml", ""].join("\n"));
  nock("https://nvd.example").get("/feed.xml").reply(200, fixture("nvd-recent.rss.xml"));
  const fetchFn: FetchFn = (url, init) => fetch(url, init);
  const entry = (await pollFeeds(fetchFn, config, [])).newEntries[0]!;
  setCreatePause(0);
  // Probot's Octokit as in production: retries on (waiting 1 ms, not seconds), no throttling.
  const octokit = new ProbotOctokit({ auth: { token: "t" }, retry: { retryAfterBaseValue: 1 }, throttle: { enabled: false } } as never);
  const list = () => gh.api.get("/repos/acme/security/issues").query(true);
  list().reply(200, []);
  const made = madeThen502("/repos/acme/security/issues");
  list().reply(200, () => made().map((m) => ({ ...m, number: 31 })));
  expect(await openFeedIssue(octokit, "acme/security", config, entry, BOT)).toEqual({ number: 31, created: true });
  expect(made()).toHaveLength(1);
  expect(made()[0]!.body).toContain(feedMarker(entry.key));
});

describe("a comment adopted after a lost answer that holds another writer's text", () => {
  const octokit = () => new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } } as never);
  const issue = { owner: "acme", repo: "security", issue_number: 7 };
  const marker = "<!-- embargo:response -->";
  /** GitHub made nothing of this POST (502), but the listing shows the app's comment with that marker, written by another event. */
  function adoptable() {
    setCreatePause(0);
    gh.api.post("/repos/acme/security/issues/7/comments").reply(502, { message: "Server Error" });
    gh.api
      .get("/repos/acme/security/issues/7/comments")
      .query(true)
      .reply(200, [{ id: 900, body: `older text\n\n${marker}`, user: { login: BOT }, html_url: "https://github.com/acme/security/issues/7#issuecomment-900" }]);
  }

  it("with overwrite (a response, a pack): this event's text is written over it, and its address kept", async () => {
    adoptable();
    let written: string | undefined;
    gh.api.patch("/repos/acme/security/issues/comments/900").reply(200, (_uri, body: any) => {
      written = body.body;
      return { id: 900, body: body.body, html_url: "https://github.com/acme/security/issues/7#issuecomment-900" };
    });
    const made = await createOwnComment(octokit(), issue, `new text\n\n${marker}`, marker, BOT, true);
    expect(written).toBe(`new text\n\n${marker}`);
    expect(made).toEqual({ id: 900, body: `new text\n\n${marker}`, url: "https://github.com/acme/security/issues/7#issuecomment-900" });
  });

  it("without (a reply keyed by its marker): left as it is", async () => {
    adoptable();
    const made = await createOwnComment(octokit(), issue, `new text\n\n${marker}`, marker, BOT);
    expect(made.body).toBe(`older text\n\n${marker}`);
    expect(gh.requests.filter((r) => r.method === "PATCH")).toHaveLength(0);
  });
});
