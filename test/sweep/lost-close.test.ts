/**
 * A security issue closed while its response's record is not: the `issues.closed` delivery failed
 * (GitHub does not redeliver by itself) or never came. A closing keyword's close (`Fixes #7` in a
 * merged PR) must not end the response, nor release the fix PRs' gates; a member's close by hand
 * must end it all the same, later. Whoever meets the close next judges it: a PR event of one of
 * its PRs, or the tick.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Probot } from "probot";
import { RESPONSE_MARKER } from "../../src/record/markers.js";
import type { TickReport } from "../../src/tick/run-tick.js";
import { createTestProbot, recordOf } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { BOT_LOGIN, type FakeGitHub } from "./fake-github.js";
import { commentEvent, HEAD, ISSUE, issuesEvent, linkedWorld, PRODUCT, PUBLIC_PR, pullEvent, PUSHED, SECURITY, SECURITY_YAML, subscribedExamples } from "./sweep-world.js";

const example = (label: string) => subscribedExamples().find((e) => e.label === label)!.payload;
const MERGE = "4f2a9c1d0b7e88aa5e1f3c2b9d0a7e6f5c4b3a21";

let linked: FakeGitHub;
beforeAll(async () => {
  ({ linked } = await linkedWorld());
});

interface World {
  fake: FakeGitHub;
  gh: GitHubMock;
  deliver(name: string, payload: any): Promise<void>;
  tick(): Promise<TickReport>;
}

let deliveries = 0;
let current: World | undefined;
afterEach(() => {
  // Every request valid against GitHub's description, and none the fake could not answer.
  current?.gh.done();
  expect(current?.fake.unknown ?? []).toEqual([]);
  current = undefined;
});

/** The linked response (product#42 and security#43 gated), a Probot with its tick, and one tick run while #7 is open (the dashboard lists it). */
async function world(options: { dashboard?: boolean } = {}): Promise<World> {
  const fake = linked.clone();
  const dashboard = options.dashboard ?? true;
  if (!dashboard) fake.repo(SECURITY).config = `${SECURITY_YAML}dashboard:\n  enabled: false\n`;
  const gh = mockGitHub();
  fake.install(gh);
  let tick: (() => Promise<TickReport>) | undefined;
  const probot: Probot = createTestProbot(undefined, { onTick: (t) => (tick = t) });
  await probot.load(() => undefined);
  const w: World = {
    fake,
    gh,
    async deliver(name, payload) {
      fake.absorb(payload);
      await probot.receive({ id: `lost-close-${++deliveries}`, name, payload } as never);
    },
    async tick() {
      const report = await tick!();
      expect(report.failed).toEqual([]);
      return report;
    },
  };
  current = w;
  await w.tick();
  expect([...w.fake.repo(SECURITY).issues.values()].some((i) => i.labels.some((l) => /dashboard/i.test(l)))).toBe(dashboard);
  return w;
}

const seven = (w: World) => w.fake.issue(SECURITY, ISSUE);
const record = (w: World) => recordOf(w.fake.comments(SECURITY, ISSUE).find((c) => c.login === BOT_LOGIN && c.body.includes(RESPONSE_MARKER))!.body, `${SECURITY}#${ISSUE}`, w.fake.repo(SECURITY).id);
const told = (w: World) => w.fake.comments(SECURITY, ISSUE).filter((c) => c.login === BOT_LOGIN && c.body.includes("closing keyword"));
const gate = (w: World, sha: string) => w.fake.repo(PRODUCT).checkRuns.find((r) => r.head_sha === sha)!;
const productLabels = (w: World) => w.fake.issue(PRODUCT, PUBLIC_PR).labels;

/** GitHub closes #7: by `login`'s hand, or (with `commit`) through the closing keyword of a PR `login` merged. No webhook is delivered. */
function closeWithoutWebhook(w: World, login: string, commit?: string) {
  Object.assign(seven(w), { state: "closed", closed_by: login, ...(commit ? { close_commit: commit } : {}) });
}

