/**
 * An issue opened with the security label sends two events at once (`opened` and `labeled`): with
 * a broken config, each would tell the issue so. One reply, as for everything else the intake says.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { CONFIG_ERROR_MARKER, RESPONSE_MARKER } from "../../src/record/markers.js";
import { BOT, commentEvent, createTestProbot, labeledEvent, openedEvent } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import type { FakeGitHub } from "../sweep/fake-github.js";
import { ISSUE, SECURITY, seededFake } from "../sweep/sweep-world.js";

let gh: GitHubMock;
let fake: FakeGitHub;
beforeEach(() => {
  gh = mockGitHub();
  fake = seededFake();
  const scope = gh.scope();
  scope.persist();
  for (const method of ["GET", "POST", "PATCH", "PUT", "DELETE"]) {
    scope
      .intercept(() => true, method)
      .optionally()
      .reply((uri: string, body: unknown) => {
        const [status, data, headers] = fake.handle(method, uri, body);
        return [status, data as never, { "content-type": "application/json; charset=utf-8", ...headers }];
      });
  }
});
afterEach(() => {
  expect(fake.unknown).toEqual([]);
  gh.done();
});

it("an issue opened with the label under a broken config: the opened and labeled events, handled at once, post one config reply", async () => {
  fake.repo(SECURITY).config = "team: acme/sec\ntriage_rotation: 5\n";
  const probot = createTestProbot();
  await Promise.all([probot.receive(openedEvent({ labels: ["security"] })), probot.receive(labeledEvent())]);
  const replies = fake.comments(SECURITY, ISSUE).filter((c) => c.body.includes(CONFIG_ERROR_MARKER));
  expect(replies).toHaveLength(1);
});

it("two edits of the response handled at once under a broken config: one config reply", async () => {
  fake.repo(SECURITY).config = "team: acme/sec\ntriage_rotation: 5\n";
  const probot = createTestProbot();
  const edit = (n: number) => {
    const event = commentEvent({ action: "edited", commentId: 4242, commentBody: `${RESPONSE_MARKER}\nedit ${n}`, previousBody: RESPONSE_MARKER });
    event.payload.comment.user = { ...event.payload.comment.user, login: BOT, type: "Bot" };
    return event;
  };
  await Promise.all([probot.receive(edit(1)), probot.receive(edit(2))]);
  const replies = fake.comments(SECURITY, ISSUE).filter((c) => c.body.includes(CONFIG_ERROR_MARKER));
  expect(replies).toHaveLength(1);
});
