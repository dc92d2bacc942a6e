/**
 * The advisory's description is markdown that GitHub publishes, and that the GitHub Advisory
 * Database and OSV copy as it is: it carries the team's text as written, not HTML-escaped.
 */
import { describe, expect, it } from "vitest";
import type { GitHubMock } from "../helpers/github-api.js";
import { checkEachTest, readyRecord, world, type World } from "./world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

describe("the draft advisory's description", () => {
  it("keeps the description's code spans, apostrophes and equals signs as written", async () => {
    const description = "Uploaded file names are not normalised, so `name=../x` escapes the uploader's directory.";
    w = await world(gh, { record: readyRecord({ description, mitigations: ["Set `uploads.enabled=false` until you upgrade."] }) });
    await w.send("/announce");
    const create = gh.requests.find((r) => r.method === "POST" && r.path === "/repos/acme/widget/security-advisories")!;
    const sent = (create.body as { description: string }).description;
    expect(sent).toContain(description);
    expect(sent).toContain("- Set `uploads.enabled=false` until you upgrade.");
    expect(sent).not.toMatch(/&#x27;|&#x60;|&#x3D;/);
    // The same text the next run compares with: nothing to PATCH.
    await w.send("/announce");
    expect(gh.requests.filter((r) => r.method === "PATCH" && r.path.includes("/security-advisories/"))).toEqual([]);
  });
});
