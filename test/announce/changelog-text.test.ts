/**
 * The CHANGES/NEWS entries are plain text in a public file: they carry the summary as the team
 * wrote it, not as HTML-escaped for a comment.
 */
import { describe, expect, it } from "vitest";
import type { GitHubMock } from "../helpers/github-api.js";
import { AFTER_END, checkEachTest, expectPublishedOnce, readyRecord, world, type World } from "./world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

describe("the CHANGES/NEWS entries", () => {
  it("keep the summary's apostrophes, backticks and equals signs as written, not as HTML entities", async () => {
    const summary = "Path traversal via the uploader's `name=../x` field";
    w = await world(gh, { record: readyRecord({ summary }) });
    await w.send("/announce publish", { now: AFTER_END });
    expectPublishedOnce(w);
    const files = w.fake.repos.get("acme/widget")!.files[w.fake.pulls[0]!.head]!;
    expect(files["CHANGES.md"]).toContain(`- Security: ${summary} (`);
    expect(files["NEWS.md"]).toContain(`security vulnerability: ${summary}.`);
    for (const text of [files["CHANGES.md"]!, files["NEWS.md"]!]) expect(text).not.toMatch(/&#x27;|&#x60;|&#x3D;/);
  });
});
