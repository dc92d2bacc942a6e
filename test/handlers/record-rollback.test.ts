/**
 * An older signed version of the response's record, put back from the comment's edit history (or
 * copied into the app's other response comment), verifies: it is the app's own text. It must not
 * take the response back in time. The record counts its writes (`seq`); the edit handler compares
 * the version the edit replaced, and the app's store keeps the highest count seen for each response.
 */
import type { Probot } from "probot";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load-config.js";
import { chooseResponse } from "../../src/github/response-choice.js";
import { recordMarker } from "../../src/record/markers.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { renderResponse } from "../../src/response/render-response.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import type { RedisStore } from "../../src/store/redis-store.js";
import type { Store } from "../../src/store/store.js";
import { BOT, commentEvent, commentList, createTestProbot, INSTALLATION_ID, labeledEvent, mockIdentity, mockToken, recordOf, RENDER_CONTEXT, SECURITY_REPO_ID, TEST_KEYS, type StoredComment } from "../helpers/app.js";
import { loadWebhookExample, mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { storeKinds, testRedis } from "../helpers/redis.js";

const redis = await testRedis();
const opened: RedisStore[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
  await redis.stop();
});

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const ISSUE = "/repos/acme/security/issues/7";
const RESPONSE_ID = 555;
const YAML = "supported_branches: [main]\n";
const CONFIG_PATH = `/contents/${encodeURIComponent(".github/embargo.yml")}`;
const CVSS = "/triage cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
const SUMMARY = "/triage summary Path traversal in the upload endpoint";

const visible = (body: string) => body.replace(/<!-- embargo:(record|render)[^>]*-->/g, "");

function triageRecord(): ResponseRecord {
  const record = newRecord(new Date("2026-11-20T09:30:00Z"), new Date("2026-11-20T09:31:00Z"));
  return { ...record, ticks: { "intake.tracked": { by: "app", at: "2026-11-20T09:31:00.000Z" } } };
}

async function rendered(record: ResponseRecord, settings: object = { supported_branches: ["main"] }): Promise<string> {
  const config = validateConfig(settings);
  if (!config.ok) throw new Error(config.problems.join());
  return renderResponse(record, config.config, { title: "Report", reporter: "reporter" }, undefined, RENDER_CONTEXT);
}

/**
 * acme/security#7 as GitHub keeps it, with the app's response comment (id 555) holding `body`:
 * reads answered from what is stored now, writes applied to it. What it costs in calls is other
 * tests' concern: here, what people see (the comment, the replies).
 */
