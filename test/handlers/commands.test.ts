import { createHash } from "node:crypto";
import Handlebars from "handlebars";
import type { Probot } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parseCommands } from "../../src/commands/parse-commands.js";
import { done } from "../../src/commands/command.js";
import { COMMANDS, usageOf } from "../../src/commands/registry.js";
import { ACTION_EXECUTORS, type ActionResult } from "../../src/github/action-executors.js";
import type { EmbargoConfig } from "../../src/config/config-schema.js";
import { validateConfig } from "../../src/config/load-config.js";
import { replyMarker } from "../../src/record/markers.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { renderResponse } from "../../src/response/render-response.js";
import {
  BOT,
  commentEvent,
  commentList,
  createTestProbot,
  isResponse,
  mockConfig,
  mockIdentity,
  mockNoOverrides,
  mockToken,
  recordOf,
  RENDER_CONTEXT,
  type CommentShape,
  type StoredComment,
  mockResponseLookup,
} from "../helpers/app.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { loadWebhookExample, mockGitHub, type GitHubMock, type RecordedRequest } from "../helpers/github-api.js";
import { WORST_SHAPES } from "../commands/worst-shapes.js";
import { ranOf } from "../../src/record/ran.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => {
  gh.done();
  // Whatever happened, the response comment was edited in place and never posted a second time.
  const posted = gh.requests.filter((r) => r.method === "POST" && r.path === `${ISSUE}/comments`);
  expect(posted.filter((r) => isResponse(String((r.body as { body?: unknown }).body)))).toEqual([]);
});

const ISSUE = "/repos/acme/security/issues/7";
const RESPONSE_ID = 555;
const COMMENT_ID = 9001;

/** The repo config most tests run with: release managers, two components, a longer medium embargo. */
const CONFIG = [
  "release_managers: [rm-alice, rm-bob]",
  "components:",
  "  api: { owners: [api-owner] }",
  "  web: {}",
  "embargo_days: { medium: 40 }",
  "",
].join("\n");
const TEAM_CONFIG = "team: acme/security-team\n";

function configOf(yaml: string | null): EmbargoConfig {
  const result = validateConfig(yaml === null ? null : parseYaml(yaml));
  if (!result.ok) throw new Error(result.problems.join("\n"));
  return result.config;
}

/** A record as intake leaves it: reported 2026-11-20, in triage, the first box ticked. */
function triageRecord(changes: Partial<ResponseRecord> = {}): ResponseRecord {
  const record = newRecord(new Date("2026-11-20T09:30:00Z"), new Date("2026-11-20T09:31:00Z"));
  return { ...record, ticks: { "intake.tracked": { by: "app", at: "2026-11-20T09:31:00.000Z" } }, ...changes };
}

/** Who is asking, as GitHub answers the permission check. */
type Asker =
  | { role: "admin" | "maintain" | "write" | "triage" | "read" }
  | { team: "active" | "pending" }
  | { outsider: "team" | "repo" };

/**
 * A private acme/security issue #7 whose response comment (id 555, by the app) holds `record`.
 * Every write the handler may make is answered by one persistent interceptor that captures what
 * was sent and updates `comments` as GitHub would; tests then assert on `writes()` and the captures.
 */
async function fakeIssue(options: { yaml?: string | null; record?: ResponseRecord | null; responseBody?: string; unassignable?: string[] } = {}) {
  const yaml = options.yaml === undefined ? CONFIG : options.yaml;
  const config = configOf(yaml);
  const record = options.record === undefined ? triageRecord() : options.record;
  const comments: StoredComment[] = [];
  if (options.responseBody !== undefined || record) {
    const body = options.responseBody ?? (await renderResponse(record!, config, { title: "Report", reporter: "reporter" }, undefined, RENDER_CONTEXT));
    comments.push({ id: RESPONSE_ID, body, user: { login: BOT, type: "Bot" } });
  }
  const store = new MemoryStore();
  const probot: Probot = createTestProbot(undefined, { store });
  mockToken(gh);
  mockIdentity(gh);

  const f = {
    probot,
    store,
    yaml,
    config,
    comments,
    /** Bodies the response comment was edited to, in order. */
    responses: [] as string[],
    /** Bodies of new comments the app posted. */
    replies: [] as string[],
    reactions: [] as string[],
    added: [] as string[],
    removed: [] as string[],
    assigned: [] as string[],
    closed: [] as string[],
    get response(): string {
      return comments.find((c) => c.id === RESPONSE_ID)!.body;
    },
    get record(): ResponseRecord {
      return recordOf(this.response);
    },
  };
  const unassignable = new Set(options.unassignable ?? []);
  const writes = gh.scope().persist();
  // Replies to a command are looked for among the comments written since it (the response found by its id).
  writes
    .get(`${ISSUE}/comments`)
    .query((q) => "since" in q)
    .optionally()
    .reply(200, () => commentList(comments));
  writes
    .patch(`/repos/acme/security/issues/comments/${RESPONSE_ID}`)
    .optionally()
    .reply(200, (_uri, b: any) => {
      f.responses.push(b.body);
      comments.find((c) => c.id === RESPONSE_ID)!.body = b.body;
      return { id: RESPONSE_ID, body: b.body };
    });
  writes
    .post(`${ISSUE}/comments`)
    .optionally()
    .reply(201, (_uri, b: any) => {
      const id = 20000 + comments.length;
      f.replies.push(b.body);
      comments.push({ id, body: b.body, user: { login: BOT, type: "Bot" } });
      return { id, body: b.body };
    });
  writes
    .post(/^\/repos\/acme\/security\/issues\/comments\/\d+\/reactions$/)
    .optionally()
    .reply(201, (_uri, b: any) => (f.reactions.push(b.content), { id: 1, content: b.content }));
  writes
    .post(`${ISSUE}/labels`)
    .optionally()
    .reply(200, (_uri, b: any) => (f.added.push(...b.labels), []));
  writes
    .delete(/^\/repos\/acme\/security\/issues\/7\/labels\/.+$/)
    .optionally()
    .reply(200, (uri) => (f.removed.push(decodeURIComponent(uri.split("/").pop()!)), []));
  writes
    .post(`${ISSUE}/assignees`)
    .optionally()
    .reply(201, (_uri, b: any) => {
      f.assigned.push(...b.assignees);
      return { number: 7, assignees: (b.assignees as string[]).filter((l) => !unassignable.has(l)).map((login) => ({ login })) };
    });
  writes
    .patch(ISSUE)
    .optionally()
    .reply(200, (_uri, b: any) => (f.closed.push(`${b.state} ${b.state_reason}`), { number: 7, state: b.state }));
  return f;
}
type FakeIssue = Awaited<ReturnType<typeof fakeIssue>>;

/** The reads of one command event: config, the comment list, the permission check, and (when a template renders) the overrides folder. */
async function expectReads(f: FakeIssue, asker: Asker, login: string, overrides: boolean, current?: IssueNow | false, byId?: number) {
  mockConfig(gh, "acme", "security", f.yaml);
  await mockResponseLookup(gh, f.store, () => f.comments, { id: byId });
  if ("role" in asker) {
    const permission = { admin: "admin", maintain: "write", write: "write", triage: "read", read: "read" }[asker.role];
    gh.api
      .get(`/repos/acme/security/collaborators/${login}/permission`)
      .reply(200, { permission, role_name: asker.role, user: { login, id: 77, type: "User" } });
  } else if ("team" in asker) {
    gh.api.get(`/orgs/acme/teams/security-team/memberships/${login}`).reply(200, { url: "", role: "member", state: asker.team });
  } else if (asker.outsider === "team") {
    gh.api.get(`/orgs/acme/teams/security-team/memberships/${login}`).reply(404, { message: "Not Found" });
    gh.api.get("/orgs/acme/teams/security-team").reply(200, { id: 1, slug: "security-team", name: "security-team" });
  } else {
    gh.api.get(`/repos/acme/security/collaborators/${login}/permission`).reply(404, { message: "Not Found" });
  }
  if (overrides) mockNoOverrides(gh, "acme", "security");
  if (current) mockIssueNow(current);
}

/** The issue as GitHub answers `GET …/issues/7` now: the handler reads it instead of trusting the payload. */
interface IssueNow {
  labels?: string[];
  assignees?: string[];
  state?: "open" | "closed";
}

function mockIssueNow(now: IssueNow) {
  gh.api.get(ISSUE).reply(200, {
    number: 7,
    title: "Report",
    state: now.state ?? "open",
    user: { login: "reporter" },
    labels: (now.labels ?? ["security", "security: triage"]).map((name) => ({ name })),
    assignees: (now.assignees ?? []).map((login) => ({ login })),
  });
}

type Send = Partial<CommentShape> & { asker?: Asker; overrides?: boolean; current?: IssueNow | false };

/**
 * One command comment by alice (an admin unless told otherwise), with the reads it costs. The issue
 * is read when the command runs (`overrides`); unless told otherwise GitHub has what the payload says.
 */
async function send(f: FakeIssue, commentBody: string, shape: Send = {}) {
  const { asker = { role: "admin" }, overrides = true, current, ...rest } = shape;
  const event = commentEvent({ commentId: COMMENT_ID, commentBody, ...rest });
  const now = current ?? (overrides && { labels: rest.labels, assignees: rest.assignees, state: rest.state });
  await expectReads(f, asker, rest.sender ?? "alice", overrides, now);
  await f.probot.receive(event);
  return event;
}

/**
 * The comment's edit history as GitHub's GraphQL answers it: read only when the author's edit keeps a
 * line that never ran (a retry, or another's edit the app never got).
 */
function mockEditors(logins: string[]) {
  gh.api.post("/graphql", (b) => String(b.query).includes("userContentEdits")).reply(200, { data: { node: { userContentEdits: { totalCount: logins.length, nodes: logins.map((login) => ({ editor: { login } })) } } } });
}

/** Every write the handler made (since request number `from`), in order, in words (a GraphQL query is a read). */
function writes(from = 0): string[] {
  return gh.requests.slice(from).filter((r) => r.method !== "GET" && !r.path.startsWith("/app/") && r.path !== "/graphql").map(describeWrite);
}

function describeWrite(r: RecordedRequest): string {
  const b = r.body as any;
  if (r.path.endsWith("/reactions")) return `react ${b.content}`;
  if (r.method === "PATCH" && r.path === `/repos/acme/security/issues/comments/${RESPONSE_ID}`) return "edit response";
  if (r.method === "POST" && r.path === `${ISSUE}/comments`) return "reply";
  if (r.method === "POST" && r.path === `${ISSUE}/labels`) return `add labels ${b.labels.join(", ")}`;
  if (r.method === "DELETE" && r.path.startsWith(`${ISSUE}/labels/`)) return `remove label ${decodeURIComponent(r.path.split("/").pop()!)}`;
  if (r.method === "POST" && r.path === `${ISSUE}/assignees`) return `assign ${b.assignees.join(", ")}`;
  if (r.method === "PATCH" && r.path === ISSUE) return `close ${b.state_reason}`;
  return `${r.method} ${r.path}`;
}

