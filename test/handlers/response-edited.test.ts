import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load-config.js";
import { recordMarker } from "../../src/record/markers.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { renderResponse } from "../../src/response/render-response.js";
import { KeyRing } from "../../src/security/key-ring.js";
import {
  BOT,
  commentEvent,
  commentList,
  createTestProbot,
  mockConfig,
  mockIdentity,
  mockNoOverrides,
  mockToken,
  recordOf,
  RENDER_CONTEXT,
  TEST_KEYS,
  type StoredComment,
} from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const ISSUE = "/repos/acme/security/issues/7";
const RESPONSE_ID = 555;
const YAML = 'supported_branches: [main, "4.19"]\n';

function config() {
  const result = validateConfig({ supported_branches: ["main", "4.19"] });
  if (!result.ok) throw new Error(result.problems.join());
  return result.config;
}

function baseRecord(changes: Partial<ResponseRecord> = {}): ResponseRecord {
  const record = newRecord(new Date("2026-11-20T09:30:00Z"), new Date("2026-11-20T09:31:00Z"));
  return { ...record, ticks: { "intake.tracked": { by: "app", at: "2026-11-20T09:31:00.000Z" } }, ...changes };
}

/** What people read: the comment without its hidden record and render signature (the app writes them bound to the repository's id now). */
const visible = (body: string) => body.replace(/<!-- embargo:(record|render)[^>]*-->/g, "");

async function bodyOf(record: ResponseRecord): Promise<string> {
  return renderResponse(record, config(), { title: "Report", reporter: "reporter" }, undefined, RENDER_CONTEXT);
}

function setBox(body: string, text: string, checked: boolean): string {
  const lines = body.split("\n").map((l) => (l.includes(text) && l.includes("embargo:item") ? l.replace(/^- \[[ x]\]/, checked ? "- [x]" : "- [ ]") : l));
  return lines.join("\n");
}

/**
 * The security issue with the app's response comment. `edited` is what the person saved; GitHub
 * then lists it as the comment's body and sends `issue_comment.edited` with `from` the body before.
 */
async function edit(before: string, edited: string, options: { sender?: string; labels?: string[]; reads?: boolean; current?: string } = {}) {
  const stored: StoredComment[] = [{ id: RESPONSE_ID, body: options.current ?? edited, user: { login: BOT, type: "Bot" } }];
  const probot = createTestProbot();
  const writes = { patched: [] as string[], replies: [] as string[], added: [] as string[], removed: [] as string[] };
  mockIdentity(gh);
  if (options.reads !== false) {
    mockToken(gh);
    mockConfig(gh, "acme", "security", YAML);
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, () => commentList(stored));
    mockNoOverrides(gh, "acme", "security");
    const scope = gh.scope().persist();
    scope
      .patch(`/repos/acme/security/issues/comments/${RESPONSE_ID}`)
      .optionally()
      .reply(200, (_u, b: any) => (writes.patched.push(b.body), (stored[0]!.body = b.body), { id: RESPONSE_ID }));
    scope
      .post(`${ISSUE}/comments`)
      .optionally()
      .reply(201, (_u, b: any) => (writes.replies.push(b.body), { id: 1 }));
    scope
      .post(`${ISSUE}/labels`)
      .optionally()
      .reply(200, (_u, b: any) => (writes.added.push(...b.labels), []));
    scope
      .delete(/^\/repos\/acme\/security\/issues\/7\/labels\/.+$/)
      .optionally()
      .reply(200, (uri) => (writes.removed.push(decodeURIComponent(uri.split("/").pop()!)), []));
  }
  const event = commentEvent({ action: "edited", commentId: RESPONSE_ID, commentBody: edited, previousBody: before, sender: options.sender ?? "bob", labels: options.labels });
  event.payload.comment.user = { ...event.payload.comment.user, login: BOT, type: "Bot" };
  await probot.receive(event);
  return { ...writes, body: stored[0]!.body };
}

