import { describe, expect, it } from "vitest";
import { readIndex, rowOf, withRow, type DashboardIndex, type DashboardRow } from "../../src/dashboard/dashboard-index.js";
import { BLOCK_END, BLOCK_START, decideDashboard } from "../../src/dashboard/decide-dashboard.js";
import { newRecord } from "../../src/record/response-record.js";
import { KeyRing } from "../../src/security/key-ring.js";
import { defaultConfig } from "../../src/config/load-config.js";
import { NOW, TEST_KEYS } from "../helpers/app.js";
import { EventScope, runInScope } from "../../src/github/event-scope.js";
import { knowRepoId } from "../../src/github/repo-ids.js";

const ctx = { keys: TEST_KEYS, repo: "acme/security", now: NOW, title: "Security response dashboard", label: "security" };
const row = (n: number, extra: Partial<DashboardRow> = {}): DashboardRow => ({ n, url: `https://github.com/acme/security/issues/${n}`, state: "triage", awaiting: [], todo: [], ...extra });

describe("decideDashboard", () => {
  it("notes each feed the last tick could not read, its error as one inert code span (no ping, no marker, no way out)", async () => {
    const index: DashboardIndex = { v: 1, rows: [], feed_problems: [{ url: "https://nvd.example/feed.xml", problem: "bad `tag` <!-- embargo:x -->\n@admin |" }] };
    const { body } = await decideDashboard(index, undefined, ctx);
    const note = body.split("\n").find((l) => l.includes("could not be read"))!;
    expect(note).toBe("> The CVE feed `https://nvd.example/feed.xml` could not be read on the last tick (`bad  tag  <\u200b!-- embargo:x --> @\u200badmin |`): nothing from it reaches this repository until it can.");
    expect(body).toContain("> [!WARNING]\n> The CVE feed");
  });

  it("groups open rows by state, most severe first then the nearest embargo end, overdue in bold", async () => {
    const index: DashboardIndex = {
      v: 1,
      rows: [
        row(1, { state: "fixing", severity: "low", embargo_end: "2026-11-30" }),
        row(2, { state: "fixing", severity: "critical", embargo_end: "2026-11-25", owner: "alice", cve: "CVE-2026-1234", awaiting: ["acme/product#4"], todo: ["release-1.x"] }),
        row(3, { state: "fixing", severity: "critical", embargo_end: "2026-11-20" }),
        row(4, { state: "triage", title: "Heap overflow | in parser" }),
      ],
    };
    const { body } = await decideDashboard(index, undefined, ctx);
    expect(body.indexOf("### Triage (1)")).toBeLessThan(body.indexOf("### Fixing (3)"));
    const fixing = body.slice(body.indexOf("### Fixing"));
    expect(fixing.indexOf("[#3]")).toBeLessThan(fixing.indexOf("[#2]"));
    expect(fixing.indexOf("[#2]")).toBeLessThan(fixing.indexOf("[#1]"));
    expect(body).toContain("2026-11-20 (**overdue by 2 days**)");
    expect(body).toContain("2026-11-25 (3 days left)");
    expect(body).toContain("| [#2](https://github.com/acme/security/issues/2) | critical | 2026-11-25 (3 days left) | @\u200balice | CVE-2026-1234 | acme/product#4 | release-1.x |");
    expect(body).toContain("Heap overflow \\| in parser");
  });

  it("folds closed rows of the last 30 days and drops older ones from the index", async () => {
    const index: DashboardIndex = { v: 1, rows: [row(5, { state: "announced", closed_on: "2026-11-10" }), row(6, { state: "invalid", closed_on: "2026-09-01" })] };
    const { body, index: kept } = await decideDashboard(index, undefined, ctx);
    expect(body).toMatch(/<details>\s*<summary>Closed in the last 30 days \(1\)<\/summary>/);
    expect(body).toContain("[#5]");
    expect(body).not.toContain("[#6]");
    expect(kept.rows.map((r) => r.n)).toEqual([5]);
    expect(body).toContain("No security response is open.");
  });

  it("keeps a person's text outside the block, and reads back its own signed index", async () => {
    const first = await decideDashboard({ v: 1, rows: [row(1)] }, undefined, ctx);
    const edited = `Our notes on top\n\n${first.body}\n\nAnd below.`;
    const next = await decideDashboard(withRow(readIndex(edited, TEST_KEYS, "acme/security"), 2, row(2)), edited, ctx);
    expect(next.body.startsWith("Our notes on top\n\n" + BLOCK_START)).toBe(true);
    expect(next.body.endsWith(BLOCK_END + "\n\nAnd below.")).toBe(true);
    expect(readIndex(next.body, TEST_KEYS, "acme/security").rows.map((r) => r.n).sort()).toEqual([1, 2]);
  });

  it("ignores an index signed with another key or for another repo", async () => {
    const { body } = await decideDashboard({ v: 1, rows: [row(1)] }, undefined, ctx);
    expect(readIndex(body, new KeyRing("other"), "acme/security").rows).toEqual([]);
    expect(readIndex(body, TEST_KEYS, "acme/other").rows).toEqual([]);
  });

  it("after a rename, reads back an index written under the former name (a fix PR's event), bound to the repository's id; another repository's id does not verify", async () => {
    const event = (id: number, fn: () => Promise<string | number[]>) => {
      return runInScope(new EventScope("test"), () => {
        for (const [owner, repo] of [["acme", "security"], ["acme", "security-core"]] as const) knowRepoId({ owner, repo }, id);
        return fn();
      });
    };
    // A PR event knows the repo by the name its link was sealed with; an issue event by the new one.
    const body = (await event(42, async () => (await decideDashboard({ v: 1, rows: [row(1)] }, undefined, ctx)).body)) as string;
    expect(await event(42, async () => readIndex(body, TEST_KEYS, "acme/security-core").rows.map((r) => r.n))).toEqual([1]);
    expect(await event(43, async () => readIndex(body, TEST_KEYS, "acme/security-core").rows.map((r) => r.n))).toEqual([]);
    // Outside an event (nothing known of ids) an index written by name still reads, as before.
    expect(readIndex((await decideDashboard({ v: 1, rows: [row(2)] }, undefined, ctx)).body, TEST_KEYS, "acme/security").rows.map((r) => r.n)).toEqual([2]);
  });

  it("stays under GitHub's 65,536 characters with thousands of rows, closed ones trimmed first", async () => {
    const rows = [
      ...Array.from({ length: 1500 }, (_, i) => row(i + 1, { state: "fixing", severity: "high", title: "x".repeat(120), todo: ["a-long-branch-name"] })),
      ...Array.from({ length: 500 }, (_, i) => row(5000 + i, { state: "announced", closed_on: "2026-11-20", title: "y".repeat(120) })),
    ];
    const { body, index } = await decideDashboard({ v: 1, rows }, "z".repeat(2000), ctx);
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(index.rows.some((r) => r.state === "announced")).toBe(false);
    expect(body).toMatch(/more not shown here/);
  });

  it("rowOf takes state, severity, owner, ids, PRs awaiting review and branches still to patch from the record", () => {
    const config = { ...defaultConfig(), supported_branches: ["main", "1.x"] };
    const record = { ...newRecord(NOW, NOW), state: "fixing" as const, severity: "high" as const, triager: "bob", ghsa: "GHSA-aaaa-bbbb-cccc", patched: ["main"] };
    record.prs = [{ repo: "acme/product", number: 9, state: "open", review: "pending", base: "1.x", private: false }];
    const r = rowOf(record, config, { n: 7, url: "u" }, NOW);
    expect(r).toMatchObject({ owner: "bob", severity: "high", ghsa: "GHSA-aaaa-bbbb-cccc", awaiting: ["acme/product#9"] });
    expect(r.todo.join()).toContain("1.x");
  });

  it("uses the repo's `dashboard` override, and the built-in one when the override cannot fit", async () => {
    const mine = await decideDashboard({ v: 1, rows: [row(1)] }, undefined, { ...ctx, overrides: async (name) => (name === "dashboard" ? "Our board: {{#each groups}}{{#each rows}}#{{n}} {{/each}}{{/each}}" : null) });
    expect(mine.body).toContain("Our board: #1");
    const huge = await decideDashboard({ v: 1, rows: [row(1)] }, undefined, { ...ctx, overrides: async () => "x".repeat(70_000) });
    expect(huge.body.length).toBeLessThanOrEqual(65_536);
    expect(huge.body).toContain("### Triage (1)");
    expect(huge.body).toContain("the built-in one was used");
  });

  it("keeps what other parts store in the index (e.g. feed entries seen) when a row changes", async () => {
    const first = await decideDashboard({ v: 1, rows: [row(1)], seen: ["CVE-2026-1"] }, undefined, ctx);
    const next = await decideDashboard(withRow(readIndex(first.body, TEST_KEYS, "acme/security"), 2, row(2)), first.body, ctx);
    expect(readIndex(next.body, TEST_KEYS, "acme/security").seen).toEqual(["CVE-2026-1"]);
  });
});
