/**
 * A publish cut short before its first step was recorded (GitHub failed publishing the advisory,
 * the event failed), redelivered once its gates refuse: the team asked for a disclosure that did
 * not happen, and is told so on the issue, once (README, "Publish gates").
 */
import { describe, expect, it } from "vitest";
import type { GitHubMock } from "../helpers/github-api.js";
import { AFTER_END, checkEachTest, world, type World } from "./world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

const published = (v: World) => v.fake.advisories.filter((a) => a.state === "published");
const told = (v: World) => v.replies().filter((b) => b.includes("this publish was cut short"));

describe("/announce publish cut short, then refused by its gates when redelivered", () => {
  it("says it was not published, and says it once however often it is delivered again", async () => {
    w = await world(gh);
    await w.send("/announce", { now: AFTER_END });
    w.fake.failOnce("PATCH", /security-advisories\//, 502);
    const deliver = w.delivery("/announce publish", { now: AFTER_END });
    await expect(deliver()).rejects.toThrow();
    expect(published(w)).toEqual([]);
    // Meanwhile the team moved the embargo end (the reporter asked for more time).
    await w.send("/triage embargo 2027-01-15", { now: AFTER_END });
    expect(w.record.embargo_end).toBe("2027-01-15");

    await deliver();
    expect(published(w)).toEqual([]);
    expect(told(w)).toHaveLength(1);
    const [reply] = told(w);
    // Whether GitHub published is not known: the reply does not claim that nothing changed.
    expect(reply).toMatch(/^Some commands were not applied:$/m);
    expect(reply).not.toContain("nothing from these lines changed");
    expect(reply).toContain("If GitHub did publish the advisory (its answer lost), the app's next tick finishes the publish steps; if not, nothing was published.");
    expect(reply).toContain('Gate "Embargo end reached" fails: the embargo ends on 2027-01-15');
    expect(reply).toContain("To publish, post `/announce publish` in a new comment once the gates pass.");

    await deliver();
    expect(told(w)).toHaveLength(1);
    expect(published(w)).toEqual([]);
  });

  it("cut short before step 1, then closed as invalid: the reply promises no tick (it reads no closed response) and says to look at the advisory", async () => {
    w = await world(gh);
    await w.send("/announce", { now: AFTER_END });
    w.fake.failOnce("PATCH", /security-advisories\//, 502);
    const deliver = w.delivery("/announce publish", { now: AFTER_END });
    await expect(deliver()).rejects.toThrow();
    await w.send("/triage invalid not ours after all", { now: AFTER_END });
    expect(w.record.state).toBe("invalid");

    await deliver();
    expect(told(w)).toHaveLength(1);
    const [reply] = told(w);
    expect(reply).not.toContain("the app's next tick finishes the publish steps");
    expect(reply).toContain(`If GitHub did publish the advisory (its answer lost), it is public though this response is closed (invalid), and the app finishes no publish steps for a closed response: look at the advisory ${w.record.ghsa} of ${w.record.advisory!.repo} on GitHub`);
    expect(reply).toContain("This response is closed (invalid); there is nothing to publish.");

    await deliver();
    expect(told(w)).toHaveLength(1);
  });

  it("a publish whose first step was recorded, then closed as invalid, is never said to be cut short before it when redelivered", async () => {
    w = await world(gh);
    await w.send("/announce", { now: AFTER_END });
    // Step 1 (the advisory) is published and recorded; the changelog PR fails (an outage).
    w.fake.failOnce("POST", /\/pulls$/, 502);
    const deliver = w.delivery("/announce publish", { now: AFTER_END });
    await deliver().catch(() => undefined);
    expect(published(w)).toHaveLength(1);
    expect(w.record.publish_steps?.advisory).toBeTruthy();
    await w.send("/triage invalid not ours after all", { now: AFTER_END });
    expect(w.record.state).toBe("invalid");

    await deliver();
    expect(published(w)).toHaveLength(1);
    // The advisory was published: no reply may say it may not have been.
    expect(told(w)).toEqual([]);
    expect(w.replies().filter((b) => b.includes("if not, nothing was published"))).toEqual([]);
    expect(w.replies().filter((b) => b.includes("this response is closed (invalid); there is nothing to publish"))).toHaveLength(1);
  });
});
