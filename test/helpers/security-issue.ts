import { MemoryStore } from "../../src/store/memory-store.js";
import type { Probot } from "probot";
import { parse as parseYaml } from "yaml";
import type { EmbargoConfig } from "../../src/config/config-schema.js";
import { validateConfig } from "../../src/config/load-config.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { renderResponse } from "../../src/response/render-response.js";
import {
  BOT,
  commentEvent,
  commentList,
  createTestProbot,
  mockResponseLookup,
  mockConfig,
  mockIdentity,
  mockNoOverrides,
  mockToken,
  recordOf,
  RENDER_CONTEXT,
  type CommentShape,
  type StoredComment,
} from "./app.js";
import type { GitHubMock } from "./github-api.js";

/**
 * A private acme/security issue #7 with a response comment (id 555) holding a record, for tests of
 * one command at a time (a smaller cousin of the fake in test/handlers/commands.test.ts): every
 * write is captured and applied to `comments` as GitHub would.
 */
export const ISSUE = "/repos/acme/security/issues/7";
export const RESPONSE_ID = 555;

export function configOf(yaml: string | null): EmbargoConfig {
  const result = validateConfig(yaml === null ? null : parseYaml(yaml));
  if (!result.ok) throw new Error(result.problems.join("\n"));
  return result.config;
}

export function triageRecord(changes: Partial<ResponseRecord> = {}): ResponseRecord {
  const record = newRecord(new Date("2026-11-20T09:30:00Z"), new Date("2026-11-20T09:31:00Z"));
  return { ...record, ticks: { "intake.tracked": { by: "app", at: "2026-11-20T09:31:00.000Z" } }, ...changes };
}

export async function fakeSecurityIssue(gh: GitHubMock, options: { yaml: string | null; record?: ResponseRecord; env?: NodeJS.ProcessEnv; probot?: Probot }) {
  const config = configOf(options.yaml);
  const record = options.record ?? triageRecord();
  const body = await renderResponse(record, config, { title: "Report", reporter: "reporter" }, undefined, RENDER_CONTEXT);
  const comments: StoredComment[] = [{ id: RESPONSE_ID, body, user: { login: BOT, type: "Bot" } }];
  // The app's memory, so the tests expect what it really reads (the response by its remembered id).
  const store = new MemoryStore();
  const probot = options.probot ?? createTestProbot(undefined, { env: options.env, store });
  mockToken(gh);
  mockIdentity(gh);
  const f = {
    probot,
    store,
    yaml: options.yaml,
    comments,
    replies: [] as string[],
    added: [] as string[],
    removed: [] as string[],
    closed: [] as string[],
    labels: ["security", "security: triage"],
    get response(): string {
      return comments.find((c) => c.id === RESPONSE_ID)!.body;
    },
    get record(): ResponseRecord {
      return recordOf(this.response);
    },
  };
  const writes = gh.scope().persist();
  // Replies to a command are looked for among the comments written since it.
  writes.get(`${ISSUE}/comments`).query((q) => "since" in q).optionally().reply(200, () => commentList(comments));
  writes.patch(`/repos/acme/security/issues/comments/${RESPONSE_ID}`).optionally().reply(200, (_u, b: any) => {
    comments.find((c) => c.id === RESPONSE_ID)!.body = b.body;
    return { id: RESPONSE_ID, body: b.body };
  });
  writes.post(`${ISSUE}/comments`).optionally().reply(201, (_u, b: any) => {
    const id = 20000 + comments.length;
    f.replies.push(b.body);
    comments.push({ id, body: b.body, user: { login: BOT, type: "Bot" } });
    return { id, body: b.body };
  });
  writes.post(/^\/repos\/acme\/security\/issues\/comments\/\d+\/reactions$/).optionally().reply(201, (_u, b: any) => ({ id: 1, content: b.content }));
  writes.post(`${ISSUE}/labels`).optionally().reply(200, (_u, b: any) => (f.added.push(...b.labels), f.labels.push(...b.labels), []));
  writes.delete(/^\/repos\/acme\/security\/issues\/7\/labels\/.+$/).optionally().reply(200, (uri) => {
    const name = decodeURIComponent(uri.split("/").pop()!);
    f.removed.push(name);
    f.labels = f.labels.filter((l) => l !== name);
    return [];
  });
  writes.patch(ISSUE).optionally().reply(200, (_u, b: any) => (f.closed.push(`${b.state} ${b.state_reason}`), { number: 7, state: b.state }));
  return f;
}
export type FakeSecurityIssue = Awaited<ReturnType<typeof fakeSecurityIssue>>;

/** One command comment by `sender` (an admin of acme/security), with the reads it costs. */
export async function sendCommand(gh: GitHubMock, f: FakeSecurityIssue, commentBody: string, shape: Partial<CommentShape> & { role?: string; id?: string; followUp?: boolean } = {}) {
  const login = shape.sender ?? "alice";
  const role = shape.role ?? "admin";
  const event = commentEvent({ commentId: 9001, commentBody, labels: f.labels, ...shape });
  if (shape.id) event.id = shape.id;
  mockConfig(gh, "acme", "security", f.yaml);
  await mockResponseLookup(gh, f.store, () => f.comments);
  const permission = role === "admin" ? "admin" : role === "maintain" || role === "write" ? "write" : "read";
  gh.api.get(`/repos/acme/security/collaborators/${login}/permission`).reply(200, { permission, role_name: role, user: { login, id: 77, type: "User" } });
  if (role === "admin" || role === "maintain") {
    mockNoOverrides(gh, "acme", "security");
    gh.api.get(ISSUE).reply(200, () => ({ number: 7, title: "Report", state: "open", user: { login: "reporter" }, labels: f.labels.map((name) => ({ name })), assignees: [] }));
  }
  if (shape.followUp) {
    // Follow-up work (an action) reads the response and the issue again before writing its result
    // (its overrides: the event's one `.github` listing, made by the command's own render).
    await mockResponseLookup(gh, f.store, () => f.comments, { id: RESPONSE_ID });
    gh.api.get(ISSUE).reply(200, () => ({ number: 7, title: "Report", state: f.closed.length ? "closed" : "open", user: { login: "reporter" }, labels: f.labels.map((name) => ({ name })), assignees: [] }));
  }
  await f.probot.receive(event);
  return event;
}
