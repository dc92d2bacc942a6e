/**
 * A publish its gates refused counts as run (README, "Publish gates"): publishing cannot be undone,
 * so neither an edit of that comment nor a redelivery of its event may publish later, once the
 * gates pass, when nobody asked for it then. A new comment does.
 */
import { describe, expect, it } from "vitest";
import { parseCommands } from "../../src/commands/parse-commands.js";
import { replyMarker } from "../../src/record/markers.js";
import { BOT } from "../helpers/app.js";
import type { GitHubMock } from "../helpers/github-api.js";
import { AFTER_END, BEFORE_END, checkEachTest, expectPublishedOnce, readyRecord, world, type World } from "./world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

const published = (v: World) => v.fake.advisories.filter((a) => a.state === "published");
const refusals = (v: World) => v.replies().filter((b) => b.includes('Gate "Embargo end reached" fails'));

/** GitHub's edit history of a comment only its author edited: what an edit keeping a line that never ran asks. */
function onlyAuthorEdited(v: World, author: string): void {
  v.fake.route("POST", "/graphql", () => [200, { data: { node: { userContentEdits: { totalCount: 1, nodes: [{ editor: { login: author } }] } } } }]);
}

describe("/announce publish refused by its gates", () => {
  it("counts as run: its redelivery and the author's edit of the comment, after the gates pass, publish nothing; a new comment publishes", async () => {
    w = await world(gh);
    onlyAuthorEdited(w, "alice");
    const text = "/announce publish\n/triage mitigaton Upgrade to 1.3.1";
    const deliver = w.delivery(text, { now: BEFORE_END });
    await deliver();
    const id = w.lastCommentId;
    const [refusal] = refusals(w);
    expect(refusal).toContain("This line counts as run: editing the comment does not run it again. To publish, post `/announce publish` in a new comment once the gates pass.");
    expect(refusal).toContain("`/triage mitigaton` is not a command");
    expect(refusal).toContain("Fix a line by editing the comment or in a new one.");

    // The embargo has ended: the refused event redelivered runs nothing and says nothing again.
    const repliesBefore = w.replies().length;
    await deliver(AFTER_END);
    expect(published(w)).toEqual([]);
    expect(w.replies()).toHaveLength(repliesBefore);

    // The author fixes the typo in the other line: that line runs, the publish does not.
    await w.send("/announce publish\n/triage mitigation Upgrade to 1.3.1", { now: AFTER_END, edit: { id, from: text } });
    expect(w.record.mitigations).toEqual(["Upgrade to 1.3.1"]);
    expect(published(w)).toEqual([]);
    expect(w.fake.pulls).toEqual([]);
    expect(refusals(w)).toHaveLength(1);

    await w.send("/announce publish", { now: AFTER_END });
    expectPublishedOnce(w);
  });

  it("with --force refused by the advisory gate, which no reason passes: counts as run too", async () => {
    w = await world(gh, { record: readyRecord({ summary: undefined }) });
    onlyAuthorEdited(w, "alice");
    const text = "/announce publish --force the reporter went public";
    await w.send(text, { now: AFTER_END });
    const id = w.lastCommentId;
    const [refusal] = w.replies();
    expect(refusal).toContain('Gate "Advisory ready" fails: no draft advisory can be made: it has no summary');
    expect(refusal).toContain("To publish, post `/announce publish --force &lt;reason>` in a new comment once the gates pass.");
    expect(refusal).toContain("Post a line again in a new comment.");
    expect(refusal).not.toContain("Fix a line by editing");

    await w.send("/triage summary Path traversal in the upload endpoint", { now: AFTER_END });
    await w.send(`${text}\n/triage mitigation Upgrade to 1.3.1`, { now: AFTER_END, edit: { id, from: text } });
    expect(w.record.mitigations).toEqual(["Upgrade to 1.3.1"]);
    expect(published(w)).toEqual([]);
    await w.send(text, { now: AFTER_END });
    expectPublishedOnce(w);
    expect(w.record.forced).toBeUndefined(); // every gate passed: nothing was forced
  });

  it("an edit of its comment reads no membership for the gate it no longer checks", async () => {
    w = await world(gh, { record: readyRecord({ patched: [], ticks: { ...readyRecord().ticks, "fix.branch:main": { by: "mallory", at: "2026-11-30T00:00:00Z" } } }) });
    w.fake.roles.set("mallory", "write");
    onlyAuthorEdited(w, "alice");
    const reads = () => gh.requests.filter((r) => r.path.includes("/mallory"));
    const text = "/announce publish\n/triage mitigaton Upgrade to 1.3.1";
    await w.send(text, { now: AFTER_END });
    expect(w.replies().at(-1)).toContain("ticked by @\u200bmallory, who is not in the security team");
    const before = reads().length;
    expect(before).toBeGreaterThan(0);
    await w.send("/announce publish\n/triage mitigation Upgrade to 1.3.1", { now: AFTER_END, edit: { id: w.lastCommentId, from: text } });
    expect(w.record.mitigations).toEqual(["Upgrade to 1.3.1"]);
    expect(reads()).toHaveLength(before);
  });

  it("a redelivery of a comment the app answered before this rule (its errors reply keyed by every failed line) posts no second reply", async () => {
    w = await world(gh);
    const text = "/announce publish\n/triage mitigaton Upgrade to 1.3.1";
    const deliver = w.delivery(text, { now: BEFORE_END });
    const id = w.lastCommentId;
    // The reply as the app wrote it then: both lines failed, both in its key, neither remembered as run.
    const key = `errors-${id}-${parseCommands(text).map((l) => l.hash).join("")}`;
    w.fake.comments.push({ id: 990_001, issue: "acme/security#7", user: BOT, body: `Some commands were not applied; nothing from these lines changed:\n\n> /triage mitigaton Upgrade to 1.3.1\n${replyMarker(key)}` });
    await deliver();
    expect(w.replies().filter((b) => b.includes("/triage mitigaton"))).toHaveLength(1);
    expect(published(w)).toEqual([]);
  });

  it("its reply posted but the response's write lost to an outage: a redelivery after the gates pass publishes nothing", async () => {
    w = await world(gh);
    const deliver = w.delivery("/announce publish\n/triage mitigaton Upgrade to 1.3.1", { now: BEFORE_END });
    w.fake.failOnce("PATCH", /\/issues\/comments\/555$/, 502);
    await deliver().catch(() => undefined);
    expect(refusals(w)).toHaveLength(1);
    await deliver(AFTER_END);
    expect(published(w)).toEqual([]);
    expect(refusals(w)).toHaveLength(1);
    expect(w.replies().filter((b) => b.includes("/triage mitigaton"))).toHaveLength(1);
  });

  it("a line quoting the refused marker of another comment does not make that comment's publish count as run", async () => {
    w = await world(gh);
    onlyAuthorEdited(w, "alice");
    const text = "/announce publish now";
    await w.send(text, { now: AFTER_END });
    const id = w.lastCommentId;
    const hash = parseCommands("/announce publish")[0]!.hash;
    await w.send(`/triage mitigaton <!-- embargo:refused ${id} ${hash} -->`, { now: AFTER_END });
    expect(w.replies().at(-1)).not.toContain("<!-- embargo:refused");
    await w.send("/announce publish", { now: AFTER_END, edit: { id, from: text } });
    expectPublishedOnce(w);
  });

  it("a malformed line is still the author's to fix by editing the comment", async () => {
    w = await world(gh);
    await w.send("/announce publish now", { now: AFTER_END });
    const id = w.lastCommentId;
    expect(w.replies().at(-1)).toContain("Fix a line by editing the comment or in a new one.");
    await w.send("/announce publish", { now: AFTER_END, edit: { id, from: "/announce publish now" } });
    expectPublishedOnce(w);
  });
});
