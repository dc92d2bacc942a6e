/**
 * GitHub refuses an advisory description over 65,535 characters, so the app cuts it; the draft's
 * hidden marker (how a draft whose creation answer or record write was lost is found again) goes
 * at its end and must survive the cut, or the next `/announce` makes a second draft.
 */
import { describe, expect, it } from "vitest";
import type { GitHubMock } from "../helpers/github-api.js";
import { checkEachTest, readyRecord, RESPONSE_ID, world, type World } from "./world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

/** About 72,000 characters: the record is deflated in the comment, so a repetitive text this long fits it. */
const LONG = "The upload endpoint joins user-supplied file names to the storage root without normalising them. ".repeat(740);

describe("/announce with a description longer than GitHub's limit", () => {
  it("cuts the draft's description, says so, and keeps the marker: the draft whose record write was lost is found again, not made twice", async () => {
    w = await world(gh, { record: readyRecord({ description: LONG }) });
    w.fake.failOnce("PATCH", new RegExp(`/issues/comments/${RESPONSE_ID}$`), 502);
    await expect(w.send("/announce")).rejects.toThrow();
    expect(w.fake.advisories).toHaveLength(1);
    const text = w.fake.advisories[0]!.description as string;
    expect(text.length).toBeLessThanOrEqual(65_535);
    expect(w.record.ghsa).toBeUndefined();

    // The next `/announce` finds the draft by its marker and updates it.
    await w.send("/announce");
    expect(w.fake.advisories).toHaveLength(1);
    const ghsa = w.fake.advisories[0]!.ghsa_id as string;
    expect(w.record.ghsa).toBe(ghsa);
    expect(w.replies().filter((b) => b.includes("Draft advisory")).map((b) => /GHSA-[\w-]+/.exec(b)?.[0])).toEqual([ghsa, ghsa]);
    // What readers of the advisory see at the cut: the text, then where it stops and why.
    expect(text.slice(0, 200)).toContain("The upload endpoint joins user-supplied file names");
    expect(text.replace(/<!--[^>]*-->/, "").trimEnd().slice(-120)).toMatch(/…\n\n\*The rest of this description did not fit GitHub's limit of 65,535 characters\.\*$/);
  });
});
