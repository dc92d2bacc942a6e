/**
 * `embargo export owner/repo#n --format osv|cve5` against the lifecycle's GitHub (nock): after L1
 * it prints the OSV and CVE JSON 5 records the announcement pack carries, valid against their
 * schemas; a record not signed with the app's keys, bad usage and missing credentials are refused.
 */
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { RESPONSE_MARKER } from "../../src/record/markers.js";
import { TEST_SECRET } from "../helpers/app.js";
import { testPrivateKey } from "../helpers/github-api.js";
import { commentEvent, subscribedExamples } from "../sweep/sweep-world.js";
import { BOT_LOGIN } from "../sweep/fake-json.js";
import { ISSUE, l1World, runL1, SECURITY, SECURITY_YAML, START, type L1World } from "../lifecycle/lifecycle-l1.js";

const schema = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/schemas/${name}`, import.meta.url), "utf8"));
function addFormats(ajv: { addFormat(name: string, f: (s: string) => boolean): unknown }) {
  ajv.addFormat("uri", (s) => URL.canParse(s));
  ajv.addFormat("date", (s) => /^\d{4}-\d{2}-\d{2}$/.test(s));
  ajv.addFormat("date-time", (s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s));
}
const ajvOsv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajvOsv);
const validateOsv = ajvOsv.compile(schema("osv-schema.json"));
const ajvCve = new Ajv({ strict: false, allErrors: true });
addFormats(ajvCve);
const validateCve = ajvCve.compile(schema("CVE_JSON_bundled_5.1.1.json"));

const CNA = "8254265b-2729-46b6-b9e3-3dfca2d5bfca";
const CVE = "CVE-2026-4242";
const env = (extra: Record<string, string> = {}) => ({ APP_ID: "1", PRIVATE_KEY: testPrivateKey(), EMBARGO_SECRET: TEST_SECRET, ...extra });

async function cli(args: string[], e: NodeJS.ProcessEnv = env()) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { env: e, out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** L1 with a CNA configured and a CVE id recorded during triage. */
let w: L1World;
beforeAll(async () => {
  w = l1World();
  w.fake.repo(SECURITY).config = `${SECURITY_YAML}cna_org_id: ${CNA}\nosv_prefix: x_ACME\n`;
  const created = subscribedExamples().find((e) => e.label === "issue_comment.created #1")!.payload;
  w.steps.splice(9, 0, { name: "/triage cve", at: START, act: () => ({ id: "cve", name: "issue_comment", payload: commentEvent(created, w.fake, SECURITY, ISSUE, `/triage cve ${CVE}`, "alice") }) });
  const { state } = await runL1(w);
  expect(state.record).toMatchObject({ state: "announced", cve: CVE });
});

/** The JSON block under `title` in the app's announcement pack. */
function packBlock(title: string): unknown {
  const pack = w.fake.comments(SECURITY, ISSUE).find((c) => c.login === BOT_LOGIN && c.body.includes("embargo:announce-pack"))!.body;
  const section = pack.slice(pack.indexOf(`<summary>${title}</summary>`));
  const json = /```json\n([\s\S]*?)\n```/.exec(section)![1]!;
  return JSON.parse(json);
}

describe("embargo export", () => {
  it("--format osv prints the pack's OSV record, valid against the OSV schema", async () => {
    const r = await cli(["export", `${SECURITY}#${ISSUE}`, "--format", "osv"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const osv = JSON.parse(r.out);
    expect(validateOsv(osv), JSON.stringify(validateOsv.errors)).toBe(true);
    const ghsa = w.fake.repo("acme/product").advisories.keys().next().value;
    expect(osv).toMatchObject({ id: ghsa, aliases: [CVE], published: "2026-12-20T12:00:00Z", affected: [{ package: { ecosystem: "npm", name: "widget" } }] });
    // What the app put in the announcement pack at publish time (same clock): the same record.
    expect({ ...osv, modified: "x" }).toEqual({ ...(packBlock("OSV record") as object), modified: "x" });
  });

  it("--format cve5 prints the CVE JSON 5 record, valid against CVE JSON 5.1.1", async () => {
    const r = await cli(["export", `${SECURITY}#${ISSUE}`, "--format=cve5"]);
    expect(r.code).toBe(0);
    const cve = JSON.parse(r.out);
    expect(validateCve(cve), JSON.stringify(validateCve.errors?.slice(0, 3))).toBe(true);
    expect(cve.cveMetadata).toMatchObject({ cveId: CVE, assignerOrgId: CNA });
    expect(cve).toEqual(packBlock("CVE JSON 5 record"));
  });

  it("refuses a response record edited by hand (not signed with the app's keys), and a wrong secret", async () => {
    const response = w.fake.comments(SECURITY, ISSUE).find((c) => c.login === BOT_LOGIN && c.body.includes(RESPONSE_MARKER))!;
    const body = response.body;
    const wrong = await cli(["export", `${SECURITY}#${ISSUE}`, "--format", "osv"], env({ EMBARGO_SECRET: "not-the-apps-secret" }));
    expect(wrong).toMatchObject({ code: 1, out: "" });
    expect(wrong.err).toMatch(/not signed with this app's secret/);
    try {
      response.body = body.replace(/(<!-- embargo:record:v\d )(.)/, (_m, p: string, c: string) => `${p}${c === "A" ? "B" : "A"}`);
      const tampered = await cli(["export", `${SECURITY}#${ISSUE}`, "--format", "osv"]);
      expect(tampered).toMatchObject({ code: 1, out: "" });
      expect(tampered.err).toMatch(/refused/);
    } finally {
      response.body = body;
    }
  });

  it("says what is missing for a CVE record, and answers bad usage with the usage (exit 2)", async () => {
    const yaml = w.fake.repo(SECURITY).config;
    w.fake.repo(SECURITY).config = SECURITY_YAML; // no cna_org_id
    try {
      const noCna = await cli(["export", `${SECURITY}#${ISSUE}`, "--format", "cve5"]);
      expect(noCna).toMatchObject({ code: 1, out: "" });
      expect(noCna.err).toMatch(/needs .*`cna_org_id`/);
    } finally {
      w.fake.repo(SECURITY).config = yaml;
    }
    for (const args of [["export"], ["export", "acme/security", "--format", "osv"], ["export", `${SECURITY}#${ISSUE}`], ["export", `${SECURITY}#${ISSUE}`, "--format", "json"]]) {
      const r = await cli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err).toContain("usage: embargo export <owner/repo#number> --format osv|cve5");
    }
    const noCreds = await cli(["export", `${SECURITY}#${ISSUE}`, "--format", "osv"], { EMBARGO_SECRET: TEST_SECRET });
    expect(noCreds.code).toBe(2);
    expect(noCreds.err).toMatch(/APP_ID/);
  });

  it("says so for an issue that is not a response", async () => {
    const r = await cli(["export", `${SECURITY}#3`, "--format", "osv"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no response comment/);
    w.gh.done();
  });
});
