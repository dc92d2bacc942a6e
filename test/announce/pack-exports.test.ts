import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { PACK_MARKER } from "../../src/announce/pack.js";
import type { GitHubMock } from "../helpers/github-api.js";
import { checkEachTest, readyRecord, world, type World } from "./world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat("uri", (t: string) => URL.canParse(t));
ajv.addFormat("date-time", (t: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(t));
const validateCve = ajv.compile(JSON.parse(readFileSync(new URL("../fixtures/schemas/CVE_JSON_bundled_5.1.1.json", import.meta.url), "utf8")));

/** A JSON block of the pack, by its section's title. */
function packJson(pack: string, title: string): any {
  const section = pack.slice(pack.indexOf(`<summary>${title}`));
  const m = /```json\n([\s\S]*?)\n```/.exec(section);
  if (!m) throw new Error(`no JSON under "${title}"`);
  return JSON.parse(m[1]!);
}

describe("the pack's CVE JSON 5 record", () => {
  it("does not declare a package unaffected whose range CVE cannot express (an exclusive lower bound)", async () => {
    w = await world(gh, { record: readyRecord({ cve: "CVE-2026-4242", affected: [{ ecosystem: "npm", package: "widget", range: "> 1.0.0, < 1.3.1" }] }) });
    await w.send("/announce");
    const pack = w.replies().find((b) => b.includes(PACK_MARKER))!;
    const cve = packJson(pack, "CVE JSON 5 record");
    const widget = cve.containers.cna.affected.find((a: any) => a.packageName === "widget");
    // With no version listed, "unaffected" by default says no version of widget is affected.
    expect(widget.defaultStatus).not.toBe("unaffected");
    expect(widget.versions ?? []).toEqual([]);
    expect(validateCve(cve), JSON.stringify(validateCve.errors?.slice(0, 3))).toBe(true);
    // OSV says the same range is not expressed, as the README promises.
    expect(packJson(pack, "OSV record").database_specific.not_expressed[0]).toContain("npm/widget > 1.0.0, < 1.3.1");
  });
});

describe("the pack's CVE JSON 5 title", () => {
  it("cut at CVE's 256 characters, never ends in half a character (an emoji's first UTF-16 half)", async () => {
    const summary = `${"A".repeat(255)}\u{1F600} and the rest of a long summary`;
    w = await world(gh, { record: readyRecord({ cve: "CVE-2026-4242", summary }) });
    await w.send("/announce");
    const pack = w.replies().find((b) => b.includes(PACK_MARKER))!;
    const title: string = packJson(pack, "CVE JSON 5 record").containers.cna.title;
    expect(title.length).toBeLessThanOrEqual(256);
    expect(title.startsWith("A".repeat(255))).toBe(true);
    // A lone surrogate is no character: not valid UTF-8, so CVE's services cannot store it.
    expect(title).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });
});