function world(body: string, store: Store = new MemoryStore(), yaml = YAML) {
  const comments: StoredComment[] = [{ id: RESPONSE_ID, body, user: { login: BOT, type: "Bot" } }];
  const w = {
    store,
    comments,
    probot: undefined as unknown as Probot,
    patched: [] as string[],
    replies: [] as string[],
    labels: ["security", "security: triage"],
    /** What a listing of the comments answers when it lags behind a write (else the comments as they are). */
    listed: undefined as StoredComment[] | undefined,
    /** Bodies the next reads of the response comment by its id answer, one each, before its body now (a replica behind a write). */
    stale: [] as string[],
    get response(): string {
      return comments[0]!.body;
    },
    get record(): ResponseRecord {
      return recordOf(this.response);
    },
    /** Another process of the app (a restart, or a second instance): its own memory unless it shares `store`. */
    start(shared: Store = new MemoryStore()) {
      w.store = shared;
      w.probot = createTestProbot(undefined, { store: shared });
      mockToken(gh);
      mockIdentity(gh);
    },
  };
  w.start(store);
  const s = gh.scope().persist();
  s.get(`/repos/acme/security${CONFIG_PATH}`).optionally().reply(200, yaml, { "content-type": "text/plain; charset=utf-8" });
  s.get("/repos/acme/security/contents/.github").optionally().reply(404, { message: "Not Found" });
  s.get(`${ISSUE}/comments`).query(true).optionally().reply(200, () => commentList(w.listed ?? comments));
  s.get(/^\/repos\/acme\/security\/issues\/comments\/\d+$/)
    .optionally()
    .reply((uri) => {
      const c = comments.find((x) => x.id === Number(uri.split("/").pop()));
      const seen = c && c.id === RESPONSE_ID && w.stale.length ? { ...c, body: w.stale.shift()! } : c;
      return seen ? [200, { ...commentList([seen])[0], issue_url: `https://api.github.com${ISSUE}` }] : [404, { message: "Not Found" }];
    });
  s.get(/^\/repos\/acme\/security\/collaborators\/[^/]+\/permission$/).optionally().reply(200, { permission: "admin", role_name: "admin", user: { login: "alice", id: 77, type: "User" } });
  s.get(ISSUE).optionally().reply(200, () => ({ number: 7, title: "Report", state: "open", user: { login: "reporter" }, labels: w.labels.map((name) => ({ name })), assignees: [] }));
  s.patch(/^\/repos\/acme\/security\/issues\/comments\/\d+$/)
    .optionally()
    .reply((uri, b: any) => {
      const id = Number(uri.split("/").pop());
      const c = comments.find((x) => x.id === id);
      if (!c) return [404, { message: "Not Found" }];
      w.patched.push(b.body);
      c.body = b.body;
      return [200, { id, body: b.body }];
    });
  s.post(`${ISSUE}/comments`)
    .optionally()
    .reply(201, (_u, b: any) => {
      const id = 20_000 + comments.length;
      w.replies.push(b.body);
      comments.push({ id, body: b.body, user: { login: BOT, type: "Bot" } });
      return { id, body: b.body };
    });
  s.post(/^\/repos\/acme\/security\/issues\/comments\/\d+\/reactions$/).optionally().reply(201, (_u, b: any) => ({ id: 1, content: b.content }));
  s.post(`${ISSUE}/labels`).optionally().reply(200, (_u, b: any) => (w.labels.push(...b.labels), []));
  s.delete(/^\/repos\/acme\/security\/issues\/7\/labels\/.+$/)
    .optionally()
    .reply(200, (uri) => ((w.labels = w.labels.filter((l) => l !== decodeURIComponent(uri.split("/").pop()!))), []));
  return w;
}
type World = ReturnType<typeof world>;

/** A command by alice (an admin), in a new comment. */
async function command(w: World, line: string, commentId: number): Promise<void> {
  await w.probot.receive(commentEvent({ commentId, commentBody: line, labels: w.labels }));
}

/** A person saves the response comment as `to` (it read `from`): GitHub stores it, then sends the event. */
function edit(w: World, from: string, to: string, sender = "bob") {
  w.comments[0]!.body = to;
  const event = commentEvent({ action: "edited", commentId: RESPONSE_ID, commentBody: to, previousBody: from, sender, labels: w.labels });
  event.payload.comment.user = { ...event.payload.comment.user, login: BOT, type: "Bot" };
  return event;
}

describe("an older signed version put back by an edit", () => {
  for (const restarted of [false, true]) {
    it(`is replaced by the app's latest at once, answered once, and the response does not go back in time${restarted ? " (the app restarted in between: its memory store lost the mark)" : ""}`, async () => {
      const w = world(await rendered(triageRecord()));
      const v1 = w.response;
      await command(w, CVSS, 9101);
      const v2 = w.response;
      expect(recordOf(v2)).toMatchObject({ severity: "critical", seq: 2 });
      if (restarted) w.start();

      const event = edit(w, v2, v1);
      await w.probot.receive(event);
      expect(w.record).toMatchObject({ severity: "critical", cvss: { score: 9.8 }, seq: 3 });
      expect(visible(w.response)).toBe(visible(v2));
      expect(w.replies).toHaveLength(1);
      expect(w.replies[0]).toContain("was replaced by an edit by @\u200bbob with an older version the app wrote earlier");
      expect(w.replies[0]).toContain("An older copy has no effect");
      expect(w.replies[0]).toContain("Only ticking and unticking boxes in that comment counts");

      // GitHub redelivers the edit: nothing more is written or said.
      const writes = w.patched.length;
      await w.probot.receive({ ...event, id: `${event.id}-again` });
      expect(w.patched).toHaveLength(writes);
      expect(w.replies).toHaveLength(1);

      // Commands go on from the latest state.
      await command(w, SUMMARY, 9102);
      expect(w.record).toMatchObject({ severity: "critical", summary: "Path traversal in the upload endpoint", seq: 4 });
    });
  }
});