describe("boxes ticked by hand are recorded at once, with who and when", () => {
  it("a tick is kept with the person's login and the date, and the comment says so", async () => {
    const before = await bodyOf(baseRecord());
    const out = await edit(before, setBox(before, "If a breach may already have happened", true));
    expect(recordOf(out.body).ticks["intake.breach"]).toEqual({ by: "bob", at: "2026-11-22T12:00:00.000Z" });
    expect(out.body).toMatch(/- \[x\] If a breach may already have happened.* · ticked by @\u200bbob on 2026-11-22 <!-- embargo:item intake\.breach -->/);
    expect(out.replies).toEqual([]);
  });

  it("an untick of the app's tick is kept, and says who unticked it", async () => {
    const before = await bodyOf(baseRecord());
    const out = await edit(before, setBox(before, "Report tracked in this private issue", false));
    expect(recordOf(out.body).ticks["intake.tracked"]).toBeUndefined();
    expect(out.body).toMatch(/- \[ \] Report tracked .* · unticked by @\u200bbob on 2026-11-22/);
  });

  it("ticking every 'patched on' box makes a confirmed response fixed: status and state label follow", async () => {
    const record = baseRecord({ state: "confirmed" });
    const before = await bodyOf(record);
    const edited = setBox(setBox(before, "Patched on `main`", true), "Patched on `4.19`", true);
    // A state the edit changes is labelled against the issue as it is now: one read.
    gh.api.get(ISSUE).reply(200, { number: 7, title: "Report", state: "open", user: { login: "reporter" }, assignees: [], labels: [{ name: "security" }, { name: "security: confirmed" }] });
    const out = await edit(before, edited, { labels: ["security", "security: confirmed"] });
    expect(recordOf(out.body).state).toBe("fixed");
    expect(out.body).toContain("| **State** | Fixed |");
    expect(out.body).not.toContain("Still to patch");
    expect(out.added).toEqual(["security: fixed"]);
    expect(out.removed).toEqual(["security: confirmed"]);
  });

  it("only boxes count: changed table text and an item line copied to tick it twice are rendered away", async () => {
    const before = await bodyOf(baseRecord());
    const line = before.split("\n").find((l) => l.includes("embargo:item intake.breach"))!;
    const edited = before.replace("| **State** | Triage |", "| **State** | Announced |").replace(line, `${line}\n${line.replace("- [ ]", "- [x]")}`);
    const out = await edit(before, edited);
    expect(recordOf(out.body).ticks["intake.breach"]).toBeUndefined();
    expect(recordOf(out.body).state).toBe("triage");
    expect(out.body).toContain("| **State** | Triage |");
    expect(visible(out.body)).toBe(visible(before));
  });

  it("a redelivered old edit does not undo a newer one", async () => {
    const before = await bodyOf(baseRecord());
    // The old event says bob ticked the box; the comment shows it unticked again since (a later edit).
    const out = await edit(before, setBox(before, "If a breach may already have happened", true), { current: before });
    expect(recordOf(out.body).ticks["intake.breach"]).toBeUndefined();
    expect(out.patched).toEqual([]);
  });

  it("the app's own edits are not a person's: nothing is read or written", async () => {
    const before = await bodyOf(baseRecord());
    const out = await edit(before, setBox(before, "If a breach may already have happened", true), { sender: BOT, reads: false });
    expect(out.patched).toEqual([]);
  });
});

describe("the hidden record cannot be forged (attacks)", () => {
  const forge = (body: string, record: ResponseRecord, keys = TEST_KEYS, scope = "acme/security#7") =>
    body.replace(/<!-- embargo:record:v\d [^>]*-->/, recordMarker(record, keys, scope));

  it("a record re-signed with another key (state → announced, a PR added) has no effect: the app puts its own back and says so", async () => {
    const record = baseRecord({ state: "confirmed" });
    const before = await bodyOf(record);
    const forged = forge(before, { ...record, state: "announced", prs: [{ repo: "evil/fork", number: 1, state: "merged", review: "approved", base: "main", private: true }] }, new KeyRing("guessed"));
    const out = await edit(before, forged, { labels: ["security", "security: confirmed"] });
    expect(recordOf(out.body)).toMatchObject({ state: "confirmed", prs: [] });
    expect(visible(out.body)).toBe(visible(before));
    expect(out.added).toEqual([]);
    expect(out.removed).toEqual([]);
    expect(out.replies).toHaveLength(1);
    expect(out.replies[0]).toContain("A record the app did not write has no effect");
    expect(out.replies[0]).toContain("@\u200bbob");
  });

  it("an edited payload (base64 changed, signature kept) does not verify either", async () => {
    const before = await bodyOf(baseRecord());
    const forged = before.replace(/(<!-- embargo:record:v\d )([A-Za-z0-9_-])/, (_m, p, c) => `${p}${c === "A" ? "B" : "A"}`);
    const out = await edit(before, forged);
    expect(recordOf(out.body).state).toBe("triage");
    expect(out.replies[0]).toContain("put back the last version it wrote");
  });

  it("a genuine record copied from another issue does not verify here", async () => {
    const before = await bodyOf(baseRecord());
    const other = forge(before, baseRecord({ state: "invalid", reason: "copied" }), TEST_KEYS, "acme/security#5");
    const out = await edit(before, other);
    expect(recordOf(out.body).state).toBe("triage");
    expect(out.replies).toHaveLength(1);
  });

  it("with no trustworthy version to put back, the app changes nothing and says how to repair it", async () => {
    const before = await bodyOf(baseRecord());
    const forged = forge(before, baseRecord({ state: "announced" }), new KeyRing("guessed"));
    const out = await edit(forged, forged.replace("- [ ]", "- [x]"));
    expect(out.patched).toEqual([]);
    expect(out.replies).toHaveLength(1);
    expect(out.replies[0]).toContain("open the comment's edit history");
    expect(out.replies[0]).toContain("`/triage status` cannot repair it");
  });
});
