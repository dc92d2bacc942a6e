import { describe, expect, it } from "vitest";
import { PACK_MARKER } from "../../src/announce/pack.js";
import type { GitHubMock } from "../helpers/github-api.js";
import { AFTER_END, checkEachTest, readyRecord, world, type World } from "./world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

const REPORT_GHSA = "GHSA-rprt-4q2w-9x8v";

describe("publish of a response tied to a private report", () => {
  it("is refused, and the reporter's draft left unpublished, while the response lacks what a draft needs", async () => {
    // The private report's advisory (intake): the reporter wrote its severity; the team set none yet.
    const record = readyRecord({ severity: undefined, cvss: undefined, ghsa: REPORT_GHSA, advisory: { repo: "acme/widget", url: `https://github.com/acme/widget/security/advisories/${REPORT_GHSA}` }, advisory_state: "draft" });
    w = await world(gh, { record });
    w.fake.advisories.push({ repo: "acme/widget", ghsa_id: REPORT_GHSA, state: "draft", summary: "Reporter's words", description: "Reporter's report", severity: "high", cve_id: null, published_at: null });
    await w.send("/announce publish", { now: AFTER_END });
    expect(w.fake.advisories[0]).toMatchObject({ state: "draft", severity: "high" });
    expect(w.replies().at(-1)).toContain('Gate "Advisory ready" fails');
    expect(w.replies().at(-1)).toContain("it has no severity");
    expect(w.record.publish_steps).toBeUndefined();
  });
});
