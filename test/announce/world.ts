import type { Probot } from "probot";
import { afterEach, beforeEach, expect } from "vitest";
import { parse as parseYaml } from "yaml";
import { PACK_MARKER } from "../../src/announce/pack.js";
import { PUBLISH_STEPS } from "../../src/announce/publish-steps.js";
import { validateConfig } from "../../src/config/load-config.js";
import type { EmbargoConfig } from "../../src/config/config-schema.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { renderResponse } from "../../src/response/render-response.js";
import { BOT, commentEvent, createTestProbot, INSTALLATION_ID, isResponse, recordOf, RENDER_CONTEXT } from "../helpers/app.js";
import { GHES_API, GHES_HOST, mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { FakeGitHub } from "./fake-github.js";

export const SECURITY_CONFIG = [
  "release_managers: [rm-alice]",
  "supported_branches: [main]",
  "components:",
  "  core: { repo: acme/widget, package: { ecosystem: npm, name: widget } }",
  "cna_org_id: 8254265b-2729-46b6-b9e3-3dfca2d5bfca",
  "",
].join("\n");

export const TITLE = "Upload handler lets me read /etc/passwd";
export const BODY = "Send ../../etc/passwd as the file name to /upload and the server returns it.";
export const SUMMARY = "Path traversal in the upload endpoint";
export const DESCRIPTION = "The upload endpoint joins user-supplied file names to the storage root without normalising them.";
export const RESPONSE_ID = 555;
export const BEFORE_END = new Date("2026-11-22T12:00:00Z");
export const AFTER_END = new Date("2026-12-20T12:00:00Z");

export function configOf(yaml: string): EmbargoConfig {
  const result = validateConfig(parseYaml(yaml));
  if (!result.ok) throw new Error(result.problems.join("\n"));
  return result.config;
}

/** A response ready to announce: confirmed, scored, summarised, fixed, embargo ending 2026-12-01. */
export function readyRecord(changes: Partial<ResponseRecord> = {}): ResponseRecord {
  return {
    ...newRecord(new Date("2026-11-16T09:30:00Z"), new Date("2026-11-16T09:31:00Z")),
    state: "fixed",
    triager: "alice",
    severity: "critical",
    cvss: { version: "3.1", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N", score: 9.1 },
    embargo_end: "2026-12-01",
    summary: SUMMARY,
    description: DESCRIPTION,
    components: ["core"],
    affected: [{ ecosystem: "npm", package: "widget", range: ">= 1.0.0, < 1.3.1" }],
    fixed: [{ ecosystem: "npm", package: "widget", version: "1.3.1" }],
    cwes: ["CWE-22"],
    credits: [{ login: "reporter", type: "finder" }],
    patched: ["main"],
    ticks: { "triage.decision": { by: "app", at: "2026-11-17T10:00:00.000Z" }, "fix.patch": { by: "app", at: "2026-11-25T10:00:00.000Z" } },
    ...changes,
  };
}

export interface World {
  fake: FakeGitHub;
  config: EmbargoConfig;
  /** Sends a comment on acme/security#7 as `sender` (default alice, an admin) at `now`. */
  send(text: string, options?: { sender?: string; now?: Date; edit?: { id: number; from: string } }): Promise<void>;
  /**
   * The same as `send`, but the delivery can be made again (GitHub's redelivery: same comment, same
   * id). With `edit`, the comment `edit.id` edited from `edit.from` to `text` by `sender`.
   */
  delivery(text: string, options?: { sender?: string; now?: Date; edit?: { id: number; from: string } }): (at?: Date) => Promise<void>;
  /** The id of the comment `send` or `delivery` made last. */
  readonly lastCommentId: number;
  readonly record: ResponseRecord;
  /** Comments of the app on the security issue other than the response comment. */
  replies(): string[];
  probot(now: Date): Probot;
}

let commentIds = 9000;

/**
 * `ghes`: the app runs against the test GitHub Enterprise Server (`GHES_API`, as `GHE_HOST` sets
 * it); pass a mock made with `mockGitHub({ ghes: true })`, so every request is checked against GHES's
 * REST description and a repository-advisory call fails the test.
 */
export async function world(gh: GitHubMock, options: { record?: ResponseRecord | null; yaml?: string; changes?: string; widgetConfig?: string; env?: NodeJS.ProcessEnv; ghes?: boolean } = {}): Promise<World> {
  const yaml = options.yaml ?? SECURITY_CONFIG;
  const config = configOf(yaml);
  const fake = new FakeGitHub(gh, options.ghes ? { ghes: GHES_HOST } : {});
  fake.addRepo("acme/security", { private: true, config: yaml });
  fake.addRepo("acme/widget", {
    files: { main: { "CHANGES.md": options.changes ?? "# Changes\n\n## Unreleased\n\n- Faster start-up\n\n## 1.3.0\n\n- First release\n" } },
    config: options.widgetConfig,
  });
  fake.issues.push({ repo: "acme/security", number: 7, title: TITLE, body: BODY, state: "open", state_reason: null, labels: ["security", "security: fixed", "severity: critical"], assignees: ["alice"], user: "reporter" });
  // null: no response yet (the lifecycle test starts from the label).
  const record = options.record === undefined ? readyRecord() : options.record;
  if (record) fake.comments.push({ id: RESPONSE_ID, issue: "acme/security#7", body: await renderResponse(record, config, { title: TITLE, reporter: "reporter" }, undefined, RENDER_CONTEXT), user: BOT });
  const probots = new Map<number, Probot>();
  const probot = (now: Date) => {
    let p = probots.get(now.getTime());
    if (!p) probots.set(now.getTime(), (p = createTestProbot(now, { env: options.env }, options.ghes ? { baseUrl: GHES_API } : {})));
    return p;
  };
  const delivery: World["delivery"] = (text, { sender = "alice", now = BEFORE_END, edit } = {}) => {
    const issue = fake.issues.find((i) => i.repo === "acme/security" && i.number === 7)!;
    const shape = edit ? { commentId: edit.id, action: "edited" as const, previousBody: edit.from } : { commentId: ++commentIds };
    const event = commentEvent({ ...shape, commentBody: text, sender, title: TITLE, body: BODY, labels: issue.labels, author: issue.user, state: issue.state, assignees: issue.assignees });
    event.payload.issue.html_url = `${fake.web}/acme/security/issues/7`;
    event.payload.installation = { id: INSTALLATION_ID, node_id: "x" };
    return (at = now) => probot(at).receive(event as never);
  };
  return {
    fake,
    config,
    probot,
    async send(text, options) {
      await delivery(text, options)();
    },
    delivery,
    get lastCommentId() {
      return commentIds;
    },
    get record() {
      return recordOf(fake.commentsOn("acme/security", 7).find((c) => c.user === BOT && isResponse(c.body))!.body);
    },
    replies() {
      return fake.commentsOn("acme/security", 7).filter((c) => c.user === BOT && !isResponse(c.body)).map((c) => c.body);
    },
  };
}

/** The running test's GitHub mock and the world it built on it, as its test file holds them. */
export interface TestState {
  gh: GitHubMock;
  w: World | undefined;
}

/**
 * The hooks of every test file that builds a world. Before each test, `set` is handed a fresh
 * mock and no world; after it, the state `get` returns then (the test assigns its world, and may
 * start over on a new mock) must show no request the fake did not know and no mock left unused.
 * Through a getter and a setter, so the tests keep their own `gh` and `w` and read as before.
 */
export function checkEachTest(get: () => TestState, set: (fresh: TestState) => void): void {
  beforeEach(() => set({ gh: mockGitHub(), w: undefined }));
  afterEach(() => {
    const { gh, w } = get();
    expect(w?.fake.unknown ?? []).toEqual([]);
    gh.done();
  });
}

/**
 * A publish that is over, each step's effect there exactly once: the advisory published, one
 * changelog PR, one process-review issue, one pack, one un-embargo checklist and one thank-you,
 * the issue closed and labelled announced, and the record saying so with every step done.
 */
export function expectPublishedOnce(v: World): void {
  expect(v.fake.advisories).toHaveLength(1);
  expect(v.fake.advisories[0]!.state).toBe("published");
  expect(v.fake.pulls).toHaveLength(1);
  expect(v.fake.issues.filter((i) => i.title.startsWith("Process review"))).toHaveLength(1);
  const own = v.replies();
  expect(own.filter((b) => b.includes(PACK_MARKER))).toHaveLength(1);
  expect(own.filter((b) => b.includes("### Un-embargo steps"))).toHaveLength(1);
  expect(own.filter((b) => b.includes("thank you for your report"))).toHaveLength(1);
  const issue = v.fake.issues.find((i) => i.number === 7)!;
  expect(issue).toMatchObject({ state: "closed", state_reason: "completed" });
  expect(issue.labels).toContain("security: announced");
  expect(v.record.state).toBe("announced");
  const done = Object.keys(v.record.publish_steps ?? {});
  // Named, so a step dropped from PUBLISH_STEPS fails here; and PUBLISH_STEPS, so a step added is checked too.
  expect(done).toEqual(expect.arrayContaining(["advisory", "changelog", "unembargo", "reporter", "announced", "process_review"]));
  expect(done).toEqual(expect.arrayContaining(PUBLISH_STEPS.map((s) => s.id)));
}

/** The GHSA id of the advisory `handPublishedWorld` publishes by hand. */
export const HAND_GHSA = "GHSA-hand-4q2w-9x8v";

/** A world whose response names a draft advisory on acme/widget that was published there by hand. */
export async function handPublishedWorld(gh: GitHubMock, yaml?: string): Promise<World> {
  const w = await world(gh, {
    ...(yaml ? { yaml } : {}),
    record: readyRecord({ ghsa: HAND_GHSA, advisory: { repo: "acme/widget", url: `https://github.com/acme/widget/security/advisories/${HAND_GHSA}` } }),
    widgetConfig: "security_repo: acme/security\n",
  });
  w.fake.advisories.push({ repo: "acme/widget", ghsa_id: HAND_GHSA, state: "published", summary: "s", description: "d", published_at: "2026-12-02T08:00:00Z" });
  return w;
}

/** GitHub's `repository_advisory.published` for that advisory (delivery `id`). */
export function publishedByHand(id: string) {
  return {
    id,
    name: "repository_advisory",
    payload: {
      action: "published",
      repository_advisory: { ghsa_id: HAND_GHSA, state: "published", published_at: "2026-12-02T08:00:00Z", summary: "s" },
      repository: { id: 2, name: "widget", full_name: "acme/widget", private: false, owner: { login: "acme" }, html_url: "https://github.com/acme/widget" },
      installation: { id: INSTALLATION_ID, node_id: "x" },
      sender: { login: "alice", type: "User" },
    },
  } as never;
}
