import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { editedByHand, advisoryFields, fieldHashes } from "../../src/announce/advisory-fields.js";
import { insertEntry } from "../../src/announce/changelog-insert.js";
import { gateTickers, publishGates, type Members } from "../../src/announce/publish-gates.js";
import { unifiedDiff } from "../../src/announce/unified-diff.js";
import { parseRange } from "../../src/announce/version-range.js";
import { branchItemId } from "../../src/checklist/checklist-items.js";
import { parseCommands } from "../../src/commands/parse-commands.js";
import { COMMANDS, findCommand } from "../../src/commands/registry.js";
import { validateConfig } from "../../src/config/load-config.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/changelog/${name}`, import.meta.url), "utf8");
const ENTRY = "- Security: path traversal in upload fixed (GHSA-abcd-efgh-ijkl)";

describe("CHANGES/NEWS insertion", () => {
  it("goes under the Unreleased heading, above what is there", () => {
    expect(insertEntry(fixture("unreleased.md"), ENTRY)).toBe(
      `# Changelog\n\n## Unreleased\n\n${ENTRY}\n\n- Faster start-up\n\n## 1.3.0\n\n- Initial release\n`,
    );
  });

  it("goes right after the first heading when nothing is Unreleased", () => {
    expect(insertEntry(fixture("released.md"), ENTRY)).toBe(`# Changelog\n\n${ENTRY}\n\n## 1.3.0 (2026-09-01)\n\n- Initial release\n`);
  });

  it("understands underlined headings in plain text", () => {
    expect(insertEntry(fixture("NEWS.txt"), ENTRY)).toBe(`Widget news\n===========\n\n${ENTRY}\n\nVersion 1.3.0\n-------------\n\n * Initial release\n`);
  });

  it("goes at the top of a file without headings, keeping a missing final newline missing", () => {
    expect(insertEntry(fixture("plain-no-newline.txt"), ENTRY)).toBe(`${ENTRY}\n\nJust some notes without headings.\nSecond line.`);
  });

  it("keeps CRLF line endings and matches Unreleased in any case", () => {
    const out = insertEntry(fixture("crlf.md"), "- one\n- two");
    expect(out).toBe("# Changes\r\n\r\n## [unreleased]\r\n\r\n- one\r\n- two\r\n\r\n- Faster start-up\r\n");
    expect(out.replace(/\r\n/g, "")).not.toContain("\n");
  });

  it("creates a missing file, and never adds the same entry twice", () => {
    expect(insertEntry(null, ENTRY)).toBe(`${ENTRY}\n`);
    const once = insertEntry(fixture("unreleased.md"), ENTRY);
    expect(insertEntry(once, ENTRY)).toBe(once);
  });

  it("ignores headings inside code fences", () => {
    const text = "Intro\n\n```\n# not a heading\n```\n\n## Unreleased\n";
    expect(insertEntry(text, ENTRY)).toBe(`Intro\n\n\`\`\`\n# not a heading\n\`\`\`\n\n## Unreleased\n\n${ENTRY}\n`);
  });
});

describe("version ranges", () => {
  it("splits GitHub's operators and refuses contradictions", () => {
    expect(parseRange(">= 4.18.0, < 4.18.2")).toEqual({ introduced: "4.18.0", fixed: "4.18.2" });
    expect(parseRange("<=2.0.0")).toEqual({ lastAffected: "2.0.0" });
    expect(parseRange("= 1.0")).toEqual({ exact: "1.0" });
    expect(parseRange("< 1, <= 2")).toBeNull();
    expect(parseRange("~1.2")).toBeNull();
  });
});

function configWith(raw: object) {
  const result = validateConfig(raw);
  if (!result.ok) throw new Error(result.problems.join("; "));
  return result.config;
}

