/**
 * A member closes the security issue while other events for the same response arrive. The close
 * ends the response in its queue, then follows each linked PR (src/handlers/sync-linked-prs.ts),
 * each PR's sync in the queue again: in between, the queue is free and other events write the
 * response. A PR sync that writes it must start from the response as it is then.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Probot } from "probot";
import { RESPONSE_MARKER } from "../../src/record/markers.js";
import { createTestProbot, recordOf } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { BOT_LOGIN, type FakeGitHub } from "./fake-github.js";
import { commentEvent, ISSUE, issuesEvent, linkedWorld, PRODUCT, PUBLIC_PR, SECURITY, subscribedExamples } from "./sweep-world.js";

const example = (label: string) => subscribedExamples().find((e) => e.label === label)!.payload;

let linked: FakeGitHub;
beforeAll(async () => {
  ({ linked } = await linkedWorld());
});

let gh: GitHubMock | undefined;
let fake: FakeGitHub | undefined;
afterEach(() => {
  gh?.done();
  expect(fake?.unknown ?? []).toEqual([]);
});

let deliveries = 0;

describe("a close by a member while a person ticks boxes in the response", () => {
  it("keeps both ticks, and the response never reads as an older version put back", async () => {
    fake = linked.clone();
    const f = fake;
    gh = mockGitHub();
    // While the close reads the fix PR (the response's queue free between its two steps), the edits are handled.
    let during: (() => Promise<void>) | undefined;
    const pull = new RegExp(`/repos/${PRODUCT}/pulls/${PUBLIC_PR}$`);
    gh.scope()
      .persist()
      .intercept((uri: string) => during !== undefined && pull.test(uri), "GET")
      .optionally()
      .reply(async (uri: string) => {
        const run = during!;
        during = undefined;
        await run();
        const [status, data, headers] = f.handle("GET", uri, {});
        return [status, data as never, { "content-type": "application/json; charset=utf-8", ...headers }];
      });
    f.install(gh);
    const probot: Probot = createTestProbot();
    await probot.load(() => undefined);
    const deliver = async (name: string, payload: any) => {
      f.absorb(payload);
      await probot.receive({ id: `close-race-${++deliveries}`, name, payload } as never);
    };
    const response = () => f.comments(SECURITY, ISSUE).find((c) => c.login === BOT_LOGIN && c.body.includes(RESPONSE_MARKER))!;
    const record = () => recordOf(response().body, `${SECURITY}#${ISSUE}`, f.repo(SECURITY).id);
    const replies = () => f.comments(SECURITY, ISSUE).filter((c) => c.login === BOT_LOGIN && !c.body.includes(RESPONSE_MARKER));
    const before = replies().length;
    const ticks: string[] = [];
    /** alice ticks the first box still open in the response: GitHub stores it, then sends the edit. */
    const tick = async () => {
      const from = response().body;
      const to = from.replace("- [ ] ", "- [x] ");
      ticks.push(/- \[ \] [^\n]*<!-- embargo:item (\S+) -->/.exec(from)![1]!);
      expect(to).not.toBe(from);
      response().body = to;
      const p = commentEvent(example("issue_comment.edited #1"), f, SECURITY, ISSUE, "unused", "nobody-here");
      p.comment = { ...p.comment, id: response().id, body: to, user: { ...p.comment.user, login: BOT_LOGIN, type: "Bot" } };
      p.changes = { body: { from } };
      p.sender = { ...p.sender, login: "alice" };
      await deliver("issue_comment", p);
    };
    /** The boxes alice ticked, as the response shows them now. */
    const ticked = () => ticks.filter((id) => new RegExp(`- \\[x\\] [^\\n]*<!-- embargo:item ${id} -->`).test(response().body));

    // The fix PR merged (its own event not handled yet): the close's PR sync records it.
    Object.assign(f.pull(PRODUCT, PUBLIC_PR), { state: "closed", merged: true });
    during = async () => {
      await tick();
      await tick();
      expect(ticked()).toEqual(ticks);
    };
    const payload = issuesEvent({ ...structuredClone(example("issues.reopened #1")), action: "closed" }, f, SECURITY, ISSUE, "alice");
    payload.issue.state = "closed";
    payload.issue.closed_at = "2026-11-22T12:00:00Z";
    await deliver("issues", payload);
    expect(during).toBeUndefined();

    expect(record().state).toBe("closed");
    expect(record().prs.find((p) => p.number === PUBLIC_PR)?.state).toBe("merged");
    expect(ticked()).toEqual(ticks);
    // The next event reads the response as the app last wrote it.
    await deliver("issue_comment", commentEvent(example("issue_comment.created #1"), f, SECURITY, ISSUE, "/triage status"));
    expect(replies().slice(before).map((c) => c.body).filter((b) => /older version|hidden record/.test(b))).toEqual([]);
    expect(ticked()).toEqual(ticks);
  });
});
