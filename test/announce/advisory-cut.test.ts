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

/** A reproduction whose code block runs past GitHub's limit: the cut falls inside it. */
const LONG_CODE = `The upload endpoint joins user-supplied file names to the storage root.\n\n\`\`\`sh\n${"curl -F 'file=@../../etc/passwd;filename=../../etc/passwd' https://app.example.test/upload\n".repeat(800)}\`\`\`\n\nUpgrade to 2.4.1.`;

describe("/announce with a description cut inside a code block", () => {
  it("closes the block before the note: readers see the note as text and the marker stays hidden, not both shown as code", async () => {
    w = await world(gh, { record: readyRecord({ description: LONG_CODE }) });
    await w.send("/announce");
    expect(w.fake.advisories).toHaveLength(1);
    const text = w.fake.advisories[0]!.description as string;
    expect(text.length).toBeLessThanOrEqual(65_535);
    const [kept, after] = text.split("\n\n…\n\n");
    // Every fence opened before the note is closed before it: the note and the marker are outside any code block.
    expect(kept!.split("\n").filter((l) => /^ {0,3}```/.test(l))).toHaveLength(2);
    expect(kept!.endsWith("\n```")).toBe(true);
    expect(after).toMatch(/^\*The rest of this description did not fit GitHub's limit of 65,535 characters\.\*\n\n<!-- embargo:advisory [^>]+ -->$/);
  });
});
