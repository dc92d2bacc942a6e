import { describe, expect, it } from "vitest";
import { PACK_MARKER } from "../../src/announce/pack.js";
import { replyMarker } from "../../src/record/markers.js";
import type { TickReport } from "../../src/tick/run-tick.js";
import { BOT, createTestProbot, labeledEvent } from "../helpers/app.js";
import type { GitHubMock } from "../helpers/github-api.js";
import { AFTER_END, BEFORE_END, BODY, checkEachTest, expectPublishedOnce, HAND_GHSA, handPublishedWorld, publishedByHand, RESPONSE_ID, SECURITY_CONFIG, TITLE, world, type World } from "./world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

const LIFECYCLE_CONFIG = [
  "release_managers: [rm-alice]",
  "components:",
  "  core: { repo: acme/widget, package: { ecosystem: npm, name: widget } }",
  "cna_org_id: 8254265b-2729-46b6-b9e3-3dfca2d5bfca",
  "osv_prefix: x_ACME",
  "",
].join("\n");

const SUMMARY = "Upload endpoint reads files outside its root";
const DESCRIPTION = "File names sent to the upload endpoint are joined to the storage root unchecked.";

describe("the whole lifecycle", () => {
  it("from the label to publish: one advisory, one PR, one review issue, one pack; nothing embargoed reaches the public repo before publishing", async () => {
    w = await world(gh, { record: null, yaml: LIFECYCLE_CONFIG });
    const intake = labeledEvent({ title: TITLE, body: BODY, author: "reporter", labels: ["security"] });
    intake.payload.issue.html_url = "https://github.com/acme/security/issues/7";
    await w.probot(BEFORE_END).receive(intake as never);
    expect(w.record.state).toBe("triage");

    await w.send(
      [
        "/triage confirm",
        "/triage cvss CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N",
        "/triage component core",
        "/triage affects npm/widget >=1.0.0,<1.3.1",
        "/triage fixed npm/widget 1.3.1",
        "/triage cwe CWE-22",
        `/triage summary ${SUMMARY}`,
        `/triage description ${DESCRIPTION}`,
        "/triage credit @reporter finder",
      ].join("\n"),
    );
    expect(w.record).toMatchObject({ state: "confirmed", severity: "critical", summary: SUMMARY });
    await w.send("/announce");
    await w.send("/announce cve");
    w.fake.advisories[0]!.cve_id = "CVE-2026-4242";
    await w.send("/announce");
    await w.send("/announce preview");
    await w.send("/announce publish");
    expect(w.replies().at(-1)).toContain('Gate "Embargo end reached" fails');
    expect(w.fake.advisories[0]!.state).toBe("draft");

    await w.send("/announce publish", { now: AFTER_END });
    const ghsa = w.fake.advisories[0]!.ghsa_id as string;
    expect(w.fake.advisories).toHaveLength(1);
    expect(w.fake.advisories[0]).toMatchObject({ state: "published", cve_id: "CVE-2026-4242", cvss_severities: { cvss_v4: { vector_string: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N" } } });
    expect(w.fake.pulls).toHaveLength(1);
    expect(w.fake.pulls[0]!.head).toBe(`embargo/disclosure-${ghsa}`);
    expect(w.fake.issues.filter((i) => i.title.startsWith("Process review"))).toHaveLength(1);
    const packs = w.replies().filter((b) => b.includes(PACK_MARKER));
    expect(packs).toHaveLength(1);
    expect(packs[0]).toContain('"cveId": "CVE-2026-4242"');
    expect(packs[0]).toContain('"vendor": "acme"');
    expect(packs[0]).toContain(`"id": "${ghsa}"`);
    expect(w.record).toMatchObject({ state: "announced", cve: "CVE-2026-4242", ghsa });
    expect(w.fake.issues.find((i) => i.number === 7)).toMatchObject({ state: "closed", state_reason: "completed" });

    // The leak scan: every request towards the public product repo until the advisory is
    // published, except the draft-advisory ones (GitHub keeps drafts private).
    const publishAt = gh.requests.findIndex((r) => (r.body as { state?: string } | undefined)?.state === "published");
    expect(publishAt).toBeGreaterThan(0);
    const before = gh.requests.slice(0, publishAt);
    const toPublic = before.filter((r) => gh.requestsTo("acme", "widget").includes(r));
    const secrets = [SUMMARY, DESCRIPTION, "CVE-2026-4242", ghsa, TITLE, BODY, "Hello acme/widget users", "Dear distributor"];
    const drafts = toPublic.filter((r) => r.path.includes("/security-advisories"));
    expect(gh.leaks(secrets, drafts).length).toBeGreaterThan(0); // the scan sees text where it is
    expect(toPublic.length).toBeGreaterThan(drafts.length); // and it looked at other requests too
    expect(gh.leaks(secrets, toPublic.filter((r) => !drafts.includes(r)))).toEqual([]);
    // Every request was checked against GitHub's REST description by the harness (gh.done()).
  });
});

describe("repository_advisory.published", () => {
  it("lost (the webhook never arrived): the next tick finds the advisory published and runs publish steps 2–6 once", async () => {
    w = await handPublishedWorld(gh, `${SECURITY_CONFIG}dashboard:\n  enabled: false\n`);
    let tick: (() => Promise<TickReport>) | undefined;
    const probot = createTestProbot(AFTER_END, { onTick: (t) => (tick = t) });
    await probot.load(() => undefined);
    expect((await tick!()).failed).toEqual([]);
    expect((await tick!()).failed).toEqual([]); // the next tick: the issue is closed, nothing more
    expect(gh.requests.filter((r) => r.path.includes("/security-advisories") && r.method !== "GET")).toEqual([]);
    expect(w.fake.pulls).toHaveLength(1);
    expect(w.fake.issues.filter((i) => i.title.startsWith("Process review"))).toHaveLength(1);
    expect(w.replies().filter((b) => b.includes("### Un-embargo steps"))).toHaveLength(1);
    expect(w.record).toMatchObject({ state: "announced", advisory: { published_at: "2026-12-02T08:00:00Z" } });
    expect(w.fake.issues.find((i) => i.number === 7)).toMatchObject({ state: "closed" });
  });

  it("lost, and the tick's run of steps 2–6 broken off by an outage (502): the next tick finishes them, once", async () => {
    w = await handPublishedWorld(gh, `${SECURITY_CONFIG}dashboard:\n  enabled: false\n`);
    let tick: (() => Promise<TickReport>) | undefined;
    const probot = createTestProbot(AFTER_END, { onTick: (t) => (tick = t) });
    await probot.load(() => undefined);
    w.fake.failOnce("POST", /\/pulls$/, 502);
    await tick!();
    expect(w.record).toMatchObject({ state: "fixed" });
    await tick!();
    expect((await tick!()).failed).toEqual([]);
    expect(w.fake.pulls).toHaveLength(1);
    expect(w.fake.issues.filter((i) => i.title.startsWith("Process review"))).toHaveLength(1);
    expect(w.replies().filter((b) => b.includes("### Un-embargo steps"))).toHaveLength(1);
    expect(w.record).toMatchObject({ state: "announced" });
    expect(w.fake.issues.find((i) => i.number === 7)).toMatchObject({ state: "closed" });
  });

  it("lost, and a step GitHub refuses (422) on the tick's run: replied once, not tried again by the next tick; `/announce publish` finishes", async () => {
    w = await handPublishedWorld(gh, `${SECURITY_CONFIG}dashboard:\n  enabled: false\n`);
    let tick: (() => Promise<TickReport>) | undefined;
    const probot = createTestProbot(AFTER_END, { onTick: (t) => (tick = t) });
    await probot.load(() => undefined);
    w.fake.failOnce("POST", /\/pulls$/, 422);
    const prCreates = () => gh.requests.filter((r) => r.method === "POST" && r.path.endsWith("/pulls"));
    expect((await tick!()).failed).toEqual([]);
    expect((await tick!()).failed).toEqual([]);
    expect(prCreates()).toHaveLength(1);
    const failed = w.replies().filter((b) => b.includes("GitHub failed (422"));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toContain("Run `/announce publish` again to finish");
    expect(w.record).toMatchObject({ state: "fixed", publish_refused: { step: "changelog", status: 422 } });
    const response = () => w!.fake.commentsOn("acme/security", 7).find((c) => c.id === RESPONSE_ID)!.body;
    expect(response()).toContain("| **Publish step refused by GitHub** | changelog (422) on 2026-12-20");

    await w.send("/announce publish", { now: AFTER_END });
    expect(prCreates()).toHaveLength(2);
    expect(w.fake.pulls).toHaveLength(1);
    expect(w.record.state).toBe("announced");
    expect(w.record.publish_refused).toBeUndefined();
    expect(response()).not.toContain("Publish step refused");
  });

  it("a step refused on the tick's run whose reply GitHub could not post (502): not recorded as refused, so the next tick tries again and tells", async () => {
    w = await handPublishedWorld(gh, `${SECURITY_CONFIG}dashboard:\n  enabled: false\n`);
    let tick: (() => Promise<TickReport>) | undefined;
    const probot = createTestProbot(AFTER_END, { onTick: (t) => (tick = t) });
    await probot.load(() => undefined);
    w.fake.failOnce("POST", /\/pulls$/, 422);
    w.fake.failOnce("POST", /\/pulls$/, 422);
    // Every try of the reply's create (src/github/create-once.ts): the outage outlasts the event.
    for (let i = 0; i < 3; i++) w.fake.failOnce("POST", /\/issues\/7\/comments$/, 502);
    await tick!();
    expect(w.replies().filter((b) => b.includes("GitHub failed (422"))).toEqual([]);
    expect(w.record.publish_refused).toBeUndefined();
    await tick!();
    expect(w.replies().filter((b) => b.includes("GitHub failed (422"))).toHaveLength(1);
    expect(w.record).toMatchObject({ publish_refused: { step: "changelog", status: 422 } });
  });

  it("every step done, its pack refused (422) on a redelivery: `/announce publish` writes the pack and clears the refusal", async () => {
    w = await handPublishedWorld(gh);
    await w.probot(AFTER_END).receive(publishedByHand("adv-1"));
    expectPublishedOnce(w);
    const pack = () => w!.replies().filter((b) => b.includes(PACK_MARKER));
    // A member deleted the pack; GitHub refuses its new copy once.
    const at = w.fake.comments.findIndex((c) => c.body.includes(PACK_MARKER));
    w.fake.comments.splice(at, 1);
    w.fake.failOnce("POST", /\/issues\/7\/comments$/, 422);
    await w.probot(AFTER_END).receive(publishedByHand("adv-2")); // redelivered
    expect(pack()).toEqual([]);
    expect(w.record.publish_refused).toMatchObject({ step: "pack", status: 422 });

    await w.send("/announce publish", { now: AFTER_END });
    expect(pack()).toHaveLength(1);
    expect(w.record.publish_refused).toBeUndefined();
    expect(w.replies().filter((b) => b.includes("every publish step is done already"))).toEqual([]);
  });

  it("redelivered after a step GitHub refused, and another step refused then: each refusal is replied", async () => {
    w = await handPublishedWorld(gh);
    w.fake.failOnce("POST", /\/pulls$/, 422);
    await w.probot(AFTER_END).receive(publishedByHand("adv-1"));
    expect(w.record.publish_refused).toMatchObject({ step: "changelog", status: 422 });
    // The team fixed what GitHub refused and redelivers the event: the next step is refused now.
    w.fake.failOnce("POST", /^\/repos\/acme\/security\/issues$/, 422);
    await w.probot(AFTER_END).receive(publishedByHand("adv-2"));
    expect(w.record.publish_refused).toMatchObject({ step: "process_review", status: 422 });
    const failed = w.replies().filter((b) => b.includes("GitHub failed (422"));
    expect(failed).toHaveLength(2);
    expect(failed[1]).toContain("Steps still to do: process_review");
    // Redelivered once more, refused at the same step: said already.
    w.fake.failOnce("POST", /^\/repos\/acme\/security\/issues$/, 422);
    await w.probot(AFTER_END).receive(publishedByHand("adv-3"));
    expect(w.replies().filter((b) => b.includes("GitHub failed (422"))).toHaveLength(2);
  });

  it("refused at a step the app replied before its replies named the step: not replied again", async () => {
    w = await handPublishedWorld(gh);
    const told = `GitHub failed (422: Validation Failed). Steps still to do: changelog, unembargo, reporter, announced, process_review. Run \`/announce publish\` again to finish; steps already done are not repeated.`;
    w.fake.comments.push({ id: 990_002, issue: "acme/security#7", user: BOT, body: `${told}\n${replyMarker(`announce-failed-advisory-published-${HAND_GHSA}-announce.publish`)}` });
    w.fake.failOnce("POST", /\/pulls$/, 422);
    await w.probot(AFTER_END).receive(publishedByHand("adv-1"));
    expect(w.record.publish_refused).toMatchObject({ step: "changelog", status: 422 });
    expect(w.replies().filter((b) => b.includes("GitHub failed (422"))).toHaveLength(1);
  });

  it("follows an advisory published by hand: runs publish steps 2–6 once", async () => {
    w = await handPublishedWorld(gh);
    await w.probot(AFTER_END).receive(publishedByHand("adv-1"));
    await w.probot(AFTER_END).receive(publishedByHand("adv-2")); // redelivered
    expect(gh.requests.filter((r) => r.path.includes("/security-advisories") && r.method !== "GET")).toEqual([]);
    expect(w.fake.pulls).toHaveLength(1);
    expect(w.fake.issues.filter((i) => i.title.startsWith("Process review"))).toHaveLength(1);
    expect(w.replies().filter((b) => b.includes("### Un-embargo steps"))).toHaveLength(1);
    expect(w.record).toMatchObject({ state: "announced", advisory: { published_at: "2026-12-02T08:00:00Z" } });
    const review = w.fake.issues.find((i) => i.title.startsWith("Process review"))!;
    expect(review.body).toContain("| **Published** | 2026-12-02 |");
  });

  it("a step GitHub refuses is replied in the issue, once, with what is left and how to finish", async () => {
    w = await handPublishedWorld(gh);
    w.fake.failOnce("POST", /\/pulls$/, 422);
    await w.probot(AFTER_END).receive(publishedByHand("adv-3"));
    await w.probot(AFTER_END).receive(publishedByHand("adv-4")); // redelivered: the PR is opened now, no second reply
    const failed = w.replies().filter((b) => b.includes("GitHub failed (422"));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toContain("Run `/announce publish` again to finish");
    expect(w.fake.pulls).toHaveLength(1);
    expect(w.record).toMatchObject({ state: "announced" });
  });

  it("with the security repo's config broken: the issue is told once why nothing followed, and how to finish", async () => {
    w = await handPublishedWorld(gh);
    w.fake.repos.get("acme/security")!.config = `${SECURITY_CONFIG}colour: red\n`;
    await w.probot(AFTER_END).receive(publishedByHand("adv-5"));
    await w.probot(AFTER_END).receive(publishedByHand("adv-6")); // redelivered: no second reply
    const told = w.replies().filter((b) => b.includes("`colour` is not a known key"));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain("The advisory is public");
    expect(told[0]).toContain("run `/announce publish` to finish");
    expect(w.fake.pulls).toEqual([]);
    expect(w.record.state).not.toBe("announced");
  });
});