/** The `issues.closed` GitHub would have sent for that close, delivered now (late, or again). */
function closedEvent(w: World, login: string) {
  const state = seven(w).state;
  const payload = issuesEvent({ ...structuredClone(example("issues.reopened #1")), action: "closed" }, w.fake, SECURITY, ISSUE, login);
  seven(w).state = state;
  payload.issue.state = "closed";
  payload.issue.closed_at = "2026-11-22T12:00:00Z";
  return payload;
}

const waiting = { status: "completed", conclusion: "action_required", title: "Waiting for review" };

describe("a closing keyword's close whose issues.closed was never handled", () => {
  it("a push to a fix PR afterwards keeps its gate waiting (nothing released, nothing said on the PR), and the push's event reopens #7 and tells once", async () => {
    const w = await world();
    expect(gate(w, HEAD)).toMatchObject(waiting);
    const priority = productLabels(w).slice();
    expect(priority.length).toBeGreaterThan(0);
    closeWithoutWebhook(w, "alice", MERGE);

    await w.deliver("pull_request", pullEvent(example("pull_request.synchronize #1"), w.fake, PRODUCT, PUBLIC_PR));

    expect(gate(w, PUSHED)).toMatchObject(waiting);
    expect(gate(w, PUSHED).summary).toContain("Waiting for a required reviewer to approve the current head commit");
    expect(productLabels(w)).toEqual(priority);
    expect(w.fake.comments(PRODUCT, PUBLIC_PR).filter((c) => c.login === BOT_LOGIN)).toEqual([]);
    expect(seven(w).state).toBe("open");
    expect(told(w)).toHaveLength(1);
    expect(told(w)[0]!.body).toContain("(`4f2a9c1d0b7e`), not by hand, so it was reopened");
    expect(record(w).state).toBe("fixing");
    expect(record(w).closed_by_hand).toBeUndefined();

    // The close's own delivery, redelivered late, and the next tick: nothing more.
    await w.deliver("issues", closedEvent(w, "alice"));
    await w.tick();
    expect(seven(w).state).toBe("open");
    expect(told(w)).toHaveLength(1);
    expect(gate(w, PUSHED)).toMatchObject(waiting);
    expect(record(w).state).toBe("fixing");
  });

  it("the tick reopens #7 and tells once; the gates keep waiting; a second tick and the webhook delivered late change nothing", async () => {
    const w = await world();
    closeWithoutWebhook(w, "alice", MERGE);

    await w.tick();
    expect(seven(w).state).toBe("open");
    expect(told(w)).toHaveLength(1);
    expect(told(w)[0]!.body).toContain("@alice this issue was closed by a closing keyword");
    expect(record(w)).toMatchObject({ state: "fixing" });
    expect(gate(w, HEAD)).toMatchObject(waiting);

    await w.tick();
    await w.deliver("issues", closedEvent(w, "alice"));
    expect(seven(w).state).toBe("open");
    expect(told(w)).toHaveLength(1);
    expect(record(w).state).toBe("fixing");
    expect(gate(w, HEAD)).toMatchObject(waiting);
  });
});

