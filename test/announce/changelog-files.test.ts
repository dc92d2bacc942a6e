/**
 * CHANGES/NEWS files of odd shapes, written by a publish (step 2): whatever the file looks like,
 * the PR adds the entry and keeps every character that was there.
 */
import { describe, expect, it } from "vitest";
import type { GitHubMock } from "../helpers/github-api.js";
import { AFTER_END, checkEachTest, expectPublishedOnce, SECURITY_CONFIG, SUMMARY, world, type World } from "./world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

/** CHANGES.md on the disclosure PR's branch. */
function changesOnPr(v: World): string {
  const pr = v.fake.pulls[0]!;
  return v.fake.repos.get("acme/widget")!.files[pr.head]!["CHANGES.md"]!;
}

describe("the CHANGES/NEWS pull request", () => {
  it("keeps the last character of a file with CRLF lines that ends in a bare LF", async () => {
    w = await world(gh, { changes: "# Changes\r\n\r\n## Unreleased\r\n\r\n- Faster start-up\n" });
    await w.send("/announce publish", { now: AFTER_END });
    expectPublishedOnce(w);
    const ghsa = w.fake.advisories[0]!.ghsa_id as string;
    const entry = `- Security: ${SUMMARY} (${ghsa}), see https://github.com/acme/widget/security/advisories/${ghsa}`;
    expect(changesOnPr(w)).toBe(`# Changes\r\n\r\n## Unreleased\r\n\r\n${entry}\r\n\r\n- Faster start-up\n`);
  });

  it("keeps the byte order mark of a UTF-8 file (Windows editors write one): the PR's diff is the entry alone", async () => {
    w = await world(gh, { changes: "\uFEFF# Changes\n\n## Unreleased\n\n- Faster start-up\n" });
    await w.send("/announce publish", { now: AFTER_END });
    expectPublishedOnce(w);
    const ghsa = w.fake.advisories[0]!.ghsa_id as string;
    const entry = `- Security: ${SUMMARY} (${ghsa}), see https://github.com/acme/widget/security/advisories/${ghsa}`;
    expect(changesOnPr(w)).toBe(`\uFEFF# Changes\n\n## Unreleased\n\n${entry}\n\n- Faster start-up\n`);
  });

  it("keeps a file over 1 MB, which GitHub's contents API sends without its content", async () => {
    const old = Array.from({ length: 30_000 }, (_, i) => `- Change number ${i} in an old release, with some words`).join("\n");
    const changes = `# Changes\n\n## Unreleased\n\n- Faster start-up\n\n## 1.3.0\n\n${old}\n`;
    expect(Buffer.byteLength(changes)).toBeGreaterThan(1024 * 1024);
    w = await world(gh, { changes });
    await w.send("/announce publish", { now: AFTER_END });
    expectPublishedOnce(w);
    const after = changesOnPr(w);
    expect(after.startsWith(`# Changes\n\n## Unreleased\n\n- Security: ${SUMMARY}`)).toBe(true);
    expect(after.endsWith(`- Faster start-up\n\n## 1.3.0\n\n${old}\n`)).toBe(true);
  });

  it("keeps every character of a Latin-1 file (not UTF-8): read as UTF-8, each accented letter became U+FFFD", async () => {
    w = await world(gh);
    const widget = w.fake.repos.get("acme/widget")!;
    widget.encodings = { "CHANGES.md": "latin1" };
    widget.files.main!["CHANGES.md"] = "# Änderungen\n\n## Unreleased\n\n- Schnellerer Start (danke, Jürgen Müller)\n";
    await w.send("/announce publish", { now: AFTER_END });
    expectPublishedOnce(w);
    const ghsa = w.fake.advisories[0]!.ghsa_id as string;
    const entry = `- Security: ${SUMMARY} (${ghsa}), see https://github.com/acme/widget/security/advisories/${ghsa}`;
    expect(changesOnPr(w)).toBe(`# Änderungen\n\n## Unreleased\n\n${entry}\n\n- Schnellerer Start (danke, Jürgen Müller)\n`);
  });

  it("adds an entry whose template opens with a heading the file has already (### Security)", async () => {
    const yaml = `${SECURITY_CONFIG}changelog:\n  - { path: CHANGES.md, template: keep-a-changelog }\n  - { path: NEWS.md, template: news-entry }\n`;
    w = await world(gh, { yaml, changes: "# Changes\n\n## Unreleased\n\n## 1.3.0\n\n### Security\n\n- An older fix (GHSA-old0-4q2w-9x8v)\n" });
    w.fake.repos.get("acme/security")!.overrides = { "keep-a-changelog.hbs": "### Security\n\n- {{summary}} ({{ghsa}})" };
    await w.send("/announce publish", { now: AFTER_END });
    expectPublishedOnce(w);
    const ghsa = w.fake.advisories[0]!.ghsa_id as string;
    expect(changesOnPr(w)).toBe(`# Changes\n\n## Unreleased\n\n### Security\n\n- ${SUMMARY} (${ghsa})\n\n## 1.3.0\n\n### Security\n\n- An older fix (GHSA-old0-4q2w-9x8v)\n`);
  });

  it("writes two entries configured for one file in one go (the second write's sha was the file's before the first)", async () => {
    const yaml = `${SECURITY_CONFIG}changelog:\n  - { path: CHANGES.md, template: changes-entry }\n  - { path: CHANGES.md, template: news-entry }\n`;
    w = await world(gh, { yaml });
    await w.send("/announce publish", { now: AFTER_END });
    expect(w.replies().join("\n")).not.toContain("GitHub failed");
    expectPublishedOnce(w);
    const changes = changesOnPr(w);
    // In config order, both above what was there.
    expect(changes.indexOf(`- Security: ${SUMMARY}`)).toBeGreaterThan(0);
    expect(changes.indexOf(`- Fixed a critical-severity security vulnerability: ${SUMMARY}.`)).toBeGreaterThan(changes.indexOf(`- Security: ${SUMMARY}`));
    expect(changes.indexOf("- Faster start-up")).toBeGreaterThan(changes.indexOf("- Fixed a critical-severity"));
  });
});

describe("disclosure_branch", () => {
  it("without {id}, is refused before anything is published: a second disclosure would take the first one's PR as its own", async () => {
    w = await world(gh);
    // An earlier disclosure's PR, merged long ago, from the one branch every disclosure would use.
    w.fake.pulls.push({ repo: "acme/widget", number: 40, head: "security/changelog", base: "main", title: "Changelog: CVE-2026-0001", body: "", state: "closed" });
    w.fake.repos.get("acme/security")!.config = `${SECURITY_CONFIG}disclosure_branch: security/changelog\n`;
    await w.send("/announce publish", { now: AFTER_END });
    expect(w.replies().join("\n")).toContain("`disclosure_branch` must be");
    expect(w.fake.advisories).toEqual([]);
    expect(w.replies().join("\n")).not.toContain("https://github.com/acme/widget/pull/40");
  });
});