/** The writes of a command comment that applied and changed only the record. */
const APPLIED = ["react eyes", "edit response", "react +1"];

/** A command line as the error reply quotes it: mentions defused, then HTML-escaped by Handlebars. */
function quoted(line: string): string {
  return `> ${Handlebars.Utils.escapeExpression(line.replace(/@(?=[A-Za-z0-9_-])/g, "@\u200b"))}\n`;
}

/** Record fields a failed command must leave as they were (`ran` may gain an empty entry, see the bug test). */
function withoutRan(record: ResponseRecord) {
  const { ran: _ran, ...rest } = record;
  return rest;
}

describe("each command's happy path", () => {
  it("confirm: state confirmed, release managers mentioned once, labels follow; a second confirm mentions nobody", async () => {
    const f = await fakeIssue();
    await send(f, "/triage confirm");
    expect(writes()).toEqual(["react eyes", "reply", "add labels security: confirmed", "remove label security: triage", "edit response", "react +1"]);
    expect(f.reactions).toEqual(["eyes", "+1"]);
    expect(f.replies).toHaveLength(1);
    expect(f.replies[0]).toMatch(/^@rm-alice @rm-bob — this security issue is \*\*confirmed\*\*/);
    expect(f.replies[0]).toContain(replyMarker("release-managers"));
    expect(f.response).toContain("| **State** | Confirmed |");
    expect(f.response).toMatch(/- \[x\] Decided: confirmed as a vulnerability/);
    expect(f.response).toMatch(/- \[x\] Release manager for the target release told/);
    expect(f.record).toMatchObject({ state: "confirmed", release_managers_told: true });
    expect(f.record.ticks["triage.decision"]?.by).toBe("app");

    const mark = gh.requests.length;
    await send(f, "/triage confirm", { commentId: COMMENT_ID + 1, labels: ["security", "security: confirmed"] });
    expect(writes(mark)).toEqual(APPLIED);
    expect(f.replies).toHaveLength(1);
  });

  it("confirm: release managers already told are not mentioned again, even when the earlier reply is gone", async () => {
    const f = await fakeIssue({ record: triageRecord({ release_managers_told: true }) });
    await send(f, "/triage confirm");
    expect(f.replies).toEqual([]);
    expect(f.record.state).toBe("confirmed");
  });

  it("confirm without release managers configured: no reply, the release-manager box stays open", async () => {
    const f = await fakeIssue({ yaml: null });
    await send(f, "/triage confirm");
    expect(f.replies).toEqual([]);
    expect(f.response).toMatch(/- \[ \] Release manager for the target release told/);
    expect(f.record.release_managers_told).toBeUndefined();
  });

  it("invalid <reason>: the reporter is told why from the template, the issue closes as not planned", async () => {
    const f = await fakeIssue();
    await send(f, "/triage invalid The endpoint requires admin rights, which already allow this.");
    expect(writes()).toEqual([
      "react eyes",
      "reply",
      "add labels security: invalid",
      "remove label security: triage",
      "close not_planned",
      "edit response",
      "react +1",
    ]);
    expect(f.replies[0]).toMatch(/^@reporter, thank you for your report\. The security team looked into it and concluded that it is not a vulnerability/);
    expect(f.replies[0]).toContain("> The endpoint requires admin rights, which already allow this.");
    expect(f.replies[0]).toContain("We are closing this issue.");
    expect(f.closed).toEqual(["closed not_planned"]);
    expect(f.added).toEqual(["security: invalid"]);
    expect(f.removed).toEqual(["security: triage"]);
    expect(f.record).toMatchObject({ state: "invalid", reason: "The endpoint requires admin rights, which already allow this." });
    expect(f.response).toContain("| **State** | Closed: invalid |");
    expect(f.response).toMatch(/- \[x\] This issue closed/);
  });

  it("invalid: a reason that mentions someone does not ping them", async () => {
    const f = await fakeIssue();
    await send(f, "/triage invalid As @mallory said, it needs admin.");
    expect(f.replies[0]).toContain("> As @\u200bmallory said, it needs admin.");
  });

  it("no-action <reason>: recorded and closed as completed", async () => {
    const f = await fakeIssue();
    await send(f, "/triage no-action We do not ship the affected module.");
    expect(writes()).toEqual(["react eyes", "add labels security: no-action", "remove label security: triage", "close completed", "edit response", "react +1"]);
    expect(f.closed).toEqual(["closed completed"]);
    expect(f.record).toMatchObject({ state: "no-action", reason: "We do not ship the affected module." });
    expect(f.response).toContain("| **State** | Closed: no action needed |");
  });

  it("no-action on an issue someone already closed does not close it again", async () => {
    const f = await fakeIssue();
    await send(f, "/triage no-action Duplicate of #3.", { state: "closed" });
    expect(f.closed).toEqual([]);
    expect(f.record.state).toBe("no-action");
  });

  it("cvss 3.1: score, severity, its label and the embargo end (reported 2026-11-20 + 15 days)", async () => {
    const f = await fakeIssue();
    await send(f, "/triage cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    expect(writes()).toEqual(["react eyes", "add labels severity: critical", "edit response", "react +1"]);
    expect(f.record).toMatchObject({
      severity: "critical",
      cvss: { version: "3.1", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", score: 9.8 },
      embargo_end: "2026-12-05",
    });
    expect(f.response).toContain("| **Severity** | critical — CVSS 3.1 score 9.8, `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H` |");
    expect(f.response).toContain("| **Embargo ends** | 2026-12-05 (13 days left) |");
    expect(f.response).toMatch(/- \[x\] Risk rated with CVSS/);
    expect(f.response).toMatch(/- \[x\] Embargo agreed with the reporter/);
  });

  it("cvss 4.0: a medium score uses the configured medium embargo (40 days) and replaces the old severity label", async () => {
    const f = await fakeIssue({ record: triageRecord({ severity: "high", embargo_end: "2026-12-10" }) });
    await send(f, "/triage cvss CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N", {
      labels: ["security", "security: triage", "severity: high"],
    });
    expect(writes()).toEqual(["react eyes", "add labels severity: medium", "remove label severity: high", "edit response", "react +1"]);
    expect(f.record).toMatchObject({ severity: "medium", cvss: { version: "4.0", score: 5.3 }, embargo_end: "2026-12-30" });
    expect(f.response).toContain("| **Severity** | medium — CVSS 4.0 score 5.3,");
  });

  it("cvss accepts metrics out of order and stores them in spec order", async () => {
    const f = await fakeIssue();
    await send(f, "/triage cvss CVSS:3.1/C:H/I:H/A:H/AV:N/AC:L/PR:N/UI:N/S:U");
    expect(f.record.cvss?.vector).toBe("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
  });

  it("severity: rated by hand, the CVSS vector is dropped and the embargo follows (20 days for high)", async () => {
    const f = await fakeIssue({
      record: triageRecord({ state: "confirmed", severity: "critical", embargo_end: "2026-12-05", cvss: { version: "3.1", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", score: 9.8 } }),
    });
    await send(f, "/triage severity HIGH", { labels: ["security", "security: confirmed", "severity: critical"] });
    expect(writes()).toEqual(["react eyes", "add labels severity: high", "remove label severity: critical", "edit response", "react +1"]);
    expect(f.record.severity).toBe("high");
    expect(f.record.cvss).toBeUndefined();
    expect(f.record.embargo_end).toBe("2026-12-10");
    expect(f.response).toContain("| **Severity** | high |");
  });

  it("component: names are matched against the config's components, case-insensitively, and kept once", async () => {
    const f = await fakeIssue({ record: triageRecord({ components: ["web"] }) });
    await send(f, "/triage component API, web");
    expect(writes()).toEqual(APPLIED);
    expect(f.record.components).toEqual(["web", "api"]);
    expect(f.response).toMatch(/- \[x\] Each affected component identified/);
  });

  it("component: any name is accepted when the config lists no components", async () => {
    const f = await fakeIssue({ yaml: null });
    await send(f, "/triage component billing");
    expect(f.record.components).toEqual(["billing"]);
  });

  it("affects: the range is normalised to GitHub's advisory form", async () => {
    const f = await fakeIssue();
    await send(f, "/triage affects npm/left-pad >=1.0.0,<1.3.1");
    expect(writes()).toEqual(APPLIED);
    expect(f.record.affected).toEqual([{ ecosystem: "npm", package: "left-pad", range: ">= 1.0.0, < 1.3.1" }]);
  });

  it("fixed: one version per package, given again it replaces the first", async () => {
    const f = await fakeIssue({ record: triageRecord({ fixed: [{ ecosystem: "npm", package: "left-pad", version: "1.3.0" }] }) });
    await send(f, "/triage fixed npm/left-pad 1.3.1\n/triage fixed maven/org.x:core v4.18.2");
    expect(writes()).toEqual(APPLIED);
    expect(f.record.fixed).toEqual([
      { ecosystem: "npm", package: "left-pad", version: "1.3.1" },
      { ecosystem: "maven", package: "org.x:core", version: "v4.18.2" },
    ]);
    expect(f.response).toMatch(/- \[x\] Fixed-in versions recorded/);
  });

  it("cwe: written as CWE-<n>, each id kept once", async () => {
    const f = await fakeIssue();
    await send(f, "/triage cwe cwe-79\n/triage cwe CWE-22\n/triage cwe CWE-79");
    expect(f.record.cwes).toEqual(["CWE-79", "CWE-22"]);
    expect(f.response).toMatch(/- \[x\] Weakness classified \(CWE\)/);
    expect(f.reactions).toEqual(["eyes", "+1"]);
  });

  it("cve: upper-cased and shown in the status table", async () => {
    const f = await fakeIssue();
    await send(f, "/triage cve cve-2026-12345");
    expect(writes()).toEqual(APPLIED);
    expect(f.record.cve).toBe("CVE-2026-12345");
    expect(f.response).toContain("| **CVE** | CVE-2026-12345 |");
  });

  it("mitigation: recorded once, case and punctuation kept", async () => {
    const f = await fakeIssue();
    await send(f, "/triage mitigation Set `uploads.enabled: false` until you upgrade.");
    expect(f.record.mitigations).toEqual(["Set `uploads.enabled: false` until you upgrade."]);
    expect(f.response).toMatch(/- \[x\] What the report says must be done is known/);
  });

  it("upstream: the URL is recorded as a reference", async () => {
    const f = await fakeIssue();
    await send(f, "/triage upstream https://nvd.nist.gov/vuln/detail/CVE-2026-12345");
    expect(f.record.upstream).toEqual(["https://nvd.nist.gov/vuln/detail/CVE-2026-12345"]);
    expect(f.response).toMatch(/- \[x\] Original CVE report or upstream advisory located/);
  });

  it("credit: finder by default; giving a login again changes its type", async () => {
    const f = await fakeIssue({ record: triageRecord({ credits: [{ login: "octocat", type: "finder" }] }) });
    await send(f, "/triage credit @hubot\n/triage credit @OctoCat remediation_developer");
    expect(writes()).toEqual(APPLIED);
    expect(f.record.credits).toEqual([
      { login: "hubot", type: "finder" },
      { login: "OctoCat", type: "remediation_developer" },
    ]);
  });

  it("assign: experts are assigned and mentioned once; assigning them again mentions nobody", async () => {
    const f = await fakeIssue();
    await send(f, "/triage assign @octocat @hubot");
    expect(writes()).toEqual(["react eyes", "reply", "assign octocat, hubot", "edit response", "react +1"]);
    expect(f.replies[0]).toMatch(/^@octocat @hubot — the security team asks for your help triaging this report\./);
    expect(f.record).toMatchObject({ experts: ["octocat", "hubot"], experts_told: ["octocat", "hubot"] });
    expect(f.response).toMatch(/- \[x\] Triager assigned/);

    const mark = gh.requests.length;
    await send(f, "/triage assign @octocat", { commentId: COMMENT_ID + 1, assignees: ["octocat", "hubot"] });
    expect(writes(mark)).toEqual(APPLIED);
    expect(f.replies).toHaveLength(1);
  });

  it("assign: a login with a hyphen is mentioned even after two logins that read the same joined (`a`, `b`, then `a-b`)", async () => {
    const f = await fakeIssue();
    await send(f, "/triage assign @a @b");
    // A reply keyed by no comment (experts are mentioned once per response) is looked for among all comments.
    gh.api.get(`${ISSUE}/comments`).query({ per_page: 100 }).reply(200, () => commentList(f.comments));
    await send(f, "/triage assign @a-b", { commentId: COMMENT_ID + 1, assignees: ["a", "b"] });
    expect(f.record.experts_told).toEqual(["a", "b", "a-b"]);
    expect(f.replies).toHaveLength(2);
    expect(f.replies[1]).toMatch(/^@a-b — the security team asks for your help triaging this report\./);
  });

  it("assign: a person GitHub will not assign is named in a reply (without a ping)", async () => {
    const f = await fakeIssue({ unassignable: ["mallory"] });
    await send(f, "/triage assign @octocat @mallory");
    expect(writes()).toEqual(["react eyes", "reply", "assign octocat, mallory", "reply", "edit response", "react +1"]);
    expect(f.replies[1]).toMatch(/^GitHub would not assign @\u200bmallory \(not a collaborator on this repository\?\)\. They were recorded as experts/);
    expect(f.replies[1]).not.toContain("octocat");
    expect(f.record.experts).toEqual(["octocat", "mallory"]);
  });

  // BUG (src/handlers/commands.ts, the `unassignable-${commentKey}` reply key): the key names the
  // comment, not the people, so when an edit of the same comment assigns another person GitHub
  // will not assign, the second notice is taken for the first and never posted.
  it("assign: an edit that names another unassignable person says so too", async () => {
    const f = await fakeIssue({ unassignable: ["mallory", "eve"] });
    await send(f, "/triage assign @mallory");
    expect(f.replies.filter((r) => r.startsWith("GitHub would not assign"))).toHaveLength(1);
    // A reply kept once per issue (the experts named) is looked for in the whole list.
    gh.api.get(`${ISSUE}/comments`).query({ per_page: 100 }).reply(200, () => commentList(f.comments));
    await send(f, "/triage assign @mallory\n/triage assign @eve", { action: "edited", previousBody: "/triage assign @mallory" });
    expect(f.assigned).toEqual(["mallory", "eve"]);
    const notices = f.replies.filter((r) => r.startsWith("GitHub would not assign"));
    expect(notices).toHaveLength(2);
    expect(notices[1]).toContain("@\u200beve");
  });

  it("ticket: the support ticket is linked and its box ticked", async () => {
    const f = await fakeIssue();
    await send(f, "/triage ticket https://support.example.org/tickets/4711");
    expect(writes()).toEqual(APPLIED);
    expect(f.record.tickets).toEqual(["https://support.example.org/tickets/4711"]);
    expect(f.response).toMatch(/- \[x\] If a support ticket was raised, link it here/);
  });

  it("embargo: set by hand; a later cvss changes the severity but not the date", async () => {
    const f = await fakeIssue();
    await send(f, "/triage embargo 2026-12-24");
    expect(writes()).toEqual(APPLIED);
    expect(f.record).toMatchObject({ embargo_end: "2026-12-24", embargo_by_hand: true });
    expect(f.response).toContain("| **Embargo ends** | 2026-12-24 (32 days left) |");

    await send(f, "/triage cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", { commentId: COMMENT_ID + 1 });
    expect(f.record).toMatchObject({ severity: "critical", embargo_end: "2026-12-24" });
    await send(f, "/triage severity low", { commentId: COMMENT_ID + 2, labels: ["security", "security: triage", "severity: critical"] });
    expect(f.record).toMatchObject({ severity: "low", embargo_end: "2026-12-24" });
  });

  it("reproduced: yes and no", async () => {
    const f = await fakeIssue();
    await send(f, "/triage reproduced Yes");
    expect(f.record.reproduced).toBe(true);
    expect(f.response).toMatch(/- \[x\] Reproduced on a suitable environment/);
    await send(f, "/triage reproduced no", { commentId: COMMENT_ID + 1 });
    expect(f.record.reproduced).toBe(false);
  });

  it("upgrade: the note is recorded and its box ticked", async () => {
    const f = await fakeIssue();
    await send(f, "/triage upgrade Fixed upstream in libfoo 2.4.1; a patch upgrade, no API changes.");
    expect(f.record.upgrade).toBe("Fixed upstream in libfoo 2.4.1; a patch upgrade, no API changes.");
    expect(f.response).toMatch(/- \[x\] Checked whether a newer release of what we use fixes it/);
  });

  it("summary: the one-line advisory summary is recorded", async () => {
    const f = await fakeIssue();
    await send(f, "/triage summary Path traversal in the upload endpoint");
    expect(writes()).toEqual(APPLIED);
    expect(f.record.summary).toBe("Path traversal in the upload endpoint");
  });

  it("status: re-renders a response comment somebody edited badly, from its record", async () => {
    const record = triageRecord({ severity: "low", embargo_end: "2026-12-20" });
    const good = await renderResponse(record, configOf(CONFIG), { title: "Report", reporter: "reporter" }, undefined, RENDER_CONTEXT);
    const broken = good.replace(/\| \*\*Severity\*\* .*\n/, "").replace("| **State** | Triage |", "| **State** | whatever |");
    const f = await fakeIssue({ record, responseBody: broken });
    await send(f, "/triage status", { labels: ["security", "security: triage", "severity: low"] });
    expect(writes()).toEqual(APPLIED);
    expect(f.response).toContain("| **State** | Triage |");
    expect(f.response).toContain("| **Severity** | low |");
    // The same record, written once more.
    expect(withoutRan(f.record)).toEqual(withoutRan({ ...record, seq: 2 }));
  });

  for (const line of ["/triage help", "/help"]) {
    it(`${line}: replies with every command's usage, summary and examples`, async () => {
      const f = await fakeIssue();
      await send(f, line);
      expect(writes()).toEqual(["react eyes", "reply", "edit response", "react +1"]);
      const help = f.replies[0]!;
      expect(help).toMatch(/^\*\*embargo commands\*\*/);
      for (const c of COMMANDS) {
        expect(help).toContain(`| \`${c.usage.replace(/\|/g, "\\|")}\` | ${c.summary}`);
        for (const example of c.examples) expect(help).toContain(`\n${example}\n`);
      }
      expect(help).toContain(replyMarker(`help-${COMMENT_ID}`));
    });
  }

  it("/triage help and /help in one comment give one list", async () => {
    const f = await fakeIssue();
    await send(f, "/triage help\n/help");
    expect(f.replies).toHaveLength(1);
  });
});

describe("bad input", () => {
  const cases: [line: string, error: string, usage?: string][] = [
    ["/triage cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q", `"Q" is not a value of A (allowed: H, L, N)`, "/triage cvss <CVSS 3.0, 3.1 or 4.0 vector>"],
    ["/triage cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "missing base metric(s): A", "/triage cvss <CVSS 3.0, 3.1 or 4.0 vector>"],
    ["/triage cvss AV:N/AC:L/Au:N/C:P/I:P/A:P", "CVSS 2.0 is not supported", "/triage cvss <CVSS 3.0, 3.1 or 4.0 vector>"],
    ["/triage cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", "scores 0.0 (no impact): use `/triage no-action &lt;reason>`", "/triage cvss <CVSS 3.0, 3.1 or 4.0 vector>"],
    ["/triage severity urgent", `"urgent" is not a severity: use one of critical, high, medium, low`, "/triage severity <critical|high|medium|low>"],
    ["/triage cwe 79", `"79" is not a CWE id: write it as CWE-&lt;number>, e.g. CWE-79`, "/triage cwe CWE-<n>"],
    ["/triage cwe CWE-0", `"CWE-0" is not a CWE id`, "/triage cwe CWE-<n>"],
    ["/triage cve CVE-26-1", `"CVE-26-1" is not a CVE id`, "/triage cve CVE-YYYY-NNNN"],
    ["/triage cve CVE-1990-1234", `"CVE-1990-1234" is not a CVE id`, "/triage cve CVE-YYYY-NNNN"],
    ["/triage embargo 2026-02-30", `"2026-02-30" is not a date: write it as YYYY-MM-DD`, "/triage embargo <YYYY-MM-DD>"],
    ["/triage embargo next week", `"next week" is not a date`, "/triage embargo <YYYY-MM-DD>"],
    ["/triage embargo 2026-11-01", "2026-11-01 is not in the future", "/triage embargo <YYYY-MM-DD>"],
    ["/triage embargo 2026-11-22", "2026-11-22 is not in the future", "/triage embargo <YYYY-MM-DD>"],
    ["/triage component db", "not a component in the config: db (known: api, web)", "/triage component <name…>"],
    ["/triage component", "name at least one component", "/triage component <name…>"],
    ["/triage affects cargo/serde <1.0", `"cargo" is not an ecosystem GitHub advisories know`, "/triage affects <ecosystem>/<package> <range>"],
    ["/triage affects npm/left-pad latest", `"latest" is not a version range`, "/triage affects <ecosystem>/<package> <range>"],
    ["/triage affects npm/left-pad", "give the package and the range", "/triage affects <ecosystem>/<package> <range>"],
    ["/triage affects left-pad <1.3.1", `"left-pad" is not &lt;ecosystem>/&lt;package>`, "/triage affects <ecosystem>/<package> <range>"],
    ["/triage fixed npm/left-pad", "give the package and one version", "/triage fixed <ecosystem>/<package> <version>"],
    ["/triage fixed npm/left-pad soon", `"soon" is not a version`, "/triage fixed <ecosystem>/<package> <version>"],
    ["/triage fixed pypi/requests 2.0", `"pypi" is not an ecosystem`, "/triage fixed <ecosystem>/<package> <version>"],
    ["/triage credit @octocat hero", `"hero" is not a credit type`, "/triage credit @login [analyst|finder|"],
    ["/triage credit @octocat finder extra", "give one login and at most one credit type", "/triage credit @login"],
    ["/triage assign @not_a_login!", "not a GitHub login: @\u200bnot_a_login!", "/triage assign @login…"],
    ["/triage assign", "name at least one person", "/triage assign @login…"],
    ["/triage ticket ftp://support.example.org/4711", `"ftp://support.example.org/4711" is not an http(s) URL`, "/triage ticket <url>"],
    ["/triage upstream see NVD", `"see NVD" is not an http(s) URL`, "/triage upstream <url>"],
    ["/triage reproduced maybe", `answer yes or no, not "maybe"`, "/triage reproduced <yes|no>"],
    ["/triage invalid", "the reason is missing", "/triage invalid <reason>"],
    ["/triage no-action", "the reason is missing", "/triage no-action <reason>"],
    ["/triage mitigation", "the mitigation is missing", "/triage mitigation <text>"],
    ["/triage upgrade", "the upgrade note is missing", "/triage upgrade <text>"],
    ["/triage summary", "the summary is missing", "/triage summary <one line>"],
    ["/triage frobnicate now", "`/triage frobnicate` is not a command (known: confirm, invalid, no-action, cvss,", "/triage help"],
    ["/announce draft", "no advisory can be drafted yet: the response is not confirmed yet", "/announce draft"],
  ];

  it.each(cases)("%s → the line is quoted with the error and the usage, nothing changes, no 👍", async (line, error, usage) => {
    const f = await fakeIssue();
    const before = f.record;
    await send(f, line);
    expect(f.reactions).toEqual(["eyes"]);
    expect(f.replies).toHaveLength(1);
    const reply = f.replies[0]!;
    expect(reply).toMatch(/^Some commands were not applied; nothing from these lines changed:/);
    expect(reply).toContain(quoted(line));
    expect(reply).toContain(error);
    if (usage) expect(reply).toContain(`Usage: \`${usage}`);
    expect(f.added).toEqual([]);
    expect(f.removed).toEqual([]);
    expect(f.assigned).toEqual([]);
    expect(f.closed).toEqual([]);
    expect(withoutRan(f.record)).toEqual(withoutRan(before));
    expect(ranOf(f.record.ran).get(String(COMMENT_ID)) ?? []).toEqual([]);
  });

  it("a bare /triage is answered with the known sub-commands", async () => {
    const f = await fakeIssue();
    await send(f, "/triage");
    expect(f.replies[0]).toContain(`give a sub-command after \`/triage\` (known: ${usageOf("triage")}) Usage: \`/triage help\``);
    expect(f.reactions).toEqual(["eyes"]);
  });

  it("a 3,000-character line is refused with its length, quoted only in part", async () => {
    const f = await fakeIssue();
    const line = `/triage summary ${"x".repeat(2984)}`;
    expect(line).toHaveLength(3000);
    await send(f, line);
    expect(f.reactions).toEqual(["eyes"]);
    expect(f.replies[0]).toContain("the line is 3000 characters long; commands take at most 2000");
    expect(f.replies[0]).toContain(`> ${line.slice(0, 300)}\n`);
    expect(f.replies[0]).not.toContain(line.slice(0, 301));
    expect(f.record.summary).toBeUndefined();
  });

  it("a reason over 1,000 characters is refused by the command, not applied", async () => {
    const f = await fakeIssue();
    await send(f, `/triage invalid ${"y".repeat(1001)}`);
    expect(f.replies[0]).toContain("the reason is 1001 characters long; keep it under 1000");
    expect(f.closed).toEqual([]);
    expect(f.record.state).toBe("triage");
  });

  it("an error that quotes an @mention or HTML cannot ping anyone or inject markup", async () => {
    const f = await fakeIssue();
    await send(f, "/triage assign @octocat <img src=x> @everyone-team!");
    const reply = f.replies[0]!;
    // Mentions inside code spans (the usage) never notify; outside them every "@" is defused.
    expect(reply.replace(/`[^`]*`/g, "")).not.toMatch(/@[A-Za-z]/);
    expect(reply).not.toContain("<img");
    expect(f.assigned).toEqual([]);
  });

  // BUG (src/handlers/commands.ts, the `ranEntries` line): a comment whose every line fails
  // still stores `ran["<comment id>"] = []`, so the record changes and the response comment is
  // PATCHed although nothing was applied; the empty entry also takes one of the 100 kept slots.
  it("a comment whose every line fails does not write the response comment", async () => {
    const f = await fakeIssue();
    await send(f, "/triage cwe 79");
    expect(writes()).toEqual(["react eyes", "reply"]);
  });
});

describe("who may run commands", () => {
  it("a member of the configured team (active membership) may", async () => {
    const f = await fakeIssue({ yaml: TEAM_CONFIG });
    await send(f, "/triage confirm", { asker: { team: "active" } });
    expect(f.reactions).toEqual(["eyes", "+1"]);
    expect(f.record.state).toBe("confirmed");
  });

  it("a pending team invitation is not membership yet", async () => {
    const f = await fakeIssue({ yaml: TEAM_CONFIG });
    await send(f, "/triage confirm", { asker: { team: "pending" }, overrides: false });
    expect(writes()).toEqual(["reply"]);
    expect(f.replies[0]).toMatch(/^@alice only members of the acme\/security-team team may run embargo commands here, so nothing was changed\./);
  });

  it("someone outside the team (404) gets a short refusal naming the team, and nothing else changes", async () => {
    const f = await fakeIssue({ yaml: TEAM_CONFIG });
    await send(f, "/triage confirm\n/triage invalid spam", { asker: { outsider: "team" }, sender: "mallory", overrides: false });
    expect(writes()).toEqual(["reply"]);
    expect(f.replies).toEqual([
      `@mallory only members of the acme/security-team team may run embargo commands here, so nothing was changed.\n\n${replyMarker(`refused-${COMMENT_ID}`)}`,
    ]);
    expect(f.responses).toEqual([]);
    expect(f.record.state).toBe("triage");
  });

  for (const role of ["admin", "maintain"] as const) {
    it(`with no team configured, the ${role} role may`, async () => {
      const f = await fakeIssue();
      await send(f, "/triage reproduced yes", { asker: { role } });
      expect(writes()).toEqual(APPLIED);
      expect(f.record.reproduced).toBe(true);
    });
  }

  for (const role of ["write", "triage", "read"] as const) {
    it(`with no team configured, the ${role} role is refused`, async () => {
      const f = await fakeIssue();
      await send(f, "/triage reproduced yes", { asker: { role }, overrides: false });
      expect(writes()).toEqual(["reply"]);
      expect(f.replies[0]).toMatch(/^@alice only people with the admin or maintain role on this repository may run embargo commands here, so nothing was changed\./);
      expect(f.record.reproduced).toBeUndefined();
    });
  }

  it("with no team configured, an outsider (404) is refused", async () => {
    const f = await fakeIssue();
    await send(f, "/triage confirm", { asker: { outsider: "repo" }, sender: "stranger", overrides: false });
    expect(writes()).toEqual(["reply"]);
    expect(f.replies[0]).toMatch(/^@stranger only people with the admin or maintain role/);
  });

  it("a refused person who edits the comment is not told twice", async () => {
    const f = await fakeIssue();
    await send(f, "/triage confirm", { asker: { outsider: "repo" }, overrides: false });
    await send(f, "/triage confirm\n/triage cwe CWE-79", { action: "edited", asker: { outsider: "repo" }, overrides: false });
    expect(f.replies).toHaveLength(1);
  });

  it("a Bot sender costs no request at all", async () => {
    await createTestProbot().receive(commentEvent({ commentBody: "/triage confirm", sender: "dependabot[bot]", senderType: "Bot" }));
    expect(gh.requests).toEqual([]);
  });
});

describe("several commands in one comment", () => {
  it("the good lines apply, the bad one is reported, and no 👍 is given", async () => {
    const f = await fakeIssue();
    await send(f, ["Looked into it, this is real.", "/triage confirm", "/triage cwe 79", "/triage cve CVE-2026-12345", "thanks!"].join("\n"));
    expect(writes()).toEqual(["react eyes", "reply", "reply", "add labels security: confirmed", "remove label security: triage", "edit response"]);
    expect(f.record).toMatchObject({ state: "confirmed", cve: "CVE-2026-12345", cwes: [] });
    expect(f.replies[0]).toMatch(/^@rm-alice @rm-bob/);
    const errors = f.replies[1]!;
    expect(errors).toContain("> /triage cwe 79\n");
    expect(errors).not.toContain("/triage confirm");
    expect(errors).toContain("The other commands in the comment were applied.");
    expect(f.reactions).toEqual(["eyes"]);
    expect(ranOf(f.record.ran).get(String(COMMENT_ID))).toHaveLength(2);
  });

  it("a comment whose only command failed is not told that its other commands were applied", async () => {
    const f = await fakeIssue();
    await send(f, "Rated it:\n/triage cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H");
    expect(f.replies).toHaveLength(1);
    expect(f.replies[0]).toContain("> /triage cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H\n");
    expect(f.replies[0]).not.toMatch(/other commands/i);
    expect(f.record.severity).toBeUndefined();
  });

  it("each line sees the record the lines before it left", async () => {
    const f = await fakeIssue();
    await send(f, "/triage embargo 2027-01-31\n/triage cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    expect(f.record).toMatchObject({ severity: "critical", embargo_end: "2027-01-31" });
  });
});

describe("lines that are not commands", () => {
  it("quoted and code-fenced commands never run and cost no request", async () => {
    const body = ["> /triage confirm", "", "```", "/triage invalid not real", "```", "~~~", "/triage no-action nope", "~~~", "  /triage confirm", "see /triage confirm"].join("\n");
    await createTestProbot().receive(commentEvent({ commentBody: body }));
    expect(gh.requests).toEqual([]);
  });

  it("a quoted command beside a real one: only the real one runs", async () => {
    const f = await fakeIssue();
    await send(f, "> /triage invalid the reporter's words\n\n/triage reproduced yes");
    expect(writes()).toEqual(APPLIED);
    expect(f.record).toMatchObject({ state: "triage", reproduced: true });
  });

  it("a command whose words are separated by a no-break space (pasted from chat or a word processor) runs as GitHub shows it", async () => {
    const f = await fakeIssue();
    await send(f, "/triage\u00a0cwe\u00a0CWE-79\n/triage\u3000reproduced yes");
    expect(writes()).toEqual(APPLIED);
    expect(f.record).toMatchObject({ cwes: ["CWE-79"], reproduced: true });
  });

  it("a comment without any command costs no request", async () => {
    await createTestProbot().receive(commentEvent({ commentBody: "I can reproduce this on 4.18.1. Will look at /triage docs later." }));
    expect(gh.requests).toEqual([]);
  });

  it("commands on a public repository are ignored", async () => {
    await createTestProbot().receive(commentEvent({ commentBody: "/triage confirm", private: false }));
    expect(gh.requests).toEqual([]);
  });
});

describe("edits and redeliveries", () => {
  it("an edited comment re-runs nothing that already ran; a newly added line runs", async () => {
    const [severityLine] = parseCommands("/triage severity high");
    // `/triage severity high` ran from this comment earlier; another comment has since lowered it.
    const record = triageRecord({ severity: "low", embargo_end: "2026-12-20", ran: { [String(COMMENT_ID)]: [severityLine!.hash] } });
    const f = await fakeIssue({ record });
    await send(f, "/triage severity high\n/triage cwe CWE-79", {
      action: "edited",
      previousBody: "/triage severity high",
      labels: ["security", "security: triage", "severity: low"],
    });
    expect(writes()).toEqual(APPLIED);
    expect(f.record).toMatchObject({ severity: "low", embargo_end: "2026-12-20", cwes: ["CWE-79"] });
    expect(ranOf(f.record.ran).get(String(COMMENT_ID))).toEqual([severityLine!.hash, parseCommands("/triage cwe CWE-79")[0]!.hash]);
  });

  it("fixing a bad line by an edit runs the fixed line only", async () => {
    const f = await fakeIssue();
    await send(f, "/triage reproduced yes\n/triage cwe 79");
    expect(f.reactions).toEqual(["eyes"]);
    await send(f, "/triage reproduced yes\n/triage cwe CWE-79", { action: "edited", previousBody: "/triage reproduced yes\n/triage cwe 79" });
    expect(f.record).toMatchObject({ reproduced: true, cwes: ["CWE-79"] });
    expect(f.replies).toHaveLength(1); // only the first error report
    expect(f.reactions).toEqual(["eyes", "eyes", "+1"]);
  });

  it("a redelivered created event applies nothing twice and posts no second reply", async () => {
    const f = await fakeIssue();
    const event = await send(f, "/triage confirm\n/triage assign @octocat");
    expect(f.responses).toHaveLength(1);
    expect(f.replies).toHaveLength(2);
    const recordAfterFirst = f.record;
    const mark = gh.requests.length;

    // The payload still carries the labels of its time; GitHub now has what the first delivery set.
    expectReads(f, { role: "admin" }, "alice", true, { labels: ["security", "security: confirmed"], assignees: ["octocat"] });
    await f.probot.receive(event);
    expect(f.responses).toHaveLength(1); // unchanged, so not written
    expect(f.replies).toHaveLength(2);
    expect(f.record).toEqual(recordAfterFirst);
    expect(writes(mark)).toEqual(["react eyes", "react +1"]);
  });
});

describe("a comment delivered late", () => {
  it("does not set back a package's patched version or a person's credit type that a newer comment set, but sets another package's", async () => {
    const f = await fakeIssue();
    const older = commentEvent({ commentId: COMMENT_ID, commentBody: "/triage fixed npm/left-pad 1.3.0\n/triage credit @octocat reporter" });
    const newer = commentEvent({ commentId: COMMENT_ID + 1, commentBody: "/triage fixed npm/left-pad 1.3.1\n/triage credit @octocat finder" });
    older.payload.comment.created_at = "2026-11-22T10:00:00Z";
    newer.payload.comment.created_at = "2026-11-22T11:00:00Z";
    await expectReads(f, { role: "admin" }, "alice", true, {});
    await f.probot.receive(newer);
    expect(f.record.fixed).toEqual([{ ecosystem: "npm", package: "left-pad", version: "1.3.1" }]);

    // The older comment's delivery failed when it was sent; someone redelivers it now.
    await expectReads(f, { role: "admin" }, "alice", true, {}, RESPONSE_ID);
    await f.probot.receive(older);
    expect(f.record.fixed).toEqual([{ ecosystem: "npm", package: "left-pad", version: "1.3.1" }]);
    expect(f.record.credits).toEqual([{ login: "octocat", type: "finder" }]);
    expect(f.replies.at(-1)).toContain(quoted("/triage fixed npm/left-pad 1.3.0"));
    expect(f.replies.at(-1)).toContain("a newer command (2026-11-22T11:00:00Z) set this after this comment was written");

    // An older comment about another package still sets that one.
    const other = commentEvent({ commentId: COMMENT_ID + 2, commentBody: "/triage fixed npm/right-pad 2.0.1" });
    other.payload.comment.created_at = "2026-11-22T09:00:00Z";
    await expectReads(f, { role: "admin" }, "alice", true, {}, RESPONSE_ID);
    await f.probot.receive(other);
    expect(f.record.fixed).toEqual([
      { ecosystem: "npm", package: "left-pad", version: "1.3.1" },
      { ecosystem: "npm", package: "right-pad", version: "2.0.1" },
    ]);
  });

  it("does not set back a value a newer comment set (a failed delivery redelivered after it), and says so", async () => {
    const f = await fakeIssue();
    const older = commentEvent({ commentId: COMMENT_ID, commentBody: "/triage severity critical" });
    const newer = commentEvent({ commentId: COMMENT_ID + 1, commentBody: "/triage severity low\n/triage cve CVE-2026-1111" });
    older.payload.comment.created_at = "2026-11-22T10:00:00Z";
    newer.payload.comment.created_at = "2026-11-22T11:00:00Z";
    await expectReads(f, { role: "admin" }, "alice", true, {});
    await f.probot.receive(newer);
    expect(f.record).toMatchObject({ severity: "low", embargo_end: "2026-12-20", cve: "CVE-2026-1111" });
    expect(f.responses.at(-1)).toContain("| **Values set by commands written at** | severity (2026-11-22 11:00 UTC), cve (2026-11-22 11:00 UTC) (a command comment written before");

    // The older comment's delivery failed when it was sent; someone redelivers it now.
    const mark = gh.requests.length;
    await expectReads(f, { role: "admin" }, "alice", true, { labels: ["security", "security: triage", "severity: low"] }, RESPONSE_ID);
    await f.probot.receive(older);
    expect(f.record).toMatchObject({ severity: "low", embargo_end: "2026-12-20" });
    expect(writes(mark)).toEqual(["react eyes", "reply"]);
    expect(f.replies.at(-1)).toContain(quoted("/triage severity critical"));
    expect(f.replies.at(-1)).toContain("a newer command (2026-11-22T11:00:00Z) set this after this comment was written, and it stays; post the line again to apply it");

    // Posted again, in a new comment: it applies.
    const again = commentEvent({ commentId: COMMENT_ID + 2, commentBody: "/triage severity critical" });
    again.payload.comment.created_at = "2026-11-22T11:30:00Z";
    await expectReads(f, { role: "admin" }, "alice", true, { labels: ["security", "security: triage", "severity: low"] }, RESPONSE_ID);
    await f.probot.receive(again);
    expect(f.record).toMatchObject({ severity: "critical", embargo_end: "2026-12-05" });
  });
});

describe("a triage decision delivered late", () => {
  it("an older `/triage invalid` handled after a newer `/triage confirm` does not close the response, and says so", async () => {
    const f = await fakeIssue();
    const older = commentEvent({ commentId: COMMENT_ID, commentBody: "/triage invalid Needs admin rights already." });
    const newer = commentEvent({ commentId: COMMENT_ID + 1, commentBody: "/triage confirm" });
    older.payload.comment.created_at = "2026-11-22T10:00:00Z";
    newer.payload.comment.created_at = "2026-11-22T11:00:00Z";
    await expectReads(f, { role: "admin" }, "alice", true, {});
    await f.probot.receive(newer);
    expect(f.record.state).toBe("confirmed");

    // The older comment's delivery failed when it was sent; someone redelivers it now.
    const mark = gh.requests.length;
    const confirmed = { labels: ["security", "security: confirmed"] };
    await expectReads(f, { role: "admin" }, "alice", true, confirmed, RESPONSE_ID);
    await f.probot.receive(older);
    expect(writes(mark)).toEqual(["react eyes", "reply"]);
    expect(f.closed).toEqual([]);
    expect(f.record.state).toBe("confirmed");
    expect(f.record.reason).toBeUndefined();
    expect(f.replies.at(-1)).toContain(quoted("/triage invalid Needs admin rights already."));
    expect(f.replies.at(-1)).toContain("a newer command (2026-11-22T11:00:00Z) set this after this comment was written, and it stays; post the line again to apply it");
    expect(f.replies.filter((r) => r.includes("thank you for your report"))).toEqual([]); // the reporter is told nothing

    // Redelivered again: nothing more.
    const again = gh.requests.length;
    await expectReads(f, { role: "admin" }, "alice", true, confirmed, RESPONSE_ID);
    await f.probot.receive(older);
    expect(writes(again)).toEqual(["react eyes"]);
    expect(f.record.state).toBe("confirmed");
  });

  it("an older `/triage no-action` handled after a newer `/triage confirm` does not close the response either", async () => {
    const f = await fakeIssue();
    const older = commentEvent({ commentId: COMMENT_ID, commentBody: "/triage no-action We do not ship it." });
    const newer = commentEvent({ commentId: COMMENT_ID + 1, commentBody: "/triage confirm" });
    older.payload.comment.created_at = "2026-11-22T10:00:00Z";
    newer.payload.comment.created_at = "2026-11-22T11:00:00Z";
    await expectReads(f, { role: "admin" }, "alice", true, {});
    await f.probot.receive(newer);
    await expectReads(f, { role: "admin" }, "alice", true, { labels: ["security", "security: confirmed"] }, RESPONSE_ID);
    await f.probot.receive(older);
    expect(f.closed).toEqual([]);
    expect(f.record.state).toBe("confirmed");
    expect(f.replies.at(-1)).toContain("a newer command (2026-11-22T11:00:00Z) set this after this comment was written");
  });

  it("an older `/triage confirm` handled after a newer `/triage invalid` changes nothing", async () => {
    const f = await fakeIssue();
    const older = commentEvent({ commentId: COMMENT_ID, commentBody: "/triage confirm" });
    const newer = commentEvent({ commentId: COMMENT_ID + 1, commentBody: "/triage invalid Needs admin rights already." });
    older.payload.comment.created_at = "2026-11-22T10:00:00Z";
    newer.payload.comment.created_at = "2026-11-22T11:00:00Z";
    await expectReads(f, { role: "admin" }, "alice", true, {});
    await f.probot.receive(newer);
    expect(f.closed).toEqual(["closed not_planned"]);
    const mark = gh.requests.length;
    await expectReads(f, { role: "admin" }, "alice", true, { labels: ["security", "security: invalid"], state: "closed" }, RESPONSE_ID);
    await f.probot.receive(older);
    expect(writes(mark)).toEqual(["react eyes", "reply"]);
    expect(f.record.state).toBe("invalid");
    expect(f.closed).toEqual(["closed not_planned"]);
    expect(f.replies.at(-1)).toContain(quoted("/triage confirm"));
  });

  it("a newer decision delivered after an older one still applies", async () => {
    const f = await fakeIssue();
    const older = commentEvent({ commentId: COMMENT_ID, commentBody: "/triage confirm" });
    const newer = commentEvent({ commentId: COMMENT_ID + 1, commentBody: "/triage invalid Needs admin rights already." });
    older.payload.comment.created_at = "2026-11-22T10:00:00Z";
    newer.payload.comment.created_at = "2026-11-22T11:00:00Z";
    await expectReads(f, { role: "admin" }, "alice", true, {});
    await f.probot.receive(older);
    await expectReads(f, { role: "admin" }, "alice", true, { labels: ["security", "security: confirmed"] }, RESPONSE_ID);
    // The reply to the reporter is looked for among all the issue's comments (its key is the response's).
    gh.api.get(`${ISSUE}/comments`).query((q) => !("since" in q)).reply(200, () => commentList(f.comments));
    await f.probot.receive(newer);
    expect(f.record.state).toBe("invalid");
    expect(f.replies.at(-1)).toContain("> Needs admin rights already.");
    expect(f.closed).toEqual(["closed not_planned"]);
  });
});

describe("two comments at the same moment", () => {
  it("are applied one after the other, so neither change is lost", async () => {
    const f = await fakeIssue();
    const first = commentEvent({ commentId: COMMENT_ID, commentBody: "/triage cwe CWE-79" });
    const second = commentEvent({ commentId: COMMENT_ID + 1, commentBody: "/triage cve CVE-2026-12345" });
    // The second event runs after the first, which remembered where the response is.
    for (let i = 0; i < 2; i++) await expectReads(f, { role: "admin" }, "alice", true, {}, i ? RESPONSE_ID : undefined);
    await Promise.all([f.probot.receive(first), f.probot.receive(second)]);
    expect(f.record).toMatchObject({ cwes: ["CWE-79"], cve: "CVE-2026-12345" });
    expect(ranOf(f.record.ran).keys()).toEqual([String(COMMENT_ID), String(COMMENT_ID + 1)]);
    expect(f.responses).toHaveLength(2);
  });
});

describe("a closed response", () => {
  const closed = () => triageRecord({ state: "invalid", reason: "not a bug" });
  const shape = { labels: ["security", "security: invalid"], state: "closed" as const };

  it("refuses changing commands, saying the response is closed", async () => {
    const f = await fakeIssue({ record: closed() });
    await send(f, "/triage confirm\n/triage cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", shape);
    expect(f.reactions).toEqual(["eyes"]);
    expect(f.replies).toHaveLength(1);
    expect(f.replies[0]).toContain("> /triage confirm\n");
    expect(f.replies[0]).toContain("this response is closed (invalid); only `/triage status` and `/help` still work");
    expect(f.added).toEqual([]);
    expect(f.removed).toEqual([]);
    expect(f.record).toMatchObject({ state: "invalid" });
    expect(f.record.severity).toBeUndefined();
  });

  it("still answers /triage status and /help", async () => {
    const f = await fakeIssue({ record: closed() });
    await send(f, "/triage status\n/help", shape);
    expect(writes()).toEqual(["react eyes", "reply", "edit response", "react +1"]);
    expect(f.replies[0]).toMatch(/^\*\*embargo commands\*\*/);
    expect(f.record.state).toBe("invalid");
  });
});

describe("issues without a usable response", () => {
  it("no response comment: says how to start one, changes nothing", async () => {
    const f = await fakeIssue({ record: null });
    await send(f, "/triage confirm", { overrides: false });
    expect(writes()).toEqual(["reply"]);
    expect(f.replies[0]).toMatch(/^There is no security response on this issue, so nothing was changed\. Add the `security` label first\./);
  });

  it("no response comment: /help still gets the command list", async () => {
    const f = await fakeIssue({ record: null });
    await send(f, "/help", { current: false });
    expect(writes()).toEqual(["reply"]);
    expect(f.replies[0]).toMatch(/^\*\*embargo commands\*\*/);
  });

  it("a response comment whose record was edited away: says how to restore it", async () => {
    const f = await fakeIssue({ record: null, responseBody: "<!-- embargo:response -->\n### Security response\n(someone deleted the rest)" });
    await send(f, "/triage confirm", { overrides: false });
    expect(writes()).toEqual(["reply"]);
    expect(f.replies[0]).toMatch(/^The response comment's hidden record was changed or removed by an edit/);
    expect(f.replies[0]).toContain("open the comment's edit history");
  });

  it("a broken config is reported instead of running anything", async () => {
    const f = await fakeIssue();
    mockConfig(gh, "acme", "security", "colour: red\n");
    gh.api
      .get(`${ISSUE}/comments`)
      .query(true)
      .reply(200, () => commentList(f.comments));
    await f.probot.receive(commentEvent({ commentBody: "/triage confirm" }));
    expect(writes()).toEqual(["reply"]);
    expect(f.replies[0]).toContain("embargo could not use its configuration");
    expect(f.replies[0]).toContain("`colour` is not a known key");
  });

  it("a config with 400 problems is reported in one comment GitHub accepts (at most 65,536 characters)", async () => {
    const f = await fakeIssue();
    mockConfig(gh, "acme", "security", Array.from({ length: 400 }, (_, i) => `colour_${i}: red`).join("\n"));
    gh.api
      .get(`${ISSUE}/comments`)
      .query(true)
      .reply(200, () => commentList(f.comments));
    await f.probot.receive(commentEvent({ commentBody: "/triage confirm" }));
    expect(writes()).toEqual(["reply"]);
    expect(f.replies[0]!.length).toBeLessThanOrEqual(65_536);
    expect(f.replies[0]).toContain("`colour_0` is not a known key");
    expect(f.replies[0]).toContain("and 350 more problems");
  });
});

/** An `issue_comment.edited` of alice's comment, delivered as done by `editor`, with the reads it costs. */
async function editBy(f: FakeIssue, editor: string, commentBody: string, previousBody: string) {
  const event = commentEvent({ commentId: COMMENT_ID, commentBody, action: "edited", previousBody, sender: "alice" });
  event.payload.sender = { ...event.payload.sender, login: editor };
  mockConfig(gh, "acme", "security", f.yaml);
  await mockResponseLookup(gh, f.store, () => f.comments);
  await f.probot.receive(event);
  return event;
}

describe("issue 8: a command runs as its author, never as its editor", () => {
  it("an outsider with write access who edits a team member's comment to add /triage confirm changes nothing, even on the author's next save", async () => {
    const f = await fakeIssue({ yaml: TEAM_CONFIG });
    await send(f, "/triage cwe CWE-79", { asker: { team: "active" } });
    const mark = gh.requests.length;
    mockIssueNow({});
    mockNoOverrides(gh, "acme", "security");
    const attack = await editBy(f, "mallory", "/triage cwe CWE-79\n/triage confirm", "/triage cwe CWE-79");
    // Nobody's permission was asked on mallory's behalf; only the record learnt to never run her line.
    expect(writes(mark)).toEqual(["reply", "edit response"]);
    expect(gh.requests.slice(mark).some((r) => r.path.includes("/memberships/"))).toBe(false);
    expect(f.replies.at(-1)).toMatch(/^This comment was changed by @\u200bmallory, not by its author @\u200balice\. Commands run only as their author writes them/);
    expect(f.record.state).toBe("triage");
    expect(f.closed).toEqual([]);
    expect(f.added).toEqual([]);

    // The same event redelivered: nothing more.
    const redelivered = gh.requests.length;
    mockConfig(gh, "acme", "security", f.yaml);
    await mockResponseLookup(gh, f.store, () => f.comments);
    await f.probot.receive(attack);
    expect(writes(redelivered)).toEqual([]);

    // alice saves the comment again (a typo fixed elsewhere): mallory's line still does not run.
    const again = gh.requests.length;
    await send(f, "/triage cwe CWE-79\n/triage confirm\nThanks!", { action: "edited", previousBody: "/triage cwe CWE-79\n/triage confirm", asker: { team: "active" } });
    expect(writes(again)).toEqual(["react eyes", "react +1"]);
    expect(f.record.state).toBe("triage");
    expect(f.closed).toEqual([]);
  });

  it("an outsider's edit whose event the app never got (or got late) does not run on the author's next save", async () => {
    const f = await fakeIssue({ yaml: TEAM_CONFIG });
    await send(f, "/triage cwe CWE-79", { asker: { team: "active" } });
    // mallory adds a line; GitHub's delivery of her edit fails (GitHub does not redeliver by itself).
    // alice then saves the comment (a typo fixed elsewhere): the line she did not write is in `from`.
    // Who edited the comment is read from its edit history, only because a line in `from` never ran.
    mockEditors(["alice", "mallory", "alice"]);
    const mark = gh.requests.length;
    const alicesSave = await send(f, "/triage cwe CWE-79\n/triage confirm\nThanks!", { action: "edited", previousBody: "/triage cwe CWE-79\n/triage confirm", asker: { team: "active" } });
    expect(f.record.state).toBe("triage");
    expect(f.record.confirmed).toBeUndefined();
    expect(f.added).toEqual([]);
    expect(writes(mark)).toEqual(["react eyes", "reply", "edit response", "react +1"]);
    expect(f.replies.at(-1)).toMatch(/^This comment was also edited by @\u200bmallory, so the app cannot tell who wrote these lines, which did not run before your edit:\n\n> \/triage confirm\n/);
    expect(f.replies.at(-1)).toContain("@\u200balice: if you mean them, post them in a new comment.");

    // mallory's edit delivered late, and alice's save redelivered: nothing more, no history read.
    const late = gh.requests.length;
    mockNoOverrides(gh, "acme", "security");
    await editBy(f, "mallory", "/triage cwe CWE-79\n/triage confirm", "/triage cwe CWE-79");
    await expectReads(f, { team: "active" }, "alice", false, {});
    await f.probot.receive(alicesSave);
    expect(writes(late)).toEqual(["react eyes", "react +1"]);
    expect(f.record.state).toBe("triage");
  });

  it("a line that failed before runs again on the author's save when only the author ever edited the comment", async () => {
    const f = await fakeIssue({ yaml: TEAM_CONFIG.concat("components: { api: {} }\n") });
    await send(f, "/triage component web", { asker: { team: "active" } });
    expect(f.record.components).toEqual([]);
    f.yaml = TEAM_CONFIG.concat("components: { api: {}, web: {} }\n");
    mockEditors(["alice", "Alice"]);
    await send(f, "/triage component web\nretry", { action: "edited", previousBody: "/triage component web", asker: { team: "active" } });
    expect(f.record.components).toEqual(["web"]);
    expect(f.reactions.at(-1)).toBe("+1");
  });

  it("an edit of a comment the bounded memory has forgotten does not run its old lines again over newer ones", async () => {
    // 99 other comments' lines remembered: one more comment and the oldest is forgotten, whole.
    const ran = Object.fromEntries(Array.from({ length: 99 }, (_, i) => [String(5000 + i), ["aaaaaaaaaa"]]));
    const f = await fakeIssue({ record: triageRecord({ ran }) });
    const at = (event: Awaited<ReturnType<typeof commentEvent>>, created: string, updated = created) => {
      Object.assign(event.payload.comment, { created_at: created, updated_at: updated });
      return event;
    };
    await expectReads(f, { role: "admin" }, "alice", true, {});
    await f.probot.receive(at(commentEvent({ commentId: 1000, commentBody: "/triage severity low" }), "2026-11-21T10:00:00Z"));
    await expectReads(f, { role: "admin" }, "alice", true, {});
    await f.probot.receive(at(commentEvent({ commentId: 9001, commentBody: "/triage severity high" }), "2026-11-22T10:00:00Z"));
    expect(f.record.severity).toBe("high");
    expect(ranOf(f.record.ran).has("1000")).toBe(false);
    expect(f.response).toContain("| **Command comments forgotten** | up to comment id 1000 (which of their lines ran is no longer kept");

    // The author fixes a typo in that first comment, keeping its line: it ran long ago.
    const mark = gh.requests.length;
    await expectReads(f, { role: "admin" }, "alice", false, false);
    const edit = commentEvent({ commentId: 1000, action: "edited", commentBody: "/triage severity low\nTypo fixed.", previousBody: "/triage severity low\nTypo fixd." });
    await f.probot.receive(at(edit, "2026-11-21T10:00:00Z", "2026-11-23T10:00:00Z"));
    expect(f.record.severity).toBe("high");
    expect(writes(mark)).toEqual([]);
  });

  it("an edit by someone else that adds no command line runs nothing and says nothing", async () => {
    const f = await fakeIssue();
    await send(f, "/triage cwe CWE-79");
    const mark = gh.requests.length;
    await editBy(f, "mallory", "/triage cwe CWE-79\nTypo fixed.", "/triage cwe CWE-79\nTypo fixd.");
    expect(writes(mark)).toEqual([]);
  });
});

describe("boxes someone added to the response comment by hand", () => {
  it("a command folds only the checklist's own boxes: hundreds of made-up ones (their edit's event not yet handled) neither bloat nor trim the record", async () => {
    const f = await fakeIssue({ record: triageRecord({ cwes: ["CWE-22"], mitigations: ["Turn uploads off."] }) });
    // Someone with write access appends boxes whose ids no checklist has; the app has not seen that
    // edit's event yet (it comes late, or its delivery failed) when a team member's command arrives.
    // 200 characters each, from every character an id may hold, so that they hardly compress.
    const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789_.:-";
    const ids = Array.from({ length: 230 }, (_, i) => [...createHash("sha512").update(`${i}a`).digest(), ...createHash("sha512").update(`${i}b`).digest(), ...createHash("sha512").update(`${i}c`).digest(), ...createHash("sha512").update(`${i}d`).digest()].slice(0, 200).map((b) => alphabet[b % alphabet.length]).join(""));
    const fake = ids.map((id) => `- [x] x <!-- embargo:item ${id} -->`);
    const response = f.comments.find((c) => c.id === RESPONSE_ID)!;
    // The same edit ticks a box of the checklist: that one counts.
    const umbrella = response.body.split("\n").find((l) => l.includes("embargo:item triage.umbrella -->"))!;
    response.body = `${response.body.replace(umbrella, umbrella.replace("- [ ]", "- [x]"))}\n${fake.join("\n")}`;
    expect(response.body.length).toBeLessThan(65_536);
    await send(f, "/triage cwe CWE-79");
    expect(f.record.cwes).toEqual(["CWE-22", "CWE-79"]);
    expect(f.record.mitigations).toEqual(["Turn uploads off."]);
    expect(f.record.trimmed).toBeUndefined();
    expect(f.response).not.toContain(ids[0]);
    expect(Object.keys(f.record.ticks).sort()).toEqual(["intake.tracked", "triage.cwe", "triage.umbrella"]);
  });
});

describe("issue 8: lines GitHub does not show as commands", () => {
  it("commands inside an HTML comment or lazily continuing a quote never run and cost no request", async () => {
    const body = ["<!--", "/triage invalid hidden", "-->", "> the reporter said", "/triage no-action lazily quoted"].join("\n");
    await createTestProbot().receive(commentEvent({ commentBody: body }));
    expect(gh.requests).toEqual([]);
  });

  it("beside a real command, only the real one runs", async () => {
    const f = await fakeIssue();
    await send(f, "> quoted\n/triage invalid lazy\n\n<!-- /triage no-action x -->\n/triage reproduced yes");
    expect(writes()).toEqual(APPLIED);
    expect(f.record).toMatchObject({ state: "triage", reproduced: true });
  });
});

describe("lines GitHub's HTML hides, though no HTML comment holds them", () => {
  it("a command in a processing instruction or a tag's quoted attribute (pasted markdown) never runs; the visible one does", async () => {
    const f = await fakeIssue();
    const body = ["Pasted from the report:", "<?xml", "/triage invalid hidden in a processing instruction", "?>", '<img src="poc.png" alt="', "/triage no-action hidden in an alt text", '">', "", "/triage reproduced yes"].join("\n");
    await send(f, body);
    expect(writes()).toEqual(APPLIED);
    expect(f.record).toMatchObject({ state: "triage", reproduced: true });
    expect(f.record.reason).toBeUndefined();
  });
});

describe("lines an HTML block's raw HTML hides (the browser reads it, not Markdown)", () => {
  it("a command inside a tag that runs over lines in an HTML block never runs; the visible one does", async () => {
    const f = await fakeIssue();
    const body = ["Pasted from the report:", "", "<div>", "<img", "/triage invalid hidden inside the tag", "src=poc.png>", "</div>", "", "/triage reproduced yes"].join("\n");
    await send(f, body);
    expect(writes()).toEqual(APPLIED);
    expect(f.record).toMatchObject({ state: "triage", reproduced: true });
    expect(f.record.reason).toBeUndefined();
    expect(f.closed).toEqual([]);
  });

  it("a quote an HTML block leaves open hides the paragraphs after its blank line: a command there never runs", async () => {
    const f = await fakeIssue();
    await send(f, ["/triage reproduced yes", '<p title="x', "", "/triage invalid hidden in the open quote"].join("\n"));
    expect(writes()).toEqual(APPLIED);
    expect(f.record).toMatchObject({ state: "triage", reproduced: true });
    expect(f.record.reason).toBeUndefined();
    expect(f.closed).toEqual([]);
  });
});

describe("a processing instruction the browser ends at its first `>`", () => {
  it("a quote opened after that `>` hides the command lines after `?>`: they never run", async () => {
    const f = await fakeIssue();
    const body = ["/triage reproduced yes", 'The filter keeps <?x > <b c="', "?>", "/triage invalid hidden after the ?>"].join("\n");
    await send(f, body);
    expect(writes()).toEqual(APPLIED);
    expect(f.record).toMatchObject({ state: "triage", reproduced: true });
    expect(f.record.reason).toBeUndefined();
    expect(f.closed).toEqual([]);
  });
});

describe("a `<` in prose that is no complete tag hides nothing", () => {
  it("a team member's command after `a<b and c=\"d` runs (GitHub shows it); one inside a complete tag's quoted value still does not", async () => {
    const f = await fakeIssue();
    const body = ['The filter lets a<b and c="d through.', "/triage reproduced yes", '<img alt="', "/triage no-action hidden in an alt text", '">'].join("\n");
    await send(f, body);
    expect(writes()).toEqual(APPLIED);
    expect(f.reactions).toEqual(["eyes", "+1"]);
    expect(f.record).toMatchObject({ state: "triage", reproduced: true });
    expect(f.response).toContain("| **Reproduced** | yes |");
    expect(f.closed).toEqual([]);
  });

  it("a command after an autolink holding `=\"` runs", async () => {
    const f = await fakeIssue();
    await send(f, 'Found via <https://example.com/search?q="x>\n/triage cwe CWE-79');
    expect(writes()).toEqual(APPLIED);
    expect(f.record.cwes).toEqual(["CWE-79"]);
  });
});

describe("issue 8: state labels follow GitHub's current labels", () => {
  it("the payload says `security: triage` but the issue now has `security: confirmed`: after /triage invalid exactly one state label", async () => {
    const f = await fakeIssue({ record: triageRecord({ state: "confirmed" }) });
    await send(f, "/triage invalid Needs admin rights.", { labels: ["security", "security: triage"], current: { labels: ["security", "security: confirmed"] } });
    expect(f.added).toEqual(["security: invalid"]);
    expect(f.removed).toEqual(["security: confirmed"]);
    const now = ["security", "security: confirmed", ...f.added].filter((l) => !f.removed.includes(l));
    expect(now.filter((l) => l.startsWith("security: "))).toEqual(["security: invalid"]);
  });
});

describe("issue 8: /triage pr acts only where its author can see", () => {
  const permission = "/repos/acme/secret-product/collaborators/alice/permission";

  it("a team member linking a PR in a repo they cannot see is refused, nothing on that PR is touched, and an edit tries again", async () => {
    const f = await fakeIssue({ yaml: TEAM_CONFIG });
    gh.api.get("/repos/acme/secret-product/pulls/5").reply(404, { message: "Not Found" });
    gh.api.get(permission).reply(404, { message: "Not Found" });
    await send(f, "/triage pr acme/secret-product#5", { asker: { team: "active" } });
    expect(gh.requestsTo("acme", "secret-product").map((r) => `${r.method} ${r.path}`)).toEqual(["GET /repos/acme/secret-product/pulls/5", `GET ${permission}`]);
    expect(writes()).toEqual(["react eyes", "reply"]);
    expect(f.replies[0]).toMatch(/^Could not link acme\/secret-product#5: @\u200balice cannot see `acme\/secret-product` \(or it does not exist, or the app is not installed there\)/);
    expect(f.replies[0]).toContain("was not recorded as done");
    expect(ranOf(f.record.ran).get(String(COMMENT_ID)) ?? []).toEqual([]);
    expect(f.record.prs).toEqual([]);

    // Access granted, the author edits the comment: the line runs again, and its new failure is answered too.
    gh.api.get(permission).reply(200, { permission: "read", role_name: "read", user: { login: "alice", id: 77, type: "User" } });
    gh.api.get("/repos/acme/secret-product/pulls/5").reply(404, { message: "Not Found" });
    mockEditors(["alice"]);
    await send(f, "/triage pr acme/secret-product#5\nretrying", { action: "edited", previousBody: "/triage pr acme/secret-product#5", asker: { team: "active" } });
    expect(f.replies).toHaveLength(2);
    expect(f.replies[1]).toContain("Could not link acme/secret-product#5: no such pull request, or the app is not installed on that repository.");
    expect(f.reactions).toEqual(["eyes", "eyes"]);
  });
});

describe("issue 10: what GitHub really sends", () => {
  it("a deleted or transferred issue (its comments answer 404) stops the handler without throwing", async () => {
    const f = await fakeIssue();
    mockConfig(gh, "acme", "security", f.yaml);
    gh.api.get(`${ISSUE}/comments`).query(true).reply(404, { message: "Not Found" });
    await expect(f.probot.receive(commentEvent({ commentBody: "/triage confirm" }))).resolves.toBeUndefined();
    expect(writes()).toEqual([]);
  });

  it("3,000 failing lines get one reply under GitHub's limit that says how many failed", async () => {
    const f = await fakeIssue();
    const body = Array.from({ length: 3000 }, (_, i) => `/triage cwe ${i}`).join("\n");
    await send(f, body);
    expect(f.replies).toHaveLength(1);
    const reply = f.replies[0]!;
    expect(reply.length).toBeLessThanOrEqual(65_536);
    expect(reply).toContain("> /triage cwe 19\n");
    expect(reply).not.toContain("> /triage cwe 20\n");
    expect(reply).toContain("…and 2980 more lines failed (3000 in all; lines 21–3000 of the comment)");
    expect(writes()).toEqual(["react eyes", "reply"]);
  });

  it("the longest lines GitHub allows, all failing, still give one reply under the limit", async () => {
    const f = await fakeIssue();
    const line = (i: number) => `/triage ${"a".repeat(1990)}${String(i).padStart(4, "0")}`.replace(/\d/g, (d) => "abcdefghij"[Number(d)]!);
    const body = Array.from({ length: 32 }, (_, i) => line(i)).join("\n");
    expect(body.length).toBeLessThanOrEqual(65_536);
    await send(f, body);
    expect(f.replies).toHaveLength(1);
    expect(f.replies[0]!.length).toBeLessThanOrEqual(65_536);
    expect(f.replies[0]).toContain("…and 12 more lines failed (32 in all");
  });

  it("one comment cannot blow the record: at most 50 of its commands run, the rest are answered", async () => {
    const f = await fakeIssue();
    const body = Array.from({ length: 3000 }, (_, i) => `/triage upstream https://example.org/${i}`).join("\n");
    await send(f, body);
    expect(ranOf(f.record.ran).get(String(COMMENT_ID))).toHaveLength(50);
    expect(f.record.upstream).toHaveLength(50);
    expect(f.replies).toHaveLength(1);
    expect(f.replies[0]).toContain("a comment runs at most 50 commands; post this line in another comment");
    expect(f.replies[0]).toContain("…and 2930 more lines failed (2950 in all; lines 71–3000 of the comment)");
  });

  it("a command in a pull request's conversation is told where commands work, not to add a label", async () => {
    const f = await fakeIssue();
    const event = commentEvent({ commentBody: "/triage confirm", number: 42 });
    event.payload.issue.pull_request = { url: "https://api.github.com/repos/acme/security/pulls/42", html_url: "https://github.com/acme/security/pull/42", diff_url: null, patch_url: null, merged_at: null };
    gh.api.get("/repos/acme/security/issues/42/comments").query(true).reply(200, []);
    let reply = "";
    gh.api.post("/repos/acme/security/issues/42/comments", (b) => ((reply = b.body), true)).reply(201, { id: 1 });
    await f.probot.receive(event);
    expect(reply).toMatch(/^embargo commands work only in a security issue of the private security repository \(the issue with embargo's response comment\), not in a pull request's conversation/);
    expect(reply).toContain("write `/triage pr acme/security#42` in that issue");
    expect(reply).not.toContain("label first");
  });
});

describe("issue 8: a 65,536-character comment of any shape", () => {
  for (const [name, body] of Object.entries(WORST_SHAPES)) {
    it(`${name}: no throw, at most one reply, under GitHub's limit`, async () => {
      if (!parseCommands(body).length) {
        await createTestProbot().receive(commentEvent({ commentBody: body }));
        expect(gh.requests).toEqual([]);
        return;
      }
      const f = await fakeIssue({ yaml: null });
      await send(f, body);
      expect(f.replies.length).toBeLessThanOrEqual(1);
      for (const reply of f.replies) expect(reply.length).toBeLessThanOrEqual(65_536);
    });
  }
});

describe("actions: GitHub work a command asks for, run by the executor of its kind", () => {
  it("a failed action is answered and its line runs again on the next edit; a successful one updates the record", async () => {
    const calls: string[] = [];
    let answer: ActionResult = { ok: false, problem: "GitHub answered 422 (Validation Failed)" };
    COMMANDS.push({
      group: "triage",
      name: "test-action",
      usage: "/triage test-action",
      summary: "test only",
      examples: [],
      run: (record) => done({ record, actions: [{ kind: "test-kind", ghsa: "GHSA-2222-3333-4444" }] }),
    });
    ACTION_EXECUTORS["test-kind"] = async (action, context) => (calls.push(`${action.kind} for ${context.author}`), answer);
    try {
      const f = await fakeIssue();
      // After the work, the response is read again to forget the failed line (or to record the result).
      // By then the app knows where the response is: one read by id (the `.github` listing of the
      // event's first read answers for its overrides: one listing per repo per event).
      const rereads = async () => {
        await mockResponseLookup(gh, f.store, () => f.comments, { id: RESPONSE_ID });
        mockIssueNow({});
      };
      await rereads();
      await send(f, "/triage test-action");
      expect(calls).toEqual(["test-kind for alice"]);
      expect(f.replies).toHaveLength(1);
      expect(f.replies[0]).toMatch(/^This command did not complete:\n\n> \/triage test-action\n\nGitHub answered 422 \(Validation Failed\)/);
      expect(f.reactions).toEqual(["eyes"]);
      expect(ranOf(f.record.ran).get(String(COMMENT_ID)) ?? []).toEqual([]);

      answer = { ok: true, update: (record) => ({ ...record, ghsa: "GHSA-2222-3333-4444" }) };
      await rereads();
      mockEditors(["alice"]);
      await send(f, "/triage test-action\nretry", { action: "edited", previousBody: "/triage test-action" });
      expect(calls).toHaveLength(2);
      expect(f.record.ghsa).toBe("GHSA-2222-3333-4444");
      expect(ranOf(f.record.ran).get(String(COMMENT_ID))).toHaveLength(1);
      expect(f.reactions).toEqual(["eyes", "eyes", "+1"]);
    } finally {
      COMMANDS.pop();
      delete ACTION_EXECUTORS["test-kind"];
    }
  });
});

describe("issue 8: a /triage pr that GitHub refuses part way is answered and can be retried", () => {
  it("a 403 while reading the PR's gate: one reply naming the link and GitHub's answer, the line not remembered, no 👍", async () => {
    const f = await fakeIssue({ yaml: null });
    const pr = loadWebhookExample("pull_request", "opened").pull_request;
    pr.number = 42;
    pr.state = "open";
    pr.labels = [];
    pr.base = { ...pr.base, ref: "main", repo: { ...pr.base.repo, name: "security", full_name: "acme/security", owner: { ...pr.base.repo.owner, login: "acme" }, private: true, visibility: "private" } };
    gh.api.get("/repos/acme/security/pulls/42").reply(200, pr);
    // The PR sync reads the PR's gate runs first (the response by the id the command's read remembered).
    await mockResponseLookup(gh, f.store, () => f.comments, { id: RESPONSE_ID });
    // Reading the PR's gate runs is refused (the installation lost the checks permission).
    gh.api.get(/\/repos\/acme\/security\/commits\/[0-9a-f]+\/check-runs/).query(true).reply(403, { message: "Resource not accessible by integration" });
    // Then the response is read again to forget the line (the command wrote nothing before the link:
    // the templates' absence, read on the setup's write, is remembered).
    mockIssueNow({});
    await send(f, "/triage pr acme/security#42");
    expect(f.replies).toHaveLength(1);
    expect(f.replies[0]).toMatch(/^Could not link acme\/security#42: GitHub answered 403 \(Resource not accessible by integration\) part way through/);
    expect(f.replies[0]).toContain("`/triage pr acme/security#42` was not recorded as done");
    expect(f.reactions).toEqual(["eyes"]);
    expect(ranOf(f.record.ran).get(String(COMMENT_ID)) ?? []).toEqual([]);
  });
});
