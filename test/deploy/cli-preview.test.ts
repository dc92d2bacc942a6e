import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runPreview } from "../../src/cli/preview.js";
import { main } from "../../src/cli/main.js";
import { newRecord } from "../../src/record/response-record.js";
import { recordMarker } from "../../src/record/markers.js";
import { NOW, recordOf, TEST_KEYS, TEST_SECRET } from "../helpers/app.js";

async function preview(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runPreview(args, { out: (t) => out.push(t), err: (t) => err.push(t), now: NOW, env: { EMBARGO_SECRET: TEST_SECRET } });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

function tempFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "embargo-preview-")), name);
  writeFileSync(file, text);
  return file;
}

describe("embargo preview", () => {
  it("renders every built-in template with a sample, without complaint", async () => {
    const names = readdirSync(new URL("../../templates/", import.meta.url)).map((f) => f.replace(/\.hbs$/, ""));
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) {
      const { code, out, err } = await preview(name);
      expect({ name, code, err }).toEqual({ name, code: 0, err: "" });
      expect(out.trim().length).toBeGreaterThan(20);
    }
  });

  it("renders the response comment as the app posts it: markers, status table, the sample record", async () => {
    const { out } = await preview("response");
    expect(out.startsWith("<!-- embargo:response -->\n### Security response")).toBe(true);
    expect(out).toContain("| **CVE** | CVE-2026-12345 |");
    expect(out).toContain("| **Still to patch** | 4.19 |");
    expect(recordOf(out).cve).toBe("CVE-2026-12345");
  });

  it("uses the record given as JSON, or the one inside a saved response comment", async () => {
    const record = { ...newRecord(new Date("2026-10-01T00:00:00Z"), NOW), cve: "CVE-2026-99999", severity: "critical" as const };
    const fromJson = await preview("response", "--record", tempFile("record.json", JSON.stringify(record)));
    expect(fromJson.out).toContain("| **CVE** | CVE-2026-99999 |");
    expect(fromJson.out).toContain("| **Reported** | 2026-10-01 |");
    const fromComment = await preview("response", "--record", tempFile("comment.md", `<!-- embargo:response -->\nsome text\n\n${recordMarker(record, TEST_KEYS, "acme/security#7")}`));
    expect(fromComment.out).toContain("| **CVE** | CVE-2026-99999 |");
    // As the app would write it: one write more than the record given.
    expect(recordOf(fromComment.out)).toEqual({ ...record, seq: 1 });
  });

  it("reads a saved comment's record only with the app's secret and on its own issue (--issue)", async () => {
    const record = { ...newRecord(new Date("2026-10-01T00:00:00Z"), NOW), cve: "CVE-2026-99999" };
    const comment = tempFile("comment.md", `<!-- embargo:response -->\n${recordMarker(record, TEST_KEYS, "my-org/security#12")}`);
    const elsewhere = await preview("response", "--record", comment);
    expect(elsewhere).toMatchObject({ code: 2, out: "", err: expect.stringContaining("whose record verifies for acme/security#7 under this secret") });
    expect(elsewhere.err).toContain("--issue owner/repo#n");
    const own = await preview("response", "--record", comment, "--issue", "my-org/security#12");
    expect(own.out).toContain("| **CVE** | CVE-2026-99999 |");
    expect(recordOf(own.out, "my-org/security#12")).toEqual({ ...record, seq: 1 });
    const noSecret = await runPreview(["response", "--record", comment, "--issue", "my-org/security#12"], { out: () => undefined, err: (t) => expect(t).toMatch(/record is signed; set EMBARGO_SECRET/), now: NOW, env: {} });
    expect(noSecret).toBe(2);
    expect((await preview("response", "--issue", "security#12")).err).toBe("--issue security#12 is not an issue as owner/repo#n, e.g. acme/security#7");
  });

  it("neutralizes text from the record as the app does: no mention escapes", async () => {
    const record = { ...newRecord(new Date("2026-10-01T00:00:00Z"), NOW), reason: "ask @acme/everyone <!-- x -->" };
    const { out } = await preview("invalid-reply", "--record", tempFile("r.json", JSON.stringify(record)));
    expect(out).toContain("@reporter, thank you");
    expect(out).not.toContain("@acme/everyone");
    expect(out).not.toContain("<!--");
  });

  it("previews a repository's override, and says when it does not compile", async () => {
    const good = await preview(tempFile("experts.hbs", "Experts: {{#each experts}}{{mention this}} {{/each}}"));
    expect(good).toEqual({ code: 0, out: "Experts: @api-owner", err: "" });
    const broken = await preview(tempFile("experts.hbs", "{{#each experts}}"));
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/^WARNING: `\.github\/embargo\/experts\.hbs` could not be rendered .*the built-in template was used$/);
    expect(broken.out).toContain("the security team asks for your help");
  });

  it("refuses unknown templates and bad records with the reason", async () => {
    const unknown = await preview("respnse");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^`respnse` is not one of embargo's templates \(.*response.*\)$/);
    const notRecord = await preview("response", "--record", tempFile("x.json", '{"a":1}'));
    expect(notRecord).toMatchObject({ code: 2, err: expect.stringContaining('is JSON but not a response record (it needs "v": 1 and a "state")') });
    expect((await preview()).err).toMatch(/^usage: embargo preview/);
  });
});

describe("the embargo command", () => {
  it("prints its help, and refuses an unknown command", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { env: {}, out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    expect(await main(["--help"], io)).toBe(0);
    expect(out[0]).toMatch(/embargo doctor <owner\/security-repo>/);
    expect(await main(["frobnicate"], io)).toBe(2);
    expect(err[0]).toMatch(/^unknown command `frobnicate`/);
  });
});
