import { describe, expect, it } from "vitest";
import { PACK_MARKER } from "../../src/announce/pack.js";
import type { TickReport } from "../../src/tick/run-tick.js";
import { renderResponse } from "../../src/response/render-response.js";
import { BOT, createTestProbot, labeledEvent, RENDER_CONTEXT } from "../helpers/app.js";
import { GHES_API, GHES_HOST, mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { AFTER_END, BEFORE_END, BODY, checkEachTest, readyRecord, SECURITY_CONFIG, SUMMARY, TITLE, world, type World } from "./world.js";

/**
 * GitHub Enterprise Server has no repository security advisories (no `/repos/{o}/{r}/security-advisories*`
 * in its REST description, no `repository_advisory` event). The app runs against the test GHES
 * (`GHES_API`, as `GHE_HOST` sets it): every request is checked against GHES 3.17's description,
 * so any advisory call fails the test in `checkEachTest`, as it would fail with a 404 on GHES.
 */
let gh: GitHubMock;
let w: World | undefined;
// Each test's fresh mock is the GHES one: `checkEachTest` still checks it, and the world, after each test.
checkEachTest(
  () => ({ gh, w }),
  () => ({ gh, w } = { gh: mockGitHub({ ghes: true }), w: undefined }),
);

const WEB = `https://${GHES_HOST}`;
const advisoryRequests = () => gh.requests.filter((r) => r.path.includes("security-advisories"));
const writesOutsideSecurityIssue = () => gh.requests.filter((r) => r.method !== "GET" && !r.path.startsWith("/repos/acme/security/issues/") && !r.path.startsWith("/app/"));

describe("on GitHub Enterprise Server (no repository security advisories)", () => {
  it("/announce drafts no advisory: the pack carries the advisory text, the OSV and CVE JSON, and the reply says where to send them", async () => {
    const fix = { repo: "acme/widget", number: 12, state: "merged" as const, review: "approved" as const, base: "main", private: false };
    w = await world(gh, { ghes: true, record: readyRecord({ cve: "CVE-2026-4242", prs: [fix] }) });
    await w.send("/announce");
    expect(advisoryRequests()).toEqual([]);
    expect(w.fake.advisories).toEqual([]);
    const reply = w.replies().find((b) => b.includes("no repository security advisories"))!;
    expect(reply).toContain("This GitHub Enterprise Server has no repository security advisories, so no draft advisory was made on acme/widget.");
    expect(reply).toContain("GitHub Advisory Database");
    expect(reply).toContain("CNA");
    const pack = w.replies().find((b) => b.includes(PACK_MARKER))!;
    expect(pack).toContain("No GitHub advisory: this GitHub Enterprise Server has no repository security advisories");
    expect(pack).toContain("<summary>Advisory text (summary, then description)</summary>");
    expect(pack).toContain(`**${SUMMARY}**`);
    expect(pack).toContain("<summary>OSV record</summary>");
    expect(pack).toContain('"id": "CVE-2026-4242"');
    expect(pack).toContain("<summary>CVE JSON 5 record</summary>");
    expect(pack).toContain('"cveId": "CVE-2026-4242"');
    // The fix PR's link, from the host GitHub's own URLs name.
    expect(pack).toContain(`"url": "${WEB}/acme/widget/pull/12"`);
    expect(pack).not.toContain("https://github.com");
    expect(w.record.ghsa).toBeUndefined();
    expect(w.record.ticks["disclosure.announcement"]).toBeDefined();
    expect(writesOutsideSecurityIssue()).toEqual([]);
  });

  it("/announce cve says to ask a CNA and record the id with /triage cve, and changes nothing", async () => {
    w = await world(gh, { ghes: true });
    const before = w.record;
    await w.send("/announce cve");
    expect(advisoryRequests()).toEqual([]);
    const reply = w.replies().at(-1)!;
    expect(reply).toContain("This GitHub Enterprise Server has no repository security advisories, so GitHub cannot be asked for a CVE here.");
    expect(reply).toContain("`/triage cve CVE-");
    expect(w.record.cve).toBeUndefined();
    // Only the memory of the lines that ran changed (so the record was written once more).
    expect({ ...w.record, ran: undefined, set_at: undefined, seq: undefined }).toEqual({ ...before, ran: undefined, set_at: undefined, seq: undefined });
    expect(writesOutsideSecurityIssue()).toEqual([]);
  });

  it("/announce publish skips the advisory step and runs the rest, with GHES's own links", async () => {
    w = await world(gh, { ghes: true });
    await w.send("/announce publish", { now: AFTER_END });
    expect(advisoryRequests()).toEqual([]);
    expect(w.fake.advisories).toEqual([]);
    // The CHANGES/NEWS PR, named by the issue number (there is no GHSA id).
    expect(w.fake.pulls).toHaveLength(1);
    const pr = w.fake.pulls[0]!;
    expect(pr).toMatchObject({ repo: "acme/widget", head: "embargo/disclosure-7", base: "main" });
    const files = w.fake.repos.get("acme/widget")!.files[pr.head]!;
    expect(files["CHANGES.md"]).toContain(`- Security: ${SUMMARY}\n`);
    const own = w.replies();
    const unembargo = own.find((b) => b.includes("### Un-embargo steps"))!;
    expect(unembargo).toContain(`- [x] CHANGES/NEWS pull request opened: ${WEB}/acme/widget/pull/${pr.number}`);
    expect(unembargo).toContain("- [ ] Advisory published outside GitHub: this GitHub Enterprise Server has no repository security advisories");
    expect(unembargo).not.toContain("- [x] Advisory published");
    expect(own.filter((b) => b.includes("thank you for your report"))).toEqual(["@reporter: thank you for your report. The fix is released and the embargo is over. You are free to talk about it now.\n\n<!-- embargo:reply reporter-published-7 -->"]);
    expect(own.filter((b) => b.includes(PACK_MARKER))).toHaveLength(1);
    const issue = w.fake.issues.find((i) => i.number === 7)!;
    expect(issue).toMatchObject({ state: "closed", state_reason: "completed" });
    expect(issue.labels).toContain("security: announced");
    const review = w.fake.issues.find((i) => i.title.startsWith("Process review"))!;
    expect(review.body).toContain(`${WEB}/acme/security/issues/7`);
    expect(w.record.state).toBe("announced");
    expect(Object.keys(w.record.publish_steps ?? {})).toEqual(expect.arrayContaining(["advisory", "changelog", "unembargo", "reporter", "announced", "process_review"]));
    // The app did not publish an advisory: that box is the team's, once they have published it elsewhere.
    expect(w.record.ticks["disclosure.published"]).toBeUndefined();
    expect(w.record.ticks["disclosure.changes"]).toBeDefined();
    // Nothing left: a second run changes nothing.
    await w.send("/announce publish", { now: AFTER_END });
    expect(w.replies().at(-1)).toContain("every publish step is done already");
  });

  it("/announce publish keeps its gates: before the embargo end it is refused and nothing is written", async () => {
    w = await world(gh, { ghes: true });
    await w.send("/announce publish", { now: BEFORE_END });
    expect(w.replies().at(-1)).toContain('Gate "Embargo end reached" fails');
    expect(writesOutsideSecurityIssue()).toEqual([]);
    expect(w.record.publish_steps).toBeUndefined();
  });

  it("/announce preview says the advisory step is skipped, and why", async () => {
    w = await world(gh, { ghes: true });
    await w.send("/announce preview", { now: AFTER_END });
    const preview = w.replies().find((b) => b.includes("embargo:announce-preview"))!;
    expect(preview).toContain("Skipped: this GitHub Enterprise Server has no repository security advisories");
    expect(preview).not.toContain("Create the draft, then publish it");
    expect(advisoryRequests()).toEqual([]);
    expect(writesOutsideSecurityIssue()).toEqual([]);
  });

  it("the security issue's links are the GHES host's, never github.com", async () => {
    w = await world(gh, { ghes: true });
    await w.send("/announce publish", { now: AFTER_END });
    const text = [...w.replies(), ...w.fake.issues.map((i) => i.body), ...w.fake.pulls.map((p) => p.body)].join("\n");
    expect(text).not.toContain("https://github.com/");
    expect(w.fake.comments.filter((c) => c.user === BOT).length).toBeGreaterThan(3);
  });

  // The config names a component repo (acme/widget): on GitHub.com the tick would also list its reports in triage.
  it("the tick makes no advisory call: it finishes a publish an outage broke off, never reads a GHSA id a record names, lists no reports in triage", async () => {
    const ghsa = "GHSA-hand-4q2w-9x8v";
    w = await world(gh, { ghes: true, yaml: `${SECURITY_CONFIG}dashboard:\n  enabled: false\n` });
    w.fake.failOnce("POST", /\/pulls$/, 502);
    await w.send("/announce publish", { now: AFTER_END }).catch(() => undefined);
    expect(w.record.publish_steps?.advisory).toBeDefined();
    expect(w.record.state).toBe("fixed");
    // A second response names an advisory (a record moved from GitHub.com, say): on GitHub.com the
    // tick would read it to learn whether it was published; GHES cannot be asked.
    w.fake.issues.push({ repo: "acme/security", number: 8, title: "Other", body: "", state: "open", state_reason: null, labels: ["security", "security: fixed"], assignees: [], user: "reporter" });
    const named = readyRecord({ ghsa, advisory: { repo: "acme/widget", url: `${WEB}/acme/widget/security/advisories/${ghsa}` } });
    const context = { ...RENDER_CONTEXT, issue: { ...RENDER_CONTEXT.issue, issue_number: 8 } };
    w.fake.comments.push({ id: 777, issue: "acme/security#8", body: await renderResponse(named, w.config, { title: "Other", reporter: "reporter" }, undefined, context), user: BOT });
    let tick: (() => Promise<TickReport>) | undefined;
    const probot = createTestProbot(AFTER_END, { onTick: (t) => (tick = t) }, { baseUrl: GHES_API });
    await probot.load(() => undefined);
    await tick!();
    expect((await tick!()).failed).toEqual([]);
    expect(advisoryRequests()).toEqual([]);
    expect(w.fake.pulls).toHaveLength(1);
    expect(w.replies().filter((b) => b.includes("### Un-embargo steps"))).toHaveLength(1);
    expect(w.record.state).toBe("announced");
    expect(w.fake.issues.find((i) => i.number === 7)).toMatchObject({ state: "closed", state_reason: "completed" });
    expect(w.fake.answered.some((r) => r.startsWith("GET /repos/acme/security/issues/8/comments"))).toBe(true);
  });

  it("the whole lifecycle on GHES, from the label to publish: every request one GHES has, nothing embargoed in the public repo before publishing", async () => {
    w = await world(gh, { ghes: true, record: null });
    const intake = labeledEvent({ title: TITLE, body: BODY, author: "reporter", labels: ["security"] });
    intake.payload.issue.html_url = `${WEB}/acme/security/issues/7`;
    await w.probot(BEFORE_END).receive(intake as never);
    expect(w.record.state).toBe("triage");
    await w.send(["/triage confirm", "/triage cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N", "/triage component core", "/triage affects npm/widget >=1.0.0,<1.3.1", "/triage fixed npm/widget 1.3.1", `/triage summary ${SUMMARY}`].join("\n"));
    expect(w.record).toMatchObject({ state: "confirmed", summary: SUMMARY });
    await w.send("/announce");
    await w.send("/announce cve");
    await w.send("/triage cve CVE-2026-4242");
    await w.send("/announce");
    expect(w.replies().find((b) => b.includes(PACK_MARKER))).toContain('"id": "CVE-2026-4242"');
    const beforePublish = gh.requestsTo("acme", "widget");
    // No linked fix PR here (made in a private fork, say): the fixes gate is passed by --force.
    await w.send("/announce publish --force the fix was released from a private fork", { now: AFTER_END });
    expect(gh.leaks([SUMMARY, TITLE, BODY, "CVE-2026-4242"], beforePublish)).toEqual([]);
    expect(w.record.state).toBe("announced");
    expect(w.fake.pulls).toHaveLength(1);
    expect(advisoryRequests()).toEqual([]);
  });
});

