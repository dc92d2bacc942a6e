/**
 * A command comment's created event handled after its edit (a late delivery, or a failed one
 * redelivered): the line the author replaced does not run over the one they meant.
 */
import { expect, it } from "vitest";
import { commentEvent, INSTALLATION_ID } from "../helpers/app.js";
import type { GitHubMock } from "../helpers/github-api.js";
import { BEFORE_END, checkEachTest, readyRecord, TITLE, BODY, world, type World } from "../announce/world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

it("an old created event of an edited command comment does not run the line the edit replaced", async () => {
  w = await world(gh, { record: readyRecord({ state: "confirmed", severity: undefined, cvss: undefined }) });
  const shape = { commentId: 4242, sender: "alice", title: TITLE, body: BODY, labels: ["security", "security: confirmed"], author: "reporter" };
  const created = commentEvent({ ...shape, commentBody: "/triage severity high" });
  const edited = commentEvent({ ...shape, action: "edited", commentBody: "/triage severity low", previousBody: "/triage severity high" });
  for (const e of [created, edited]) e.payload.installation = { id: INSTALLATION_ID, node_id: "x" };
  // The comment as it reads now, after the author's edit.
  w.fake.comments.push({ id: 4242, issue: "acme/security#7", body: "/triage severity low", user: "alice" });
  const probot = w.probot(BEFORE_END);
  await probot.receive(edited as never);
  expect(w.record.severity).toBe("low");
  await probot.receive(created as never);
  expect(w.record.severity).toBe("low");
});