/** The box of the checklist item whose text contains `text`, ticked or unticked, as a person does in the editor. */
function setBox(body: string, text: string, checked: boolean): string {
  const lines = body.split("\n").map((l) => (l.includes(text) && l.includes("embargo:item") ? l.replace(/^- \[[ x]\]/, checked ? "- [x]" : "- [ ]") : l));
  const out = lines.join("\n");
  if (out === body) throw new Error(`no box "${text}" to ${checked ? "tick" : "untick"}`);
  return out;
}

describe("an edit saved over an older version: the editor was opened before the app's last write", () => {
  for (const restarted of [false, true]) {
    it(`keeps the person's tick on the app's latest version and says so, once${restarted ? " (the app restarted in between: only GitHub's `from` says it is older)" : " (the store's mark says it is older too)"}`, async () => {
      const w = world(await rendered(triageRecord()));
      // bob opens the comment's editor on v1; a command writes v2 meanwhile; bob ticks a box and saves.
      const v1 = w.response;
      await command(w, CVSS, 9101);
      const v2 = w.response;
      expect(recordOf(v2).ticks["triage.severity"]).toMatchObject({ by: "app" });
      if (restarted) w.start();
      const saved = setBox(v1, "If a breach may already have happened", true);

      const event = edit(w, v2, saved);
      await w.probot.receive(event);
      expect(w.record).toMatchObject({ severity: "critical", cvss: { score: 9.8 }, seq: 3 });
      expect(w.record.ticks["intake.breach"]).toEqual({ by: "bob", at: "2026-11-22T12:00:00.000Z" });
      expect(w.response).toMatch(/- \[x\] If a breach may already have happened.* · ticked by @\u200bbob on 2026-11-22 <!-- embargo:item intake\.breach -->/);
      // The rest of bob's text is v1's: the box the command ticked since stays ticked.
      expect(w.response).toMatch(/- \[x\] Risk rated with CVSS.*<!-- embargo:item triage\.severity -->/);
      expect(w.response).toContain("| **Severity** | critical");
      expect(w.replies).toHaveLength(1);
      expect(w.replies[0]).toContain("An edit of the response comment by @\u200bbob was saved over an older version of it: the app updated the comment while it was open in the editor");
      expect(w.replies[0]).toContain("- ticked: If a breach may already have happened");
      expect(w.replies[0]).not.toContain("unticked:");
      expect(w.replies[0]).not.toContain("from the comment's edit history");

      // GitHub redelivers the edit: nothing more is written or said, and the tick is not made twice.
      const writes = w.patched.length;
      await w.probot.receive({ ...event, id: `${event.id}-again` });
      expect(w.patched).toHaveLength(writes);
      expect(w.replies).toHaveLength(1);
      expect(w.record.ticks["intake.breach"]).toEqual({ by: "bob", at: "2026-11-22T12:00:00.000Z" });

      // Commands go on from the latest state, the tick with it.
      await command(w, SUMMARY, 9102);
      expect(w.record).toMatchObject({ severity: "critical", summary: "Path traversal in the upload endpoint", seq: 4 });
      expect(w.record.ticks["intake.breach"]).toMatchObject({ by: "bob" });
    });
  }

  it("keeps an untick of the app's tick, with who unticked it", async () => {
    const w = world(await rendered(triageRecord()));
    const v1 = w.response;
    await command(w, CVSS, 9101);
    const v2 = w.response;
    await w.probot.receive(edit(w, v2, setBox(v1, "Report tracked in this private issue", false)));
    expect(w.record.ticks["intake.tracked"]).toBeUndefined();
    expect(w.record.unticked?.["intake.tracked"]).toEqual({ by: "bob", at: "2026-11-22T12:00:00.000Z" });
    expect(w.record).toMatchObject({ severity: "critical", seq: 3 });
    expect(w.response).toMatch(/- \[ \] Report tracked in this private issue.* · unticked by @\u200bbob on 2026-11-22/);
    expect(w.replies).toHaveLength(1);
    expect(w.replies[0]).toContain("- unticked: Report tracked in this private issue");
    expect(w.replies[0]).not.toContain("- ticked:");
  });

  it("a 'patched on' box ticked in it moves the state as a box ticked on the latest does", async () => {
    const w = world(await rendered({ ...triageRecord(), state: "confirmed" }));
    w.labels = ["security", "security: confirmed"];
    const v1 = w.response;
    await command(w, CVSS, 9101);
    const v2 = w.response;
    await w.probot.receive(edit(w, v2, setBox(v1, "Patched on `main`", true)));
    expect(w.record).toMatchObject({ state: "fixed", severity: "critical" });
    expect(w.record.ticks["fix.branch:main"]).toMatchObject({ by: "bob" });
    expect(w.response).toContain("| **State** | Fixed |");
    expect(w.labels.filter((l) => l.startsWith("security: "))).toEqual(["security: fixed"]);
    expect(w.replies[0]).toContain("- ticked: Patched on `main`");
  });

  it("does not keep an untick of the box the app ticks itself while the rule holds, and says so", async () => {
    const pr = { repo: "acme/api", number: 3, state: "open" as const, review: "pending" as const, base: "main", private: false, leaks: 0 };
    const w = world(await rendered({ ...triageRecord(), prs: [pr] }));
    const v1 = w.response;
    expect(recordOf(v1).ticks["fix.no_reference"]).toMatchObject({ by: "app" });
    await command(w, CVSS, 9101);
    const v2 = w.response;
    const saved = setBox(setBox(v1, "Commits do not refer to the vulnerability", false), "If a breach may already have happened", true);
    await w.probot.receive(edit(w, v2, saved));
    expect(w.record.ticks["fix.no_reference"]).toMatchObject({ by: "app" });
    expect(w.record.ticks["intake.breach"]).toMatchObject({ by: "bob" });
    expect(w.replies).toHaveLength(1);
    expect(w.replies[0]).toContain("- ticked: If a breach may already have happened");
    expect(w.replies[0]).toContain("- not kept: 1 change of the box the app ticks and unticks itself");
    expect(w.replies[0]).not.toContain("unticked:");
  });

  it("whose only box change is one the app's rule undoes does not say any change was kept", async () => {
    const pr = { repo: "acme/api", number: 3, state: "open" as const, review: "pending" as const, base: "main", private: false, leaks: 0 };
    const w = world(await rendered({ ...triageRecord(), prs: [pr] }));
    const v1 = w.response;
    await command(w, CVSS, 9101);
    const v2 = w.response;
    await w.probot.receive(edit(w, v2, setBox(v1, "Commits do not refer to the vulnerability", false)));
    expect(w.record.ticks["fix.no_reference"]).toMatchObject({ by: "app" });
    expect(visible(w.response)).toBe(visible(v2));
    expect(w.replies).toHaveLength(1);
    expect(w.replies[0]).toContain("- not kept: 1 change of the box the app ticks and unticks itself");
    expect(w.replies[0]).not.toContain("kept the box changes of that edit");
  });

  it("leaves a box the latest version no longer has", async () => {
    const components = { api: { repo: "acme/api" }, web: { repo: "acme/web" } };
    const yaml = "supported_branches: [main]\ncomponents:\n  api: { repo: acme/api }\n  web: { repo: acme/web }\n";
    const w = world(await rendered({ ...triageRecord(), components: ["api"] }, { supported_branches: ["main"], components }), undefined, yaml);
    const v1 = w.response;
    expect(v1).toContain("<!-- embargo:item fix.branch:main -->");
    // A second repository: the one "patched on main" box becomes one per repository.
    await command(w, "/triage component web", 9101);
    const v2 = w.response;
    expect(v2).not.toContain("<!-- embargo:item fix.branch:main -->");
    await w.probot.receive(edit(w, v2, setBox(setBox(v1, "Patched on `main`", true), "If a breach may already have happened", true)));
    expect(w.record).toMatchObject({ components: ["api", "web"], seq: 3 });
    expect(Object.keys(w.record.ticks).filter((id) => id.startsWith("fix.branch"))).toEqual([]);
    expect(w.record.ticks["intake.breach"]).toMatchObject({ by: "bob" });
    expect(w.response).toMatch(/- \[ \] Patched on `main` of acme\/api/);
    expect(w.replies).toHaveLength(1);
    expect(w.replies[0]).toContain("- ticked: If a breach may already have happened");
    expect(w.replies[0]).not.toContain("Patched on");
  });

  it("a second save made before the app answered the first keeps its box too (the comment shows it when the first is answered)", async () => {
    const w = world(await rendered(triageRecord()));
    const v1 = w.response;
    await command(w, CVSS, 9101);
    const v2 = w.response;
    // bob saves his editor (opened on v1) with a tick, then ticks one more and saves again, before the app answered.
    const first = setBox(v1, "If a breach may already have happened", true);
    const e1 = edit(w, v2, first);
    const e2 = edit(w, first, setBox(first, "If a support ticket was raised", true));
    await w.probot.receive(e1);
    await w.probot.receive(e2);
    expect(w.record.ticks["intake.breach"]).toMatchObject({ by: "bob" });
    expect(w.record.ticks["intake.ticket"]).toMatchObject({ by: "bob" });
    expect(w.record).toMatchObject({ severity: "critical" });
    expect(w.response).toMatch(/- \[x\] If a support ticket was raised.* · ticked by @\u200bbob on 2026-11-22/);
    expect(w.replies).toHaveLength(1);
    expect(w.replies[0]).toContain("- ticked: If a breach may already have happened");
    expect(w.replies[0]).toContain("- ticked: If a support ticket was raised");
  });

  it("a tick on the latest version saved over by an older editor's text before the app answered it: the older editor's box is kept", async () => {
    const w = world(await rendered(triageRecord()));
    const v1 = w.response;
    await command(w, CVSS, 9101);
    const v2 = w.response;
    // alice ticks a box on v2; bob, whose editor was opened on v1, saves over it before the app answered alice.
    const byAlice = setBox(v2, "Reporter thanked and told what happens next", true);
    const ea = edit(w, v2, byAlice, "alice");
    const eb = edit(w, byAlice, setBox(v1, "If a breach may already have happened", true));
    await w.probot.receive(ea);
    await w.probot.receive(eb);
    expect(w.record.ticks["intake.breach"]).toMatchObject({ by: "bob" });
    expect(w.record).toMatchObject({ severity: "critical" });
    expect(w.response).toMatch(/- \[x\] If a breach may already have happened.* · ticked by @\u200bbob on 2026-11-22/);
  });

  it("an older version pasted back as it was (no box changed from what the app wrote) still gets the paste's answer", async () => {
    const w = world(await rendered(triageRecord()));
    const v1 = w.response;
    await command(w, CVSS, 9101);
    const v2 = w.response;
    await w.probot.receive(edit(w, v2, v1));
    expect(visible(w.response)).toBe(visible(v2));
    expect(w.replies).toHaveLength(1);
    expect(w.replies[0]).toContain("with an older version the app wrote earlier (from the comment's edit history)");
    expect(w.replies[0]).not.toContain("saved over an older version");
  });
});

