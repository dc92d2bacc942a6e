/**
 * A box ticked in the response comment, handled after a command changed the issue's labels (the
 * two arrived together; the command ran first): the state labels follow the issue as it is now,
 * not the edit event's copy of them (issue 8's rule, for edits).
 */
import { expect, it } from "vitest";
import { commentEvent, INSTALLATION_ID } from "../helpers/app.js";
import type { GitHubMock } from "../helpers/github-api.js";
import { BEFORE_END, checkEachTest, readyRecord, RESPONSE_ID, world, type World } from "../announce/world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

function tickBox(body: string, text: string): string {
  return body.split("\n").map((l) => (l.includes(text) && l.includes("embargo:item") ? l.replace(/^- \[ \]/, "- [x]") : l)).join("\n");
}

it("an edit handled after a command moved the state leaves one state label", async () => {
  w = await world(gh, { record: readyRecord({ state: "fixing", patched: [] }) });
  const issue = w.fake.issues.find((i) => i.repo === "acme/security" && i.number === 7)!;
  // The issue now: a command made it `fixing` a moment ago.
  issue.labels = ["security", "security: fixing", "severity: critical"];
  const response = w.fake.comments.find((c) => c.id === RESPONSE_ID)!;
  const before = response.body;
  const edited = tickBox(before, "Patched on `main`");
  expect(edited).not.toBe(before);
  response.body = edited;
  // The edit event was sent before that command: its copy of the labels is older.
  const event = commentEvent({ action: "edited", commentId: RESPONSE_ID, commentBody: edited, previousBody: before, sender: "alice", labels: ["security", "security: confirmed", "severity: critical"] });
  event.payload.comment.user = { ...event.payload.comment.user, login: "embargo[bot]", type: "Bot" };
  event.payload.installation = { id: INSTALLATION_ID, node_id: "x" };
  await w.probot(BEFORE_END).receive(event as never);
  expect(w.record.state).toBe("fixed");
  expect(issue.labels.filter((l) => l.startsWith("security: "))).toEqual(["security: fixed"]);
});
