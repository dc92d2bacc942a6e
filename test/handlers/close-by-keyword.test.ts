/**
 * A team member merges a PR whose text says `Fixes #7`: GitHub closes the security issue through
 * its closing keywords, and `issues.closed` names the member as sender, as for a close by hand.
 * Only the issue's events tell the two apart (the close event's `commit_id`). Nothing was
 * disclosed, so the response goes on: the issue is reopened and told why, once.
 */
import { describe, expect, it } from "vitest";
import { BOT } from "../helpers/app.js";
import type { GitHubMock } from "../helpers/github-api.js";
import { issueStateEvent } from "../pr/fixtures.js";
import { BEFORE_END, checkEachTest, readyRecord, world, type World } from "../announce/world.js";
import type { FakeIssue } from "../announce/fake-github.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

const MERGE = "4f2a9c1d0b7e88aa5e1f3c2b9d0a7e6f5c4b3a21";

/** `login` closes #7: by hand, or (with `commit`) by merging a PR whose text closes it. The event GitHub sends. */
function close(v: World, login: string, commit: string | null = null) {
  const issue = seven(v);
  issue.state = "closed";
  issue.closed_by = login;
  v.fake.addEvent(issue, "closed", login, commit);
  return issueStateEvent("closed", login);
}

const seven = (v: World): FakeIssue => v.fake.issues.find((i) => i.repo === "acme/security" && i.number === 7)!;
const reopens = (v: World) => v.fake.events.filter((e) => e.event === "reopened" && e.actor === BOT);
const told = (v: World) => v.replies().filter((r) => r.includes("closing keyword"));