describe.each(storeKinds(redis, opened, "MemoryStore"))("an older signed version whose edit event never came (%s)", (_name, makeStore, available) => {
  it.skipIf(!available)("makes commands leave the response as it is and say how to repair it; putting the latest back repairs it", async () => {
    const w = world(await rendered(triageRecord()), makeStore());
    const v1 = w.response;
    await command(w, CVSS, 9101);
    const v2 = w.response;
    // Put back from the edit history; GitHub's `issue_comment.edited` is lost.
    w.comments[0]!.body = v1;
    const writes = w.patched.length;

    // Another instance of the app sharing the store (as through Redis) knows the mark too.
    w.start(w.store);
    await command(w, SUMMARY, 9102);
    expect(w.patched).toHaveLength(writes);
    expect(w.response).toBe(v1);
    expect(w.replies).toHaveLength(1);
    expect(w.replies[0]).toContain("is an older version than the last one the app wrote");
    expect(w.replies[0]).toContain("until it is repaired, commands and PR events leave this response as it is");
    expect(w.replies[0]).toContain("copy the **last** version written by the app");

    // The repair: the last version the app wrote, pasted back (its count equals the mark).
    await w.probot.receive(edit(w, v1, v2));
    expect(w.patched).toHaveLength(writes);
    expect(w.replies).toHaveLength(1);
    await command(w, SUMMARY, 9103);
    expect(w.record).toMatchObject({ severity: "critical", summary: "Path traversal in the upload endpoint", seq: 3 });
  });

  it.skipIf(!available)("an edit of that older copy is not put back (nothing newer to put back): the reply names its box changes as not kept, once", async () => {
    const w = world(await rendered(triageRecord()), makeStore());
    const v1 = w.response;
    await command(w, CVSS, 9101);
    // Put back from the edit history; GitHub's `issue_comment.edited` is lost. Then bob ticks a box in it.
    w.comments[0]!.body = v1;
    const writes = w.patched.length;
    const event = edit(w, v1, setBox(v1, "If a breach may already have happened", true));
    await w.probot.receive(event);
    expect(w.patched).toHaveLength(writes);
    expect(w.replies).toHaveLength(1);
    expect(w.replies[0]).toContain("copy the **last** version written by the app");
    expect(w.replies[0]).toContain("The box changes of that edit were made on the older copy, so they are not kept:\n- ticked: If a breach may already have happened");
    expect(w.replies[0]).toContain("Once the comment is repaired, make them again.");
    await w.probot.receive({ ...event, id: `${event.id}-again` });
    expect(w.patched).toHaveLength(writes);
    expect(w.replies).toHaveLength(1);
  });

  it.skipIf(!available)("after that reply, how to repair it is not said again for the same older copy", async () => {
    const w = world(await rendered(triageRecord()), makeStore());
    const v1 = w.response;
    await command(w, CVSS, 9101);
    w.comments[0]!.body = v1;
    const ticked = setBox(v1, "If a breach may already have happened", true);
    await w.probot.receive(edit(w, v1, ticked));
    expect(w.replies).toHaveLength(1);
    expect(w.replies[0]).toContain("copy the **last** version written by the app");
    // bob takes his tick back; the issue is labelled again: the older copy is the same damage, already answered.
    await w.probot.receive(edit(w, ticked, v1));
    await w.probot.receive(labeledEvent({ labels: w.labels }));
    expect(w.response).toBe(v1);
    expect(w.replies).toHaveLength(1);
  });

  it.skipIf(!available)("is taken by an app whose store never saw a later one (a fresh store takes any count)", async () => {
    const w = world(await rendered(triageRecord()), makeStore());
    const v1 = w.response;
    await command(w, CVSS, 9101);
    w.comments[0]!.body = v1;
    w.start(makeStore());
    await command(w, SUMMARY, 9102);
    expect(w.record).toMatchObject({ summary: "Path traversal in the upload endpoint", seq: 2 });
    expect(w.record.severity).toBeUndefined();
  });
});

