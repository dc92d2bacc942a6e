/**
 * Issue 13: the app remembers (in its store) where each issue's response comment is, so a command
 * costs the same calls with 1 and with 1,000 comments; the remembered id is read again and checked
 * (author, issue, record signature) before it is trusted, and replies stay posted once.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load-config.js";
import { newRecord } from "../../src/record/response-record.js";
import { renderResponse } from "../../src/response/render-response.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { BOT, commentEvent, commentList, createTestProbot, mockIdentity, mockToken, recordOf, RENDER_CONTEXT, SECURITY_REPO_ID, type StoredComment } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";

const ISSUE = "/repos/acme/security/issues/7";
const CONFIG_PATH = `/contents/${encodeURIComponent(".github/embargo.yml")}`;
const CVSS = "/triage cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

async function responseBody(): Promise<string> {
  const config = validateConfig({ team: "acme/sec" });
  if (!config.ok) throw new Error(config.problems.join("\n"));
  return renderResponse(newRecord(new Date("2026-11-20T09:30:00Z"), new Date("2026-11-20T09:31:00Z")), config.config, { title: "t", reporter: "r" }, undefined, RENDER_CONTEXT);
}

/**
 * A private issue with `others` comments by people after the response (id 555), answered as GitHub
 * would: paged lists (with `since`), one comment by id, writes that change what is stored.
 */
async function fakeIssue(others: number, responseId = 555) {
  // Everything before the commands (the example payloads' comments are from 2019-05-15) is older.
  const old = "2019-05-01T00:00:00Z";
  const comments: (StoredComment & { issue?: number; created_at?: string })[] = [{ id: responseId, body: await responseBody(), user: { login: BOT, type: "Bot" }, created_at: old }];
  for (let i = 1; i <= others; i++) comments.push({ id: 10_000 + i, body: `comment ${i}`, user: { login: `user${i % 5}`, type: "User" }, created_at: old });
  const store = new MemoryStore();
  const f = { comments, store, probot: createTestProbot(undefined, { store }), patched: [] as number[], posted: [] as string[] };
  mockToken(gh);
  mockIdentity(gh);
  const s = gh.scope().persist();
  s.get(`/repos/acme/security${CONFIG_PATH}`).reply(200, "team: acme/sec\n", { "content-type": "text/plain; charset=utf-8" });
  s.get("/repos/acme/security/contents/.github").optionally().reply(404, { message: "Not Found" });
  s.get(`${ISSUE}/comments`)
    .query(true)
    .optionally()
    .reply((uri) => {
      const url = new URL(uri, "https://api.github.com");
      const since = url.searchParams.get("since");
      const page = Number(url.searchParams.get("page") ?? "1");
      const here = comments.filter((c) => (c.issue ?? 7) === 7);
      const all = commentList(here).map((c, i) => ({ ...c, created_at: here[i]!.created_at ?? c.created_at, updated_at: here[i]!.created_at ?? c.updated_at }));
      const shown = since ? all.filter((c) => c.updated_at >= since) : all;
      const last = Math.max(1, Math.ceil(shown.length / 100));
      const headers: Record<string, string> = {};
      if (page < last) {
        url.searchParams.set("page", String(page + 1));
        headers.link = `<${url}>; rel="next"`;
      }
      return [200, shown.slice((page - 1) * 100, page * 100), headers];
    });
  s.get(/^\/repos\/acme\/security\/issues\/comments\/\d+$/)
    .optionally()
    .reply((uri) => {
      const id = Number(uri.split("/").pop());
      const c = comments.find((x) => x.id === id);
      if (!c) return [404, { message: "Not Found" }];
      const [listed] = commentList([c]);
      return [200, { ...listed, issue_url: `https://api.github.com/repos/acme/security/issues/${c.issue ?? 7}` }];
    });
  s.get("/orgs/acme/teams/sec/memberships/alice").reply(200, { url: "", role: "member", state: "active" });
  s.get(ISSUE).optionally().reply(200, { number: 7, title: "t", state: "open", user: { login: "r" }, labels: [{ name: "security" }, { name: "security: triage" }], assignees: [] });
  s.post(/^\/repos\/acme\/security\/issues\/comments\/\d+\/reactions$/).optionally().reply(201, (_u, b: any) => ({ id: 1, content: b.content }));
  s.patch(/^\/repos\/acme\/security\/issues\/comments\/\d+$/)
    .optionally()
    .reply((uri, b: any) => {
      const id = Number(uri.split("/").pop());
      f.patched.push(id);
      comments.find((c) => c.id === id)!.body = b.body;
      return [200, { id, body: b.body }];
    });
  s.post(`${ISSUE}/comments`)
    .optionally()
    .reply(201, (_u, b: any) => {
      const id = 30_000 + comments.length;
      f.posted.push(b.body);
      comments.push({ id, body: b.body, user: { login: BOT, type: "Bot" }, created_at: "2019-05-15T15:21:00Z" });
      return { id, body: b.body };
    });
  s.post(`${ISSUE}/labels`).optionally().reply(200, []);
  s.delete(/^\/repos\/acme\/security\/issues\/7\/labels\/.+$/).optionally().reply(200, []);
  return f;
}