describe("a security issue closed by a merged PR's closing keyword", () => {
  it("is reopened and told so once, and the response goes on; a redelivery changes nothing", async () => {
    w = await world(gh, { record: readyRecord({ state: "fixing" }) });
    const probot = w.probot(BEFORE_END);
    const merged = close(w, "alice", MERGE);
    await probot.receive(merged as never);
    expect(seven(w).state).toBe("open");
    expect(told(w)).toHaveLength(1);
    expect(told(w)[0]).toContain("@alice this issue was closed by a closing keyword (such as `Fixes #…` or `Closes #…`) in a merged pull request or a commit (`4f2a9c1d0b7e`), not by hand, so it was reopened");
    expect(told(w)[0]).toContain("its fix PRs stay gated");
    expect(told(w)[0]).toContain("To end the response, publish with `/announce publish`, or close this issue by hand again.");
    // Not closed by hand: the response still says where it stood.
    expect(w.record.state).toBe("fixing");
    expect(w.record.closed_by_hand).toBeUndefined();

    // GitHub tells the app of its own reopen, then redelivers the merge's close.
    await probot.receive(issueStateEvent("reopened", BOT, "Bot") as never);
    await probot.receive(merged as never);
    expect(seven(w).state).toBe("open");
    expect(reopens(w)).toHaveLength(1);
    expect(told(w)).toHaveLength(1);
    expect(w.record.state).toBe("fixing");
  });

  it("a close by hand right after ends the response, and the merge's close redelivered then does not undo it", async () => {
    w = await world(gh, { record: readyRecord({ state: "fixing" }) });
    const probot = w.probot(BEFORE_END);
    const merged = close(w, "alice", MERGE);
    await probot.receive(merged as never);
    expect(seven(w).state).toBe("open");

    await probot.receive(close(w, "alice") as never);
    expect(seven(w).state).toBe("closed");
    expect(w.record).toMatchObject({ state: "closed", closed_by_hand: { by: "alice", previous: "fixing" } });

    await probot.receive(merged as never);
    expect(seven(w).state).toBe("closed");
    expect(reopens(w)).toHaveLength(1);
    expect(told(w)).toHaveLength(1);
    expect(w.record.state).toBe("closed");
  });

  it("a close by hand that GitHub's events do not list yet is not taken for the earlier keyword close (it stands, and is not undone in silence)", async () => {
    w = await world(gh, { record: readyRecord({ state: "fixing" }) });
    const probot = w.probot(BEFORE_END);
    await probot.receive(close(w, "alice", MERGE) as never);
    expect(seven(w).state).toBe("open");
    // Half an hour later a member closes it by hand; the events GitHub lists lag its webhook.
    Object.assign(seven(w), { state: "closed", closed_by: "alice" });
    w.fake.addEvent(seven(w), "closed", "alice", null, { at: "2026-11-22T12:00:00Z", unlisted: 1 });
    const byHand = issueStateEvent("closed", "alice");
    byHand.payload.issue.closed_at = "2026-11-22T12:00:00Z";
    await probot.receive(byHand as never);
    expect(seven(w).state).toBe("closed");
    expect(reopens(w)).toHaveLength(1);
    expect(told(w)).toHaveLength(1);
    expect(w.record).toMatchObject({ state: "closed", closed_by_hand: { by: "alice", previous: "fixing" } });
  });

  it("a keyword close that GitHub's events do not list yet is not taken for a close by hand: the response goes on", async () => {
    w = await world(gh, { record: readyRecord({ state: "fixing" }) });
    const probot = w.probot(BEFORE_END);
    Object.assign(seven(w), { state: "closed", closed_by: "alice" });
    // The webhook comes before the close is listed among the issue's events.
    w.fake.addEvent(seven(w), "closed", "alice", MERGE, { unlisted: 1 });
    await probot.receive(issueStateEvent("closed", "alice") as never);
    expect(seven(w).state).toBe("open");
    expect(told(w)).toHaveLength(1);
    expect(w.record.state).toBe("fixing");
    expect(w.record.closed_by_hand).toBeUndefined();
  });

  it("a second keyword close, half an hour after the first was undone and not listed yet, is undone and told too", async () => {
    w = await world(gh, { record: readyRecord({ state: "fixing" }) });
    const probot = w.probot(BEFORE_END);
    await probot.receive(close(w, "alice", MERGE) as never);
    expect(seven(w).state).toBe("open");
    // Another PR saying "Fixes #7" is merged; its close is listed only on a later read.
    Object.assign(seven(w), { state: "closed", closed_by: "alice" });
    w.fake.addEvent(seven(w), "closed", "alice", "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d", { at: "2026-11-22T12:00:00Z", unlisted: 1 });
    const second = issueStateEvent("closed", "alice");
    second.payload.issue.closed_at = "2026-11-22T12:00:00Z";
    await probot.receive(second as never);
    expect(seven(w).state).toBe("open");
    expect(reopens(w)).toHaveLength(2);
    expect(told(w)).toHaveLength(2);
    expect(told(w)[1]).toContain("`9e8d7c6b5a4f`");
    expect(w.record.state).toBe("fixing");
    expect(w.record.closed_by_hand).toBeUndefined();
  });

  it("a close GitHub's events still do not list after a wait is not guessed at: the delivery fails, and its redelivery decides", async () => {
    w = await world(gh, { record: readyRecord({ state: "fixing" }) });
    const probot = w.probot(BEFORE_END);
    Object.assign(seven(w), { state: "closed", closed_by: "alice" });
    w.fake.addEvent(seven(w), "closed", "alice", MERGE, { unlisted: 10 });
    const merged = issueStateEvent("closed", "alice");
    await expect(probot.receive(merged as never)).rejects.toThrow(/not listed/);
    expect(seven(w).state).toBe("closed");
    expect(w.record.state).toBe("fixing");
    expect(told(w)).toEqual([]);
    // Redelivered once GitHub lists it: undone and told.
    w.fake.events.forEach((e) => (e.unlisted = 0));
    await probot.receive(merged as never);
    expect(seven(w).state).toBe("open");
    expect(told(w)).toHaveLength(1);
  });

  it("the merge's close delivered late, after a member closed the issue by hand, is not undone", async () => {
    w = await world(gh, { record: readyRecord({ state: "fixing" }) });
    const probot = w.probot(BEFORE_END);
    const merged = close(w, "alice", MERGE);
    // Reopened by a member, then closed by hand, before the merge's event is handled.
    seven(w).state = "open";
    w.fake.addEvent(seven(w), "reopened", "alice");
    close(w, "alice");
    await probot.receive(merged as never);
    expect(seven(w).state).toBe("closed");
    expect(told(w)).toEqual([]);
    expect(w.record.state).toBe("closed");
  });

  it("finds the close among many events: the newest page first, an earlier one only while no close is found", async () => {
    w = await world(gh, { record: readyRecord({ state: "fixing" }) });
    const probot = w.probot(BEFORE_END);
    for (let n = 0; n < 30; n++) w.fake.addEvent(seven(w), "labeled", "alice");
    const merged = close(w, "alice", MERGE);
    // Label changes after the close push it off the newest page.
    for (let n = 0; n < 120; n++) w.fake.addEvent(seven(w), "labeled", "alice");
    await probot.receive(merged as never);
    expect(seven(w).state).toBe("open");
    expect(told(w)).toHaveLength(1);
    expect(gh.requests.filter((r) => r.operationId === "issues/list-events").map((r) => r.query.page)).toEqual(["1", "2"]);
  });

  it("a close by hand (no commit) still ends the response at once", async () => {
    w = await world(gh, { record: readyRecord({ state: "fixing" }) });
    await w.probot(BEFORE_END).receive(close(w, "alice") as never);
    expect(seven(w).state).toBe("closed");
    expect(told(w)).toEqual([]);
    expect(w.record).toMatchObject({ state: "closed", closed_by_hand: { by: "alice" } });
  });
});
