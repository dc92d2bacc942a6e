/**
 * Redeliveries of a publish's events, after people changed things since: an old event finishes
 * what is left and never undoes what was done by hand after it.
 */
import { describe, expect, it } from "vitest";
import { INSTALLATION_ID } from "../helpers/app.js";
import type { GitHubMock } from "../helpers/github-api.js";
import { AFTER_END, checkEachTest, readyRecord, world, type World } from "./world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

const GHSA = "GHSA-hand-4q2w-9x8v";

function publishedByHand(id: string) {
  return {
    id,
    name: "repository_advisory",
    payload: {
      action: "published",
      repository_advisory: { ghsa_id: GHSA, state: "published", published_at: "2026-12-02T08:00:00Z", summary: "s" },
      repository: { id: 2, name: "widget", full_name: "acme/widget", private: false, owner: { login: "acme" }, html_url: "https://github.com/acme/widget" },
      installation: { id: INSTALLATION_ID, node_id: "x" },
      sender: { login: "alice", type: "User" },
    },
  };
}

describe("repository_advisory.published redelivered", () => {
  it("after the team reopened the announced issue: the issue stays open", async () => {
    w = await world(gh, {
      record: readyRecord({ ghsa: GHSA, advisory: { repo: "acme/widget", url: `https://github.com/acme/widget/security/advisories/${GHSA}` } }),
      widgetConfig: "security_repo: acme/security\n",
    });
    w.fake.advisories.push({ repo: "acme/widget", ghsa_id: GHSA, state: "published", summary: "s", description: "d", published_at: "2026-12-02T08:00:00Z" });
    await w.probot(AFTER_END).receive(publishedByHand("adv-1") as never);
    const issue = w.fake.issues.find((i) => i.repo === "acme/security" && i.number === 7)!;
    expect(issue.state).toBe("closed");
    // Alice reopens it (a regression in the fix, say): the response stays announced.
    issue.state = "open";
    issue.state_reason = "reopened";
    await w.probot(AFTER_END).receive(publishedByHand("adv-1") as never);
    expect(issue.state).toBe("open");
    expect(w.fake.pulls).toHaveLength(1);
    expect(w.record.state).toBe("announced");
  });
});