describe("a close by hand whose issues.closed was never handled", () => {
  it("the tick ends the response and releases the gates; the webhook delivered late changes nothing", async () => {
    const w = await world();
    closeWithoutWebhook(w, "alice");
    // Until then, nothing is released.
    expect(gate(w, HEAD)).toMatchObject(waiting);

    await w.tick();
    expect(seven(w).state).toBe("closed");
    expect(record(w)).toMatchObject({ state: "closed", closed_by_hand: { by: "alice", previous: "fixing" } });
    expect(gate(w, HEAD)).toMatchObject({ status: "completed", conclusion: "neutral", title: "No longer gated" });
    expect(told(w)).toEqual([]);

    await w.deliver("issues", closedEvent(w, "alice"));
    await w.tick();
    expect(seven(w).state).toBe("closed");
    expect(record(w).state).toBe("closed");
    expect(told(w)).toEqual([]);
  });

  it("without a dashboard the tick finds it all the same (the issues closed lately whose label is not a closed state's), and ends the response once", async () => {
    const w = await world({ dashboard: false });
    closeWithoutWebhook(w, "alice");
    await w.tick();
    expect(record(w)).toMatchObject({ state: "closed", closed_by_hand: { by: "alice", previous: "fixing" } });
    expect(gate(w, HEAD)).toMatchObject({ status: "completed", conclusion: "neutral", title: "No longer gated" });
    const writes = w.gh.requests.filter((r) => r.method !== "GET").length;
    await w.tick();
    expect(w.gh.requests.filter((r) => r.method !== "GET").length).toBe(writes);
  });

  it("a push to a fix PR before any tick ends it too, and releases that PR's gate", async () => {
    const w = await world();
    closeWithoutWebhook(w, "alice");
    await w.deliver("pull_request", pullEvent(example("pull_request.synchronize #1"), w.fake, PRODUCT, PUBLIC_PR));
    expect(seven(w).state).toBe("closed");
    expect(record(w)).toMatchObject({ state: "closed", closed_by_hand: { by: "alice" } });
    expect(gate(w, PUSHED)).toMatchObject({ status: "completed", conclusion: "neutral", title: "No longer gated" });
  });
});

describe("the app's own close whose command was cut short before it wrote the response", () => {
  const cutShort = (w: World) => w.fake.comments(SECURITY, ISSUE).filter((c) => c.login === BOT_LOGIN && c.body.includes("its response does not say so"));

  it("keeps the gates waiting and says so on the issue once, however many ticks and PR events meet it", async () => {
    const w = await world();
    closeWithoutWebhook(w, BOT_LOGIN);

    await w.tick();
    expect(seven(w).state).toBe("closed");
    expect(record(w).state).toBe("fixing");
    expect(gate(w, HEAD)).toMatchObject(waiting);
    expect(cutShort(w)).toHaveLength(1);
    expect(cutShort(w)[0]!.body).toContain("Until the response says how it ended, its fix PRs stay gated (nothing is released). Post that command again in a new comment to end the response");

    await w.tick();
    await w.deliver("pull_request", pullEvent(example("pull_request.synchronize #1"), w.fake, PRODUCT, PUBLIC_PR));
    expect(gate(w, PUSHED)).toMatchObject(waiting);
    expect(cutShort(w)).toHaveLength(1);
    expect(w.fake.comments(PRODUCT, PUBLIC_PR).filter((c) => c.login === BOT_LOGIN)).toEqual([]);
  });
});

describe("a close by someone who may not close it, never handled", () => {
  it("is undone by the tick with one reply, and nothing is released", async () => {
    const w = await world();
    w.fake.repo(SECURITY).collaborators.set("mallory", "write");
    closeWithoutWebhook(w, "mallory");
    await w.tick();
    await w.tick();
    expect(seven(w).state).toBe("open");
    expect(w.fake.comments(SECURITY, ISSUE).filter((c) => c.login === BOT_LOGIN && c.body.includes("@mallory"))).toHaveLength(1);
    expect(record(w).state).toBe("fixing");
    expect(gate(w, HEAD)).toMatchObject(waiting);
  });
});

