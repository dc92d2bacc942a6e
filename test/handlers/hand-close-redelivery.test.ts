/**
 * A close or reopen by hand, redelivered after the issue changed again: the response follows the
 * issue as it is now, not the old event.
 */
import { describe, expect, it } from "vitest";
import type { GitHubMock } from "../helpers/github-api.js";
import { issueStateEvent } from "../pr/fixtures.js";
import { BEFORE_END, checkEachTest, readyRecord, world, type World } from "../announce/world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

describe("issues.closed / issues.reopened redelivered", () => {
  it("an old close redelivered after the team reopened the issue does not close the response again", async () => {
    w = await world(gh, { record: readyRecord({ state: "fixing" }) });
    const issue = w.fake.issues.find((i) => i.repo === "acme/security" && i.number === 7)!;
    const probot = w.probot(BEFORE_END);
    const closed = issueStateEvent("closed", "alice");
    issue.state = "closed";
    // As GitHub lists them: whether a closing keyword made a member's close is read from them.
    w.fake.addEvent(issue, "closed", "alice");
    await probot.receive(closed as never);
    expect(w.record.state).toBe("closed");
    issue.state = "open";
    w.fake.addEvent(issue, "reopened", "alice");
    await probot.receive(issueStateEvent("reopened", "alice") as never);
    expect(w.record.state).toBe("fixing");
    await probot.receive(closed as never); // GitHub's redelivery: the same delivery, later
    expect(issue.state).toBe("open");
    expect(w.record.state).toBe("fixing");
  });

  it("an old reopen redelivered after the team closed the issue again does not reopen the response", async () => {
    w = await world(gh, { record: readyRecord({ state: "fixing" }) });
    const issue = w.fake.issues.find((i) => i.repo === "acme/security" && i.number === 7)!;
    const probot = w.probot(BEFORE_END);
    issue.state = "closed";
    w.fake.addEvent(issue, "closed", "alice");
    await probot.receive(issueStateEvent("closed", "alice") as never);
    const reopened = issueStateEvent("reopened", "alice");
    issue.state = "open";
    w.fake.addEvent(issue, "reopened", "alice");
    await probot.receive(reopened as never);
    issue.state = "closed";
    w.fake.addEvent(issue, "closed", "alice");
    await probot.receive(issueStateEvent("closed", "alice") as never);
    expect(w.record.state).toBe("closed");
    await probot.receive(reopened as never);
    expect(w.record.state).toBe("closed");
  });

  it("a command comment written before a close and reopen by hand, delivered after them, does not close the response again", async () => {
    w = await world(gh, { record: readyRecord({ state: "confirmed" }) });
    const issue = w.fake.issues.find((i) => i.repo === "acme/security" && i.number === 7)!;
    const probot = w.probot(BEFORE_END);
    // Written on 2026-11-20 (the comment's created_at); its delivery failed, to be redelivered by hand.
    const late = w.delivery("/triage invalid Not ours after all.");
    issue.state = "closed";
    w.fake.addEvent(issue, "closed", "alice");
    await probot.receive(issueStateEvent("closed", "alice") as never);
    const reopened = issueStateEvent("reopened", "alice");
    reopened.payload.issue.updated_at = "2026-11-22T11:45:00Z";
    issue.state = "open";
    w.fake.addEvent(issue, "reopened", "alice");
    await probot.receive(reopened as never);
    expect(w.record.state).toBe("confirmed");
    await late();
    expect(issue.state).toBe("open");
    expect(w.record.state).toBe("confirmed");
    expect(w.replies().at(-1)).toContain("> /triage invalid Not ours after all.");
    expect(w.replies().at(-1)).toContain("a newer command (2026-11-22T11:45:00Z) set this after this comment was written, and it stays; post the line again to apply it");
  });

  it("a non-member's old close redelivered does not reopen the issue a team member closed since", async () => {
    w = await world(gh, { record: readyRecord({ state: "fixing" }) });
    w.fake.roles.set("mallory", "write");
    const issue = w.fake.issues.find((i) => i.repo === "acme/security" && i.number === 7)!;
    const probot = w.probot(BEFORE_END);
    const byMallory = issueStateEvent("closed", "mallory");
    issue.state = "closed";
    issue.closed_by = "mallory";
    await probot.receive(byMallory as never);
    expect(issue.state).toBe("open"); // undone: mallory may not close it
    // Alice closes it; her event is on its way (or failed, to be redelivered).
    issue.state = "closed";
    issue.closed_by = "alice";
    await probot.receive(byMallory as never); // mallory's delivery, redelivered
    expect(issue.state).toBe("closed");
  });
});
