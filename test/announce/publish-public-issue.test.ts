import { describe, expect, it } from "vitest";
import type { GitHubMock } from "../helpers/github-api.js";
import { AFTER_END, checkEachTest, expectPublishedOnce, readyRecord, SECURITY_CONFIG, world, type World } from "./world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

describe("public_issue: true", () => {
  it("a summary longer than an issue title may be (GitHub allows 1,024 for the advisory, 256 for a title) does not stop the publish at step 3", async () => {
    const summary = `Path traversal in the upload endpoint ${"lets a remote attacker read files outside the storage root ".repeat(5)}`.trim();
    expect(summary.length).toBeGreaterThan(256);
    w = await world(gh, { yaml: `${SECURITY_CONFIG}public_issue: true\n`, record: readyRecord({ summary }) });
    await w.send("/announce publish", { now: AFTER_END });
    expectPublishedOnce(w);
    const pub = w.fake.issues.find((i) => i.repo === "acme/widget")!;
    expect(pub.title.length).toBeLessThanOrEqual(256);
    expect(pub.title).toMatch(/^Security advisory: Path traversal in the upload endpoint lets a remote attacker/);
    expect(pub.body).toContain(summary);
    expect(w.replies().join("\n")).not.toContain("GitHub refused");
  });
});
