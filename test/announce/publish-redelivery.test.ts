/**
 * Redeliveries of a publish's events, after people changed things since: an old event finishes
 * what is left and never undoes what was done by hand after it.
 */
import { describe, expect, it } from "vitest";
import type { GitHubMock } from "../helpers/github-api.js";
import { AFTER_END, checkEachTest, handPublishedWorld, publishedByHand, type World } from "./world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

describe("repository_advisory.published redelivered", () => {
  it("after the team reopened the announced issue: the issue stays open", async () => {
    w = await handPublishedWorld(gh);
    await w.probot(AFTER_END).receive(publishedByHand("adv-1"));
    const issue = w.fake.issues.find((i) => i.repo === "acme/security" && i.number === 7)!;
    expect(issue.state).toBe("closed");
    // Alice reopens it (a regression in the fix, say): the response stays announced.
    issue.state = "open";
    issue.state_reason = "reopened";
    await w.probot(AFTER_END).receive(publishedByHand("adv-1"));
    expect(issue.state).toBe("open");
    expect(w.fake.pulls).toHaveLength(1);
    expect(w.record.state).toBe("announced");
  });
});