function callsOf(from: number): string[] {
  return gh.requests.slice(from).map((r) => `${r.method} ${r.path.replace(/\d{3,}/g, "N")}`).filter((c) => !c.includes("access_tokens") && c !== "GET /app");
}

async function commandCalls(others: number) {
  const f = await fakeIssue(others);
  await f.probot.receive(commentEvent({ commentId: 9001, commentBody: "/triage severity low" }));
  const before = gh.requests.length;
  await f.probot.receive(commentEvent({ commentId: 9002, commentBody: CVSS }));
  return { second: callsOf(before), record: recordOf(f.comments[0]!.body), store: f.store };
}

describe("the response comment is remembered", () => {
  it("a command costs the same calls with 1 and with 1,000 comments, and lists none once the response is known", async () => {
    const one = await commandCalls(1);
    gh.done();
    gh = mockGitHub();
    const many = await commandCalls(1000);
    expect(many.second.length).toBe(one.second.length);
    expect(many.second).toEqual(one.second);
    expect(many.second.filter((c) => c.startsWith(`GET ${ISSUE}/comments`))).toEqual([]);
    expect(many.second).toContain("GET /repos/acme/security/issues/comments/N");
    // Kept in the app's store, under the issue's key.
    expect(await many.store.get(`response-comment:repo:${SECURITY_REPO_ID}#7`)).toBe("555");
    // What the team sees: both commands applied.
    expect(many.record.cvss?.score).toBe(9.8);
    expect(many.record.severity).toBe("critical");
    expect(one.record.cvss?.score).toBe(9.8);
  });

  it("a redelivered command with a bad line answers once: the earlier reply is found among comments since the command", async () => {
    const f = await fakeIssue(300);
    await f.probot.receive(commentEvent({ commentId: 9001, commentBody: "/triage severity low" }));
    const bad = commentEvent({ commentId: 9002, commentBody: "/triage cvss not-a-vector" });
    await f.probot.receive(bad);
    const before = gh.requests.length;
    await f.probot.receive(bad);
    expect(f.posted.filter((b) => b.includes("not-a-vector"))).toHaveLength(1);
    const lists = gh.requests.slice(before).filter((r) => r.method === "GET" && r.path === `${ISSUE}/comments`);
    // One bounded read since the command was written, not 4 pages of the whole issue.
    expect(lists).toHaveLength(1);
    expect(lists[0]!.query.since).toBe(bad.payload.comment.created_at);
  });

  it("a deleted response comment is found again by listing", async () => {
    const f = await fakeIssue(3);
    await f.probot.receive(commentEvent({ commentId: 9001, commentBody: "/triage severity low" }));
    // The response moved: deleted and posted again by the app under another id.
    f.comments[0]!.id = 777;
    await f.probot.receive(commentEvent({ commentId: 9002, commentBody: CVSS }));
    expect(f.patched.at(-1)).toBe(777);
    expect(recordOf(f.comments[0]!.body).cvss?.score).toBe(9.8);
    expect(await f.store.get(`response-comment:repo:${SECURITY_REPO_ID}#7`)).toBe("777");
  });

  it("a remembered id that now answers with someone else's comment, or another issue's, is never trusted", async () => {
    const f = await fakeIssue(3);
    await f.probot.receive(commentEvent({ commentId: 9001, commentBody: "/triage severity low" }));
    const genuine = f.comments[0]!;
    const firstEvent = f.patched.length;
    // Id 555 now answers with a copy of the response written by mallory; the app's response is 556.
    f.comments.unshift({ id: 555, body: genuine.body, user: { login: "mallory", type: "User" } });
    genuine.id = 556;
    await f.probot.receive(commentEvent({ commentId: 9002, commentBody: "/triage severity high" }));
    expect(f.patched.at(-1)).toBe(556);
    expect(recordOf(genuine.body).severity).toBe("high");
    // The app's own response moved to issue #8 under the remembered id: listing #7 again.
    const moved = { ...genuine, id: 556, issue: 8 };
    f.comments.splice(f.comments.indexOf(genuine), 1, moved, { id: 560, body: genuine.body, user: { login: BOT, type: "Bot" } });
    f.comments.shift();
    await f.probot.receive(commentEvent({ commentId: 9003, commentBody: "/triage severity low" }));
    expect(f.patched.at(-1)).toBe(560);
    expect(f.patched.slice(firstEvent).filter((id) => id === 555)).toEqual([]);
  });
});