describe("a reopen whose issues.reopened was never handled, after a close by hand the app did handle", () => {
  /** A member reopens #7 after the response was closed by hand; no webhook is delivered. */
  const reopenWithoutWebhook = (w: World) => Object.assign(seven(w), { state: "open", closed_by: null });
  const released = { status: "completed", conclusion: "neutral", title: "No longer gated" };

  it("a push to a fix PR afterwards gates it again (the response goes on), reopens the record once, and the webhook delivered late changes nothing", async () => {
    const w = await world();
    closeWithoutWebhook(w, "alice");
    await w.tick();
    expect(gate(w, HEAD)).toMatchObject(released);
    reopenWithoutWebhook(w);

    await w.deliver("pull_request", pullEvent(example("pull_request.synchronize #1"), w.fake, PRODUCT, PUBLIC_PR));

    expect(gate(w, PUSHED)).toMatchObject(waiting);
    expect(record(w)).toMatchObject({ state: "fixing" });
    expect(record(w).closed_by_hand).toBeUndefined();
    expect(productLabels(w).length).toBeGreaterThan(0);
    expect(w.fake.comments(PRODUCT, PUBLIC_PR).filter((c) => c.login === BOT_LOGIN)).toEqual([]);

    const reopened = issuesEvent({ ...structuredClone(example("issues.reopened #1")) }, w.fake, SECURITY, ISSUE, "alice");
    await w.deliver("issues", reopened);
    await w.tick();
    expect(seven(w).state).toBe("open");
    expect(record(w).state).toBe("fixing");
    expect(gate(w, PUSHED)).toMatchObject(waiting);
  });

  it("the tick gates the fix PRs again", async () => {
    const w = await world();
    closeWithoutWebhook(w, "alice");
    await w.tick();
    expect(gate(w, HEAD)).toMatchObject(released);
    reopenWithoutWebhook(w);

    await w.tick();
    expect(record(w)).toMatchObject({ state: "fixing" });
    expect(gate(w, HEAD)).toMatchObject(waiting);
    const writes = w.gh.requests.filter((r) => r.method !== "GET").length;
    await w.tick();
    expect(w.gh.requests.filter((r) => r.method !== "GET").length).toBe(writes);
  });

  /** A member's `/triage invalid`, written at `at` (its delivery failed, to be redelivered by hand). */
  const invalid = (w: World, at: string) => {
    const p = commentEvent(example("issue_comment.created #1"), w.fake, SECURITY, ISSUE, "/triage invalid Not ours after all.");
    p.comment.created_at = p.comment.updated_at = at;
    return p;
  };
  const lastReply = (w: World) => w.fake.comments(SECURITY, ISSUE).filter((c) => c.login === BOT_LOGIN && !c.body.includes(RESPONSE_MARKER)).at(-1)?.body;

  // The close by hand is at 12:00 (the fake's time); the command is written at 12:10, while #7 is closed; alice reopens it at 12:20.
  it("a command written while #7 was closed by hand, delivered after the tick put the reopen back, is refused and #7 stays open; the line posted again applies", async () => {
    const w = await world();
    closeWithoutWebhook(w, "alice");
    await w.tick();
    const late = invalid(w, "2026-11-22T12:10:00Z");
    Object.assign(seven(w), { state: "open", closed_by: null, reopened_at: "2026-11-22T12:20:00Z", updated_at: "2026-11-22T12:25:00Z" });
    await w.tick();
    expect(record(w).state).toBe("fixing");

    await w.deliver("issue_comment", late);
    expect(seven(w).state).toBe("open");
    expect(record(w).state).toBe("fixing");
    expect(lastReply(w)).toContain("a newer command (2026-11-22T12:20:00Z) set this after this comment was written, and it stays; post the line again to apply it");

    await w.deliver("issue_comment", invalid(w, "2026-11-22T12:30:00Z"));
    expect(seven(w).state).toBe("closed");
    expect(record(w).state).toBe("invalid");
  });

  it("when GitHub does not list the reopen yet, the issue's last change stands for its time: the late command is refused all the same", async () => {
    const w = await world();
    closeWithoutWebhook(w, "alice");
    await w.tick();
    const late = invalid(w, "2026-11-22T12:10:00Z");
    Object.assign(seven(w), { state: "open", closed_by: null, updated_at: "2026-11-22T12:25:00Z" });
    await w.tick();

    await w.deliver("issue_comment", late);
    expect(seven(w).state).toBe("open");
    expect(record(w).state).toBe("fixing");
    expect(lastReply(w)).toContain("a newer command (2026-11-22T12:25:00Z) set this");
  });
});
