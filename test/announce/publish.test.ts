import { describe, expect, it } from "vitest";
import { PACK_MARKER } from "../../src/announce/pack.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { BOT } from "../helpers/app.js";
import { AFTER_END, BEFORE_END, checkEachTest, expectPublishedOnce, readyRecord, SECURITY_CONFIG, world, type World } from "./world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

const writesOutsideSecurityIssue = () =>
  gh.requests.filter((r) => r.method !== "GET" && !r.path.startsWith("/repos/acme/security/issues/") && !r.path.startsWith("/app/"));

describe("/announce publish gates", () => {
  it("refuses before the embargo end, naming the gate and how to pass it, and writes nothing", async () => {
    w = await world(gh);
    await w.send("/announce publish", { now: BEFORE_END });
    expect(writesOutsideSecurityIssue()).toEqual([]);
    const reply = w.replies().at(-1)!;
    expect(reply).toContain('Gate "Embargo end reached" fails: the embargo ends on 2026-12-01 (today is 2026-11-22, UTC)');
    expect(reply).toContain("--force &lt;reason>");
    expect(w.record.publish_steps).toBeUndefined();
  });

  it("refuses with an open fix PR or an unpatched branch; a patched box ticked by hand counts", async () => {
    const pr = { repo: "acme/widget", number: 12, state: "open" as const, review: "approved" as const, base: "main", private: false };
    w = await world(gh, { record: readyRecord({ prs: [pr], patched: [] }) });
    await w.send("/announce publish", { now: AFTER_END });
    const reply = w.replies().at(-1)!;
    expect(reply).toContain("fix PRs not merged yet: acme/widget#12");
    expect(reply).toContain("branches not patched: `main`");
    expect(writesOutsideSecurityIssue()).toEqual([]);
  });

  it("counts a patched box ticked by hand by the security team (a fix made in a temporary private fork)", async () => {
    w = await world(gh, { record: readyRecord({ patched: [], ticks: { "fix.branch:main": { by: "alice", at: "2026-11-30T00:00:00Z" } } }) });
    await w.send("/announce publish", { now: AFTER_END });
    expect(w.fake.advisories[0]?.state).toBe("published");
  });

  it("--force passes the date and fix gates, records the reason and shows it in the process review", async () => {
    w = await world(gh, { record: readyRecord({ patched: [] }) });
    await w.send("/announce publish --force the reporter published a blog post", { now: BEFORE_END });
    expect(w.record.forced).toMatchObject({ by: "alice", reason: "the reporter published a blog post", gates: ["embargo", "fixes"] });
    expect(w.replies().join("\n")).toContain("Publishing past the embargo and fixes gates with `--force`, by alice. Reason (recorded, and shown in the process review): the reporter published a blog post");
    expectPublishedOnce(w);
    const review = w.fake.issues.find((i) => i.title.startsWith("Process review"))!;
    expect(review.body).toContain("lifted early with `--force` by alice: the reporter published a blog post");
    expect(review.assignees).toEqual(["alice"]);
  });

  it("--force never passes the advisory gate", async () => {
    w = await world(gh, { record: readyRecord({ summary: undefined }) });
    await w.send("/announce publish --force urgent", { now: AFTER_END });
    expect(w.replies().at(-1)).toContain('Gate "Advisory ready" fails: no draft advisory can be made: it has no summary');
    expect(writesOutsideSecurityIssue()).toEqual([]);
  });

  it("bad input: --force without a reason, unknown words", async () => {
    w = await world(gh);
    await w.send("/announce publish --force", { now: AFTER_END });
    await w.send("/announce publish now please", { now: AFTER_END });
    const text = w.replies().join("\n");
    expect(text).toContain("`--force` needs a reason");
    expect(text).toContain("`/announce publish` takes nothing, or `--force &lt;reason>`");
    expect(writesOutsideSecurityIssue()).toEqual([]);
  });

  it("refuses non-members", async () => {
    w = await world(gh);
    await w.send("/announce publish", { sender: "mallory", now: AFTER_END });
    expect(writesOutsideSecurityIssue()).toEqual([]);
    expect(w.replies()).toEqual([expect.stringContaining("@mallory only people with the admin or maintain role")]);
  });
});