describe("a listing of the comments that lags behind the app's last write", () => {
  it("is not taken for an older version put back: the comment read alone is", async () => {
    const w = world(await rendered(triageRecord()));
    const v1 = w.response;
    await command(w, CVSS, 9101);
    // The remembered id expired (the comments are listed), and the listing still shows the version before the write.
    await w.store.del(`response-comment:repo:${SECURITY_REPO_ID}#7`);
    w.listed = [{ ...w.comments[0]!, body: v1 }];
    await command(w, SUMMARY, 9102);
    expect(w.replies).toEqual([]);
    expect(w.record).toMatchObject({ severity: "critical", summary: "Path traversal in the upload endpoint", seq: 3 });
  });
});

/** GitHub's `repository.renamed` for acme/security, formerly acme/security-old (its id kept). */
function renamedEvent() {
  const payload = loadWebhookExample("repository", "renamed");
  Object.assign(payload.repository, { id: SECURITY_REPO_ID, name: "security", full_name: "acme/security", private: true, visibility: "private" });
  payload.repository.owner.login = "acme";
  payload.changes = { repository: { name: { from: "security-old" } } };
  payload.sender = { ...payload.sender, login: "alice", type: "User" };
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" };
  return { id: `renamed-${Math.random()}`, name: "repository" as const, payload };
}

