import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { advisoryFields } from "../../src/announce/advisory-fields.js";
import { cveRecord } from "../../src/announce/cve-export.js";
import { osvRecord, type ExportFacts } from "../../src/announce/osv-export.js";
import { validateConfig } from "../../src/config/load-config.js";
import { scoreVector } from "../../src/cvss/score-vector.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";

const schema = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/schemas/${name}`, import.meta.url), "utf8"));

// Formats the schemas use, without a new dependency: a URL that parses, RFC 3339 dates.
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

function sample(patch: Partial<ResponseRecord> & { vector?: string }): ResponseRecord {
  const base = newRecord(new Date("2026-10-01T00:00:00Z"), new Date("2026-10-01T10:00:00Z"));
  const { vector, ...rest } = patch;
  const record: ResponseRecord = { ...base, state: "fixed", summary: "Path traversal in upload", cwes: ["CWE-22"], credits: [{ login: "octocat", type: "finder" }], ...rest };
  if (vector) {
    const scored = scoreVector(vector);
    if (!scored.ok) throw new Error(scored.error);
    record.cvss = { version: scored.value.version, vector: scored.value.vector, score: scored.value.score };
    record.severity = scored.value.severity === "none" ? "low" : scored.value.severity;
  }
  return record;
}

const facts: ExportFacts = {
  issueNumber: 7,
  advisoryUrl: "https://github.com/acme/widget/security/advisories/GHSA-abcd-efgh-ijkl",
  references: [{ type: "FIX", url: "https://github.com/acme/widget/pull/12" }],
  modified: "2026-11-22T12:00:00Z",
  published: "2026-11-22T12:00:00Z",
  details: "An attacker can read any file.",
};

const V31 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N";
const V40 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N";

const SAMPLES: { name: string; record: ResponseRecord }[] = [
  { name: "npm, below a fix, 3.1", record: sample({ vector: V31, cve: "CVE-2026-1001", affected: [{ ecosystem: "npm", package: "left-pad", range: "< 1.3.1" }], fixed: [{ ecosystem: "npm", package: "left-pad", version: "1.3.1" }] }) },
  { name: "maven, bounded range, 4.0", record: sample({ vector: V40, cve: "CVE-2026-1002", affected: [{ ecosystem: "maven", package: "org.x:core", range: ">= 4.18.0, < 4.18.2" }] }) },
  { name: "pip, last affected, 3.1 with environmental metrics", record: sample({ vector: "CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:N/E:P/MAV:N", cve: "CVE-2026-1003", affected: [{ ecosystem: "pip", package: "django-x", range: "<= 2.0.0" }] }) },
  { name: "rust, two ranges, 4.0 with threat", record: sample({ vector: `${V40}/E:P`, cve: "CVE-2026-10004", affected: [{ ecosystem: "rust", package: "tokio-x", range: ">= 1.0.0, < 1.2.3" }, { ecosystem: "rust", package: "tokio-x", range: ">= 2.0.0, < 2.0.1" }] }) },
  { name: "go, exact version", record: sample({ vector: V31, cve: "CVE-2026-1005", affected: [{ ecosystem: "go", package: "github.com/acme/widget", range: "= 1.4.0" }] }) },
  { name: "nuget, four-part versions (not semver)", record: sample({ vector: V31, cve: "CVE-2026-1006", affected: [{ ecosystem: "nuget", package: "Acme.Widget", range: ">= 4.18.0.0, < 4.18.2.1" }] }) },
  { name: "composer, open upper end", record: sample({ vector: V40, cve: "CVE-2026-1007", affected: [{ ecosystem: "composer", package: "acme/widget", range: ">= 3.0.0" }] }) },
  { name: "npm, pre-release fix, no CWE, no credits", record: sample({ vector: V31, cve: "CVE-2026-1008", cwes: [], credits: [], affected: [{ ecosystem: "npm", package: "@acme/widget", range: "< 2.0.0-rc.2" }] }) },
  { name: "rubygems and erlang, several credits", record: sample({ vector: V40, cve: "CVE-2026-1009", credits: [{ login: "octocat", type: "finder" }, { login: "hubot", type: "remediation_developer" }], affected: [{ ecosystem: "rubygems", package: "widget", range: "< 5.1" }, { ecosystem: "erlang", package: "widget_ex", range: "<= 0.9.9" }] }) },
  { name: "fixed only, severity without vector", record: sample({ severity: "high", cve: "CVE-2026-1010", fixed: [{ ecosystem: "pip", package: "acme", version: "1.0.post1" }] }) },
  { name: "go bounded range, 3.0 vector", record: sample({ vector: "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N", cve: "CVE-2026-1011", affected: [{ ecosystem: "go", package: "example.com/m", range: ">= 0.1.0, < 0.3.0" }] }) },
  { name: "actions and pub", record: sample({ vector: V31, cve: "CVE-2026-1012", affected: [{ ecosystem: "actions", package: "acme/setup-widget", range: "< 2" }, { ecosystem: "pub", package: "widget", range: "< 1.0.1" }] }) },
];

describe("the schemas themselves", () => {
  it("reject a broken record, so the checks below can fail", () => {
    expect(validateOsv({ id: "ACME-1", modified: "yesterday" })).toBe(false);
    const good = cveRecord(SAMPLES[0]!.record, CNA, "acme", facts) as any;
    const broken = structuredClone(good.json);
    broken.containers.cna.metrics[0].cvssV3_1.baseSeverity = "SEVERE";
    expect(validateCve(broken)).toBe(false);
  });
});

describe("OSV export", () => {
  it.each(SAMPLES)("$name is valid against the OSV schema", ({ record }) => {
    const osv = osvRecord(record, "x_ACME", facts);
    expect(validateOsv(osv), JSON.stringify(validateOsv.errors)).toBe(true);
    expect((osv.affected as unknown[]).length).toBeGreaterThan(0);
  });

  it("turns GitHub's range operators into introduced / fixed / last_affected events", () => {
    const osv = osvRecord(SAMPLES[1]!.record, "x_ACME", facts) as any;
    expect(osv.affected[0].ranges).toEqual([{ type: "ECOSYSTEM", events: [{ introduced: "4.18.0" }, { fixed: "4.18.2" }] }]);
    expect(osv.affected[0].package).toEqual({ ecosystem: "Maven", name: "org.x:core" });
    const lastAffected = osvRecord(SAMPLES[2]!.record, "x_ACME", facts) as any;
    expect(lastAffected.affected[0]).toMatchObject({ package: { ecosystem: "PyPI" }, ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { last_affected: "2.0.0" }] }] });
    const npm = osvRecord(SAMPLES[0]!.record, "x_ACME", facts) as any;
    expect(npm.affected[0].ranges).toEqual([{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "1.3.1" }] }]);
    const exact = osvRecord(SAMPLES[4]!.record, "x_ACME", facts) as any;
    expect(exact.affected[0]).toMatchObject({ package: { ecosystem: "Go" }, versions: ["1.4.0"] });
    expect(exact.affected[0].ranges).toBeUndefined();
  });

  it("keeps SEMVER to npm, Go and crates.io, and only for semver versions", () => {
    const rust = osvRecord(SAMPLES[3]!.record, "x_ACME", facts) as any;
    expect(rust.affected[0].package.ecosystem).toBe("crates.io");
    expect(rust.affected[0].ranges.map((r: any) => r.type)).toEqual(["SEMVER", "SEMVER"]);
    const nuget = osvRecord(SAMPLES[5]!.record, "x_ACME", facts) as any;
    expect(nuget.affected[0].ranges[0]).toEqual({ type: "ECOSYSTEM", events: [{ introduced: "4.18.0.0" }, { fixed: "4.18.2.1" }] });
    const ruby = osvRecord(SAMPLES[8]!.record, "x_ACME", facts) as any;
    expect(ruby.affected.map((a: any) => [a.package.ecosystem, a.ranges[0].type])).toEqual([["RubyGems", "ECOSYSTEM"], ["Hex", "ECOSYSTEM"]]);
  });

  it("takes its id from the GHSA, else the CVE, else the prefix, year and issue number", () => {
    const record = SAMPLES[0]!.record;
    expect(osvRecord({ ...record, ghsa: "GHSA-abcd-efgh-ijkl" }, "x_ACME", facts)).toMatchObject({ id: "GHSA-abcd-efgh-ijkl", aliases: ["CVE-2026-1001"] });
    expect(osvRecord(record, "x_ACME", facts).id).toBe("CVE-2026-1001");
    const bare = osvRecord({ ...record, cve: undefined }, "x_ACME", facts);
    expect(bare.id).toBe("x_ACME-2026-7");
    expect(validateOsv(bare)).toBe(true);
  });

  it("says what it could not express instead of inventing a bound", () => {
    const record = sample({ vector: V31, affected: [{ ecosystem: "npm", package: "a", range: "> 1.0.0, < 2.0.0" }, { ecosystem: "npm", package: "b", range: "< 3.0.0" }] });
    const osv = osvRecord(record, "x_ACME", facts) as any;
    expect(osv.affected.map((a: any) => a.package.name)).toEqual(["b"]);
    expect(osv.database_specific.not_expressed[0]).toContain("npm/a > 1.0.0, < 2.0.0");
  });
});

describe("CVE JSON 5 export", () => {
  it.each(SAMPLES)("$name is valid against the CVE JSON 5.1.1 schema", ({ record }) => {
    const result = cveRecord(record, CNA, "acme", facts);
    if (!result.ok) throw new Error(result.missing.join("; "));
    expect(validateCve(result.json), JSON.stringify(validateCve.errors?.slice(0, 3))).toBe(true);
  });

  it("carries the CVSS 3.1 or 4.0 vector, score and severity", () => {
    const v31 = cveRecord(SAMPLES[0]!.record, CNA, "acme", facts) as any;
    expect(v31.json.containers.cna.metrics[0].cvssV3_1).toEqual({ version: "3.1", vectorString: V31, baseScore: 9.1, baseSeverity: "CRITICAL" });
    const v40 = cveRecord(SAMPLES[1]!.record, CNA, "acme", facts) as any;
    expect(v40.json.containers.cna.metrics[0].cvssV4_0).toMatchObject({ version: "4.0", vectorString: V40, baseSeverity: "CRITICAL" });
    expect(v40.json.containers.cna.affected[0].versions).toEqual([{ version: "4.18.0", status: "affected", lessThan: "4.18.2", versionType: "maven" }]);
    expect(v40.json.containers.cna.problemTypes[0].descriptions[0].cweId).toBe("CWE-22");
  });

  it("says what is missing without a CVE or a CNA org id", () => {
    const result = cveRecord({ ...SAMPLES[0]!.record, cve: undefined }, undefined, "acme", facts);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.missing.join(" ")).toMatch(/CVE id.*cna_org_id/);
  });
});

describe("advisory fields", () => {
  const config = validateConfig({ components: { core: { repo: "acme/widget", package: { ecosystem: "npm", name: "widget" } } } });
  if (!config.ok) throw new Error("config");

  it("sends the vector when there is one, else the severity, with GitHub's ecosystem names", () => {
    const withVector = advisoryFields({ ...SAMPLES[3]!.record, components: ["core"] }, config.config, "text");
    expect(withVector).toMatchObject({ cvss_vector_string: `${V40}/E:P`, severity: null, cwe_ids: ["CWE-22"], cve_id: "CVE-2026-10004" });
    expect(withVector.vulnerabilities.map((v) => [v.package.ecosystem, v.package.name, v.vulnerable_version_range])).toEqual([
      ["rust", "tokio-x", ">= 1.0.0, < 1.2.3"], ["rust", "tokio-x", ">= 2.0.0, < 2.0.1"], ["npm", "widget", null],
    ]);
    const severityOnly = advisoryFields(SAMPLES[9]!.record, config.config, "text");
    expect(severityOnly).toMatchObject({ severity: "high", cvss_vector_string: null });
    expect(severityOnly.vulnerabilities).toEqual([{ package: { ecosystem: "pip", name: "acme" }, vulnerable_version_range: "< 1.0.post1", patched_versions: "1.0.post1" }]);
  });

  it("fills the /announce config defaults", () => {
    expect(config.config).toMatchObject({ osv_prefix: "x_EMBARGO", disclosure_branch: "embargo/disclosure-{id}", public_issue: false, changelog: [{ path: "CHANGES.md", template: "changes-entry" }, { path: "NEWS.md", template: "news-entry" }] });
  });
});
