import { describe, expect, it } from "vitest";
import type { GitHubMock } from "../helpers/github-api.js";
import { AFTER_END, checkEachTest, handPublishedWorld, publishedByHand, readyRecord, world, type World } from "./world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

describe("the process-review issue", () => {
  it("says the embargo did not hold when the advisory was published by hand before its end, not that none was set", async () => {
    w = await handPublishedWorld(gh);
    // Published on GitHub on 2026-11-25, six days before the embargo end (2026-12-01).
    w.fake.advisories[0]!.published_at = "2026-11-25T08:00:00Z";
    const event = publishedByHand("d-early") as { payload: { repository_advisory: { published_at: string } } };
    event.payload.repository_advisory.published_at = "2026-11-25T08:00:00Z";
    await w.probot(AFTER_END).receive(event as never);
    const review = w.fake.issues.find((i) => i.title.startsWith("Process review"))!;
    expect(review.body).toContain("| **Published** | 2026-11-25 |");
    expect(review.body).not.toContain("| **Embargo** | not set |");
    expect(review.body).toContain("| **Embargo** | not held: published before its end, 2026-12-01 |");
  });

  it("says the embargo held when only the fixes gate was forced after its end: not 'lifted early', and the reason under the fixes", async () => {
    w = await world(gh, { record: readyRecord({ patched: [] }) });
    await w.send("/announce publish --force the fix shipped from a private fork", { now: AFTER_END });
    expect(w.record.forced).toMatchObject({ gates: ["fixes"] });
    const review = w.fake.issues.find((i) => i.title.startsWith("Process review"))!;
    expect(review.body).not.toContain("lifted early");
    expect(review.body).toContain("| **Embargo** | held until 2026-12-01 |");
    expect(review.body).toContain("| **Fixes** | gate passed with `--force` by alice: the fix shipped from a private fork |");
  });
});