describe("publish gates", () => {
  const config = configWith({ supported_branches: ["main", "4.18"], components: { core: { repo: "acme/widget" } } });
  const ready: ResponseRecord = {
    ...newRecord(new Date("2026-10-01T00:00:00Z"), new Date("2026-10-01T00:00:00Z")),
    state: "fixed",
    severity: "high",
    summary: "Path traversal",
    embargo_end: "2026-11-20",
    components: ["core"],
    patched: ["main", "4.18"],
    prs: [{ repo: "acme/widget", number: 12, state: "merged", review: "approved", base: "main", private: false }],
  };
  const now = new Date("2026-11-20T00:00:00Z");
  const failing = (r: ResponseRecord, at = now, force = false) => publishGates(r, config, at, force).filter((g) => !g.pass).map((g) => g.id);

  it("pass on the embargo end day (UTC) with every fix merged", () => {
    expect(failing(ready)).toEqual([]);
  });

  it("fail before the embargo end, and say when it ends", () => {
    const gates = publishGates(ready, config, new Date("2026-11-19T23:59:59Z"));
    expect(gates[0]).toMatchObject({ id: "embargo", pass: false });
    expect(gates[0]!.why).toContain("2026-11-20");
  });

  it("fail on an open fix PR or an unpatched branch; a box ticked by a security team member counts as patched", () => {
    const open = { ...ready, prs: [{ ...ready.prs[0]!, state: "open" as const }] };
    expect(failing(open)).toEqual(["fixes"]);
    const unpatched = { ...ready, patched: ["main"] };
    expect(publishGates(unpatched, config, now)[1]!.why).toContain("`4.18`");
    const byBob = { ...unpatched, ticks: { [branchItemId("4.18")]: { by: "Bob", at: "x" } } };
    expect(gateTickers(byBob, config)).toEqual(["Bob"]);
    const fixes = (r: ResponseRecord, members?: Members) => publishGates(r, config, now, false, members)[1]!;
    expect(fixes(byBob, new Map([["bob", true]])).pass).toBe(true);
    expect(fixes(byBob, new Map([["bob", false]]))).toMatchObject({ pass: false, why: expect.stringContaining("`4.18`: ticked by @Bob, who is not in the security team") });
    // Not read is not trusted.
    expect(fixes(byBob, new Map()).pass).toBe(false);
    // The preview reads nothing: the tick counts, and says publishing checks it.
    expect(fixes(byBob)).toMatchObject({ pass: true, why: expect.stringContaining("`4.18` by @Bob") });
    const byHand = { ...unpatched, ticks: { [branchItemId("4.18")]: { by: "hand", at: "x" } } };
    expect(gateTickers(byHand, config)).toEqual([]);
    for (const members of [undefined, new Map()]) expect(fixes(byHand, members)).toMatchObject({ pass: false, why: expect.stringContaining("`4.18`: ticked, but GitHub has not yet said by whom; try again in a minute") });
    const byApp = { ...unpatched, ticks: { [branchItemId("4.18")]: { by: "app", at: "x" } } };
    expect(gateTickers(byApp, config)).toEqual([]);
    expect(fixes(byApp, new Map()).pass).toBe(true);
  });

  it("with a fix in two repositories, a box is ticked per repository: the one for the other repository passes the gate", () => {
    const two = configWith({ supported_branches: ["main"], components: { core: { repo: "acme/widget" }, cli: { repo: "acme/widget-cli" } } });
    const record: ResponseRecord = { ...ready, components: ["core", "cli"], patched: [], prs: [{ ...ready.prs[0]!, base: "main" }] };
    const fixes = (r: ResponseRecord, members?: Members) => publishGates(r, two, now, false, members)[1]!;
    expect(fixes(record)).toMatchObject({ pass: false, why: expect.stringContaining("branches not patched: `main` of acme/widget-cli (") });
    const ticked = { ...record, ticks: { [branchItemId("acme/widget-cli", "main")]: { by: "bob", at: "x" } } };
    expect(gateTickers(ticked, two)).toEqual(["bob"]);
    expect(fixes(ticked, new Map([["bob", true]])).pass).toBe(true);
    expect(fixes(ticked, new Map([["bob", false]]))).toMatchObject({ pass: false, why: expect.stringContaining("`main` of acme/widget-cli: ticked by @bob, who is not in the security team") });
  });

  it("fail the advisory gate without a summary, and --force never passes it", () => {
    const noSummary = { ...ready, summary: undefined, embargo_end: "2026-12-30" };
    expect(failing(noSummary)).toEqual(["embargo", "advisory"]);
    const forced = publishGates(noSummary, config, now, true);
    expect(forced.map((g) => [g.id, g.pass, Boolean(g.forced)])).toEqual([["embargo", true, true], ["fixes", true, false], ["advisory", false, false]]);
  });

  it("pass the advisory gate with no product repo: there is nothing to publish on GitHub", () => {
    expect(failing({ ...ready, components: [], summary: undefined })).toEqual([]);
  });
});

