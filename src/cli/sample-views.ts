import type { EmbargoConfig } from "../config/config-schema.js";
import { validateConfig } from "../config/load-config.js";
import { helpView } from "../commands/help-view.js";
import { newRecord, type ResponseRecord } from "../record/response-record.js";
import { responseView } from "../response/render-response.js";
import { trusted } from "../render/templates.js";
import { LEVELS } from "../response/view-budget.js";

export const SAMPLE_REPORT = { title: "Path traversal in the upload endpoint", reporter: "reporter" };

/** A config with every list filled, so a preview shows each part of a template. */
export function sampleConfig(): EmbargoConfig {
  const result = validateConfig({
    team: "acme/security-team",
    release_managers: ["release-manager"],
    supported_branches: ["main", "4.19"],
    components: { api: { repo: "acme/product", owners: ["api-owner"] } },
  });
  if (!result.ok) throw new Error(`the sample config is invalid: ${result.problems.join("; ")}`);
  return result.config;
}

/** A response part-way through: rated, confirmed, one fix merged on one of two branches. */
export function sampleRecord(now: Date): ResponseRecord {
  return {
    ...newRecord(new Date("2026-11-20T09:30:00Z"), now),
    state: "fixing",
    triager: "triager-1",
    severity: "high",
    cvss: { version: "3.1", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", score: 7.5 },
    embargo_end: "2026-12-10",
    components: ["api"],
    affected: [{ ecosystem: "npm", package: "acme-api", range: "<4.19.3" }],
    cwes: ["CWE-22"],
    cve: "CVE-2026-12345",
    credits: [{ login: "reporter", type: "finder" }],
    experts: ["api-owner"],
    reason: "the endpoint only serves files the caller may already read",
    prs: [
      { repo: "acme/product", number: 42, state: "merged", review: "approved", base: "main", private: false },
      { repo: "acme/product", number: 43, state: "open", review: "pending", base: "4.19", private: false },
    ],
    patched: ["main"],
    ticks: Object.fromEntries(["intake.tracked", "intake.triager", "triage.decision"].map((id) => [id, { by: "app", at: now.toISOString() }])),
  };
}

/**
 * The view the app gives each built-in template, filled from the record and config. A template
 * with no entry here (a new one) gets the response view, which carries the whole record.
 */
export function sampleView(name: string, record: ResponseRecord, config: EmbargoConfig, now: Date): object | undefined {
  switch (name) {
    case "response":
      return responseView(record, config, SAMPLE_REPORT, now, LEVELS[0]!);
    case "help":
      return helpView();
    case "invalid-reply":
      return { reporter: SAMPLE_REPORT.reporter, reason: record.reason ?? "not reproducible" };
    case "release-managers":
      return { release_managers: config.release_managers };
    case "experts":
      return { experts: record.experts.length ? record.experts : ["expert"] };
    case "public-notice":
      return { transferred: false, report_instructions: config.report_instructions, advisory_url: "https://github.com/acme/product/security/advisories/new" };
    case "config-error":
      return { file: "embargo.yml", label: config.label, problems: [trusted('`team` must be a team as "org/team-slug"')] };
    case "command-errors":
      return { failures: [{ text: "/triage cvss 9.8", error: trusted("`9.8` is not a CVSS vector: give the vector, e.g. `CVSS:3.1/AV:N/…`"), usage: trusted("/triage cvss <vector>") }] };
    default:
      return undefined;
  }
}