describe("a repository rename whose listing of the comments lags behind the app's last write", () => {
  it("tells the response its former name: the comment read alone is the record, not an older version put back", async () => {
    const w = world(await rendered(triageRecord()));
    const v1 = w.response;
    await command(w, CVSS, 9101);
    gh.scope()
      .get("/repos/acme/security/issues")
      .query(true)
      .reply(200, [{ number: 7, title: "Report", html_url: "https://github.com/acme/security/issues/7", state: "open", user: { login: "reporter" }, labels: w.labels.map((name) => ({ name })), assignees: [] }]);
    w.listed = [{ ...w.comments[0]!, body: v1 }];
    await w.probot.receive(renamedEvent() as never);
    expect(w.replies).toEqual([]);
    expect(w.record).toMatchObject({ severity: "critical", former_names: ["acme/security-old"], seq: 3 });
    expect(w.response).toContain("| **Security repository formerly** | acme/security-old");
  });
});

describe("a read of the response comment by its id that lags behind the app's last write", () => {
  it("is read again after a pause, and the version GitHub then gives is the record: no reply, nothing lost", async () => {
    const w = world(await rendered(triageRecord()));
    const v1 = w.response;
    await command(w, CVSS, 9101);
    w.stale.push(v1);
    await command(w, SUMMARY, 9102);
    expect(w.replies).toEqual([]);
    expect(w.record).toMatchObject({ severity: "critical", summary: "Path traversal in the upload endpoint", seq: 3 });
  });

  it("behind twice is an older version put back: left as it is, and answered", async () => {
    const w = world(await rendered(triageRecord()));
    const v1 = w.response;
    await command(w, CVSS, 9101);
    w.comments[0]!.body = v1;
    await command(w, SUMMARY, 9102);
    expect(w.response).toBe(v1);
    expect(w.replies).toHaveLength(1);
    expect(w.replies[0]).toContain("older");
  });
});