describe("/announce publish", () => {
  it("publishes, opens one CHANGES/NEWS PR, posts the un-embargo steps, tells the reporter, closes, opens the process review", async () => {
    w = await world(gh);
    await w.send("/announce publish", { now: AFTER_END });
    expectPublishedOnce(w);
    const ghsa = w.fake.advisories[0]!.ghsa_id as string;
    const pr = w.fake.pulls[0]!;
    expect(pr).toMatchObject({ repo: "acme/widget", head: `embargo/disclosure-${ghsa}`, base: "main" });
    const files = w.fake.repos.get("acme/widget")!.files[pr.head]!;
    expect(files["CHANGES.md"]).toBe(`# Changes\n\n## Unreleased\n\n- Security: Path traversal in the upload endpoint (${ghsa}), see https://github.com/acme/widget/security/advisories/${ghsa}\n\n- Faster start-up\n\n## 1.3.0\n\n- First release\n`);
    expect(files["NEWS.md"]).toContain("Fixed a critical-severity security vulnerability: Path traversal in the upload endpoint. Upgrade widget to 1.3.1.");
    const unembargo = w.replies().find((b) => b.includes("### Un-embargo steps"))!;
    expect(unembargo).toContain(`- [x] CHANGES/NEWS pull request opened: https://github.com/acme/widget/pull/${pr.number}`);
    expect(unembargo).toContain("- [ ] Dev list mailed");
    expect(w.replies().find((b) => b.includes("thank you for your report"))).toMatch(/^@reporter: thank you/);
    expect(w.record.ticks["disclosure.published"]).toBeDefined();
    expect(w.record.ticks["disclosure.changes"]).toBeDefined();
    expect(w.record.ticks["follow-up.process_review"]).toBeDefined();
    // A later run finds nothing left to do and changes nothing.
    const before = gh.requests.length;
    await w.send("/announce publish", { now: AFTER_END });
    expect(w.replies().at(-1)).toContain("every publish step is done already");
    expect(gh.requests.slice(before).filter((r) => r.method !== "GET" && !r.path.includes("/reactions") && !r.path.startsWith("/app/") && !r.path.endsWith("/comments"))).toEqual([]);
  });

  it("puts the reporter's text into the pack when the reporter cannot read the security repo", async () => {
    w = await world(gh);
    w.fake.roles.delete("reporter");
    await w.send("/announce publish", { now: AFTER_END });
    expect(w.replies().some((b) => b.includes("thank you for your report") && !b.includes(PACK_MARKER))).toBe(false);
    expect(w.replies().join("\n")).toContain("cannot read this repository, so the app did not tell them here");
    expect(w.replies().find((b) => b.includes(PACK_MARKER))).toContain("Reply to the reporter");
  });

  it("on an issue the app opened itself (a private report, a feed), says no reporter is credited rather than naming the app as one", async () => {
    w = await world(gh);
    w.fake.issues.find((i) => i.number === 7)!.user = BOT;
    await w.send("/announce publish", { now: AFTER_END });
    const replies = w.replies().join("\n");
    expect(replies).toContain("The app opened this issue itself (from a private vulnerability report or a CVE feed) and no `reporter` is credited");
    expect(replies).not.toContain(`The reporter (${BOT})`);
    expect(w.replies().find((b) => b.includes(PACK_MARKER))).toContain("Reply to the reporter");
  });

  it("with public_issue: true, opens a public issue with the published advisory's summary and link", async () => {
    w = await world(gh, { yaml: `${SECURITY_CONFIG}public_issue: true\n` });
    await w.send("/announce publish", { now: AFTER_END });
    const pub = w.fake.issues.find((i) => i.repo === "acme/widget")!;
    expect(pub.title).toBe("Security advisory: Path traversal in the upload endpoint");
    expect(pub.body).toContain(`https://github.com/acme/widget/security/advisories/${w.fake.advisories[0]!.ghsa_id}`);
  });

  it("a publish GitHub breaks at any request (500) is finished by running it again, with nothing done twice", async () => {
    // First learn every request a clean publish makes, then break each one in turn.
    const clean = await world(gh);
    await clean.send("/announce publish", { now: AFTER_END });
    const requests = [...new Set(clean.fake.answered.filter((r) => !r.startsWith("GET /app") && !r.startsWith("POST /app/")))];
    expect(requests.length).toBeGreaterThan(15);
    expect(clean.fake.unknown).toEqual([]);
    gh.done();
    for (const request of requests) {
      gh = mockGitHub();
      w = await world(gh);
      const [method, path] = request.split(" ") as [string, string];
      w.fake.failOnce(method, new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
      // A 500 before the handler gets going (config, comments) fails the delivery; GitHub or the
      // team tries again.
      await w.send("/announce publish", { now: AFTER_END }).catch(() => undefined);
      await w.send("/announce publish", { now: AFTER_END });
      try {
        expectPublishedOnce(w);
      } catch (error) {
        throw new Error(`after a 500 on ${request}: ${(error as Error).message}`);
      }
      if (method !== "GET" || !path.endsWith("/comments")) {
        const failed = w.replies().find((b) => b.includes("GitHub failed (500"));
        if (failed && w.record.publish_steps?.advisory) expect(failed).toContain("Run `/announce publish` again to finish");
      }
      expect(w.fake.unknown).toEqual([]);
      gh.done();
    }
  }, 120_000);
});

describe("/announce preview", () => {
  it("shows each step with its gate, the CHANGES/NEWS diffs, and writes nothing outside the security issue", async () => {
    w = await world(gh);
    await w.send("/announce preview", { now: BEFORE_END });
    await w.send("/announce preview", { now: AFTER_END });
    expect(writesOutsideSecurityIssue()).toEqual([]);
    const previews = w.replies().filter((b) => b.includes("### Publish preview"));
    expect(previews).toHaveLength(1);
    const preview = previews[0]!;
    expect(preview).toContain("| Embargo end reached | pass |");
    expect(preview).toContain("All gates pass");
    expect(preview).toContain("+- Security: Path traversal in the upload endpoint");
    expect(preview).toContain("--- a/CHANGES.md");
    expect(preview).toMatch(/--- \/dev\/null\n\s*\+\+\+ b\/NEWS\.md/);
    expect(preview).toContain('Issue "Process review: #7" opened in this repository, assigned to alice.');
    expect(preview).toContain("branch `embargo/disclosure-<GHSA id>` off `main`");
    expect(w.record.state).toBe("fixed");
    expect(w.fake.advisories).toEqual([]);
  });

  it("says which gates fail and that --force would pass them", async () => {
    w = await world(gh, { record: readyRecord({ patched: [] }) });
    await w.send("/announce preview", { now: BEFORE_END });
    const preview = w.replies().find((b) => b.includes("### Publish preview"))!;
    expect(preview).toContain("| Embargo end reached | **fail** |");
    expect(preview).toContain("| Fixes merged and every supported branch patched | **fail** |");
    expect(preview).toContain("`/announce publish --force <reason>` would pass the date and fix gates.");
  });

  it("refuses non-members and bad input", async () => {
    w = await world(gh);
    await w.send("/announce preview", { sender: "mallory" });
    await w.send("/announce preview everything");
    expect(w.replies().some((b) => b.includes("### Publish preview"))).toBe(false);
    expect(w.replies().join("\n")).toContain("`/announce preview` takes no arguments");
  });
});

describe("/announce help", () => {
  it("refuses non-members", async () => {
    w = await world(gh);
    await w.send("/announce help", { sender: "mallory" });
    expect(w.replies()).toEqual([expect.stringContaining("@mallory only people with the admin or maintain role")]);
  });

  it("lists the /announce commands with /help's list", async () => {
    w = await world(gh);
    await w.send("/announce help");
    const help = w.replies().at(-1)!;
    for (const usage of ["/announce draft", "/announce cve", "/announce preview", "/announce publish [--force <reason>]", "/announce help"]) expect(help).toContain(usage);
    expect(help).toContain("**embargo commands**");
  });
});
