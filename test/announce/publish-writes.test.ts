/**
 * Issue 13: a publish writes the response once per event, when its steps are done, or once when
 * one fails (the response then says what was done). A redelivery finds every step again by the
 * reads it makes anyway, so nothing is done twice without a write after each step.
 */
import { describe, expect, it } from "vitest";
import { PACK_MARKER } from "../../src/announce/pack.js";
import { PUBLISH_STEPS } from "../../src/announce/publish-steps.js";
import type { GitHubMock } from "../helpers/github-api.js";
import { AFTER_END, BEFORE_END, checkEachTest, expectPublishedOnce, readyRecord, RESPONSE_ID, world, type World } from "./world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

const responseWrites = (from: number) => gh.requests.slice(from).filter((r) => r.method === "PATCH" && r.path === `/repos/acme/security/issues/comments/${RESPONSE_ID}`);
const advisoryPatches = (from = 0) => gh.requests.slice(from).filter((r) => r.method === "PATCH" && r.path.includes("/security-advisories/"));

/** The first request of the step after `done` (GitHub answers it 500), and the steps done before it. */
const CUTS: { after: string[]; method: string; path: RegExp }[] = [
  { after: ["advisory"], method: "GET", path: /^\/repos\/acme\/widget\/pulls$/ },
  { after: ["advisory", "changelog"], method: "POST", path: /^\/repos\/acme\/security\/issues\/7\/comments$/ },
  { after: ["advisory", "changelog", "unembargo"], method: "GET", path: /^\/repos\/acme\/security\/collaborators\/reporter\/permission$/ },
  { after: ["advisory", "changelog", "unembargo", "reporter", "announced"], method: "GET", path: /^\/repos\/acme\/security\/issues$/ },
];

describe("/announce publish writes the response once per event", () => {
  it("a clean publish: one response write showing every step, one advisory PATCH that publishes", async () => {
    w = await world(gh);
    const from = gh.requests.length;
    await w.send("/announce publish", { now: AFTER_END });
    expectPublishedOnce(w);
    const patches = advisoryPatches(from);
    expect(patches).toHaveLength(1);
    expect(patches[0]!.body).toEqual({ state: "published" });
    expect(responseWrites(from)).toHaveLength(1);
    const body = w.fake.comments.find((c) => c.id === RESPONSE_ID)!.body;
    for (const step of PUBLISH_STEPS) expect(body).toContain(`${step.id} (`);
  });

  it("the publishing PATCH carries only the fields that differ from the draft, with the state", async () => {
    w = await world(gh);
    await w.send("/announce", { now: AFTER_END });
    const [draft] = w.fake.advisories;
    // Someone changed the summary on GitHub; the record's fields win when publishing, in the same PATCH.
    draft!.summary = "edited by hand";
    const from = gh.requests.length;
    await w.send("/announce publish", { now: AFTER_END });
    const patches = advisoryPatches(from);
    expect(patches).toHaveLength(1);
    expect(patches[0]!.body).toEqual({ summary: "Path traversal in the upload endpoint", state: "published" });
    expect(w.fake.advisories[0]).toMatchObject({ state: "published", summary: "Path traversal in the upload endpoint" });
    expectPublishedOnce(w);
  });

  for (const cut of CUTS) {
    it(`interrupted after ${cut.after.at(-1)} and redelivered: every step done once, the response written once per delivery`, async () => {
      w = await world(gh);
      // A create answered 5xx is looked for and tried again, 3 tries in all (src/github/create-once.ts): all fail to cut the step.
      for (let i = 0; i < (cut.method === "POST" ? 3 : 1); i++) w.fake.failOnce(cut.method, cut.path, 502);
      const deliver = w.delivery("/announce publish", { now: AFTER_END });
      const first = gh.requests.length;
      await expect(deliver()).rejects.toThrow();
      // The failed delivery's one write says what was done, and only that.
      expect(responseWrites(first)).toHaveLength(1);
      expect(Object.keys(w.record.publish_steps ?? {}).filter((k) => !k.includes(":"))).toEqual(cut.after);
      const body = w.fake.comments.find((c) => c.id === RESPONSE_ID)!.body;
      expect(body).toContain("Publish steps done");
      for (const id of cut.after) expect(body).toContain(`${id} (`);
      const second = gh.requests.length;
      await deliver();
      expect(responseWrites(second)).toHaveLength(1);
      expect(advisoryPatches()).toHaveLength(1);
      expectPublishedOnce(w);
    });
  }

  it("/announce: no response write before the work, one after it", async () => {
    w = await world(gh);
    const from = gh.requests.length;
    await w.send("/announce");
    expect(responseWrites(from)).toHaveLength(1);
    const writes = gh.requests.slice(from).filter((r) => r.method !== "GET" && !r.path.startsWith("/app/"));
    expect(writes.map((r) => `${r.method} ${r.path}`).at(-2)).toBe(`PATCH /repos/acme/security/issues/comments/${RESPONSE_ID}`);
    expect(w.record.ghsa).toBe(w.fake.advisories[0]!.ghsa_id);
    expect(w.replies().filter((b) => b.includes(PACK_MARKER))).toHaveLength(1);
  });

  it("a forced publish redelivered later says why it was forced once", async () => {
    w = await world(gh, { record: readyRecord({ patched: [] }) });
    w.fake.failOnce("PATCH", /security-advisories\//, 502);
    const deliver = w.delivery("/announce publish --force the fix is public already", { now: BEFORE_END });
    await expect(deliver()).rejects.toThrow();
    await deliver(new Date(BEFORE_END.getTime() + 60_000));
    expect(w.replies().filter((b) => b.includes("the fix is public already"))).toHaveLength(1);
    expect(w.record.forced).toMatchObject({ by: "alice", reason: "the fix is public already" });
    expectPublishedOnce(w);
  });
});