describe("hand edits of the draft", () => {
  it("names the fields that changed on GitHub since the app wrote them", () => {
    const config = configWith({});
    const record = { ...newRecord(new Date(), new Date()), summary: "S", severity: "high" as const, cwes: ["CWE-22"] };
    const fields = advisoryFields(record, config, "Body");
    const onGitHub = { summary: "S", description: "Body\n", severity: "high", cwe_ids: ["CWE-22"], vulnerabilities: [], credits: [], cvss_severities: { cvss_v3: { vector_string: null }, cvss_v4: null } };
    expect(editedByHand(fieldHashes(fields), onGitHub)).toEqual([]);
    expect(editedByHand(fieldHashes(fields), { ...onGitHub, summary: "S (edited)", cwe_ids: ["CWE-23"] })).toEqual(["summary", "cwe_ids"]);
  });
});

describe("the /announce commands", () => {
  const config = configWith({ components: { core: { repo: "acme/widget" } } });
  const ready: ResponseRecord = {
    ...newRecord(new Date("2026-10-01T00:00:00Z"), new Date("2026-10-01T00:00:00Z")),
    state: "fixed", severity: "high", summary: "S", embargo_end: "2026-11-01", components: ["core"], ghsa: "GHSA-abcd-4q2w-9x8v",
  };

  it("each example /help shows parses as its own command and runs on a ready response, leaving it unchanged in place", () => {
    for (const c of COMMANDS.filter((c) => c.group === "announce")) {
      expect(c.usage.startsWith(`/announce ${c.name}`)).toBe(true);
      for (const example of c.examples) {
        const [line] = parseCommands(example);
        expect(findCommand(line!.group, line!.name), example).toBe(c);
        const frozen = Object.freeze({ ...ready });
        const result = c.run(frozen, { args: line!.args, config, now: new Date("2026-11-22T00:00:00Z"), actor: "alice", reporter: "r" });
        expect(result.ok, `${example}: ${result.ok ? "" : result.error}`).toBe(true);
      }
    }
  });

  it("publish asks for nothing more once every step is recorded, and resumes a half-done publish without the gates", () => {
    const publish = findCommand("announce", "publish")!;
    const input = { args: "", config, now: new Date("2026-10-02T00:00:00Z"), actor: "alice", reporter: "r" };
    const half = { ...ready, state: "announced" as const, publish_steps: { advisory: "x", changelog: "x" } };
    expect(publish.run(half, input)).toMatchObject({ ok: true, outcome: { actions: [{ kind: "announce.publish" }] } });
    const all = { ...half, publish_steps: Object.fromEntries(["advisory", "changelog", "unembargo", "reporter", "announced", "process_review"].map((s) => [s, "x"])) };
    expect(publish.run(all, input)).toMatchObject({ ok: false, error: expect.stringContaining("every publish step is done already") });
  });
});

describe("unified diff", () => {
  it("shows an inserted entry with three lines of context and correct hunk ranges", () => {
    const before = "# C\n\n## Unreleased\n\n- a\n- b\n- c\n- d\n- e\n";
    const after = insertEntry(before, "- new");
    expect(unifiedDiff("CHANGES.md", before, after)).toBe(
      ["--- a/CHANGES.md", "+++ b/CHANGES.md", "@@ -2,6 +2,8 @@", " ", " ## Unreleased", " ", "+- new", "+", " - a", " - b", " - c"].join("\n"),
    );
    expect(unifiedDiff("NEWS.md", null, "- new\n")).toBe("--- /dev/null\n+++ b/NEWS.md\n@@ -0,0 +1,1 @@\n+- new");
  });
});