describe("a response comment deleted by a person", () => {
  it("is opened again counting on from the mark, so the new response is not taken for an older version", async () => {
    const w = world(await rendered(triageRecord()));
    await command(w, CVSS, 9101);
    w.comments.splice(0, w.comments.length);
    await w.probot.receive(labeledEvent({ labels: ["security"] }));
    expect(w.record).toMatchObject({ state: "triage", seq: 3 });
    await command(w, SUMMARY, 9102);
    expect(w.record).toMatchObject({ summary: "Path traversal in the upload endpoint", seq: 4 });
  });
});

describe("records written before the count", () => {
  it("still read, and the first write counts from there", async () => {
    const old = (await rendered(triageRecord())).replace(/<!-- embargo:record:v\d [^>]*-->/, recordMarker(triageRecord(), TEST_KEYS, "acme/security#7"));
    expect(recordOf(old).seq).toBeUndefined();
    const w = world(old);
    await command(w, CVSS, 9101);
    expect(w.record).toMatchObject({ severity: "critical", seq: 1 });
    await command(w, SUMMARY, 9102);
    expect(w.record).toMatchObject({ severity: "critical", summary: "Path traversal in the upload endpoint", seq: 2 });
  });
});

describe("two response comments", () => {
  it("the one written more times is the response, even when the other's timestamps are as late and its id higher", () => {
    const at = "2026-11-21T10:00:00.000Z";
    const record = (seq: number, severity: "low" | "critical"): ResponseRecord => ({ ...triageRecord(), severity, set_at: { severity: at }, seq });
    const body = (r: ResponseRecord) => `<!-- embargo:response -->\n${recordMarker(r, TEST_KEYS, "acme/security#7")}`;
    const latest = { id: 600, body: body(record(5, "critical")), login: BOT };
    const older = { id: 700, body: body(record(4, "low")), login: BOT };
    const verify = (text: string) => (text === latest.body ? record(5, "critical") : text === older.body ? record(4, "low") : undefined);
    expect(chooseResponse([latest, older], BOT, verify).own).toBe(latest);
    expect(chooseResponse([older, latest], BOT, verify).own).toBe(latest);
  });
});
