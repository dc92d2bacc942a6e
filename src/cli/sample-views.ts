import type { EmbargoConfig } from "../config/config-schema.js";
import { validateConfig } from "../config/load-config.js";
import { helpView } from "../commands/help-view.js";
import { newRecord, type ResponseRecord } from "../record/response-record.js";
import { responseView } from "../response/render-response.js";
import { trusted } from "../render/templates.js";
import { LEVELS } from "../response/view-budget.js";
import { errorsView, safeText } from "../commands/error-summary.js";
import { parseCommands } from "../commands/parse-commands.js";
import { findCommand } from "../commands/registry.js";
import { neutralize } from "../render/neutralize.js";
import type { KeyRing } from "../security/key-ring.js";
import { sampleAnnounceView } from "./sample-announce-views.js";
import { leakBlockedView } from "../github/with-firewall.js";
import { RULES } from "../security/leak-secrets.js";
import { rowOf } from "../dashboard/dashboard-index.js";
import { dashboardView } from "../dashboard/decide-dashboard.js";
import { notesView } from "../dashboard/notes-warning.js";

function sampleDashboardView(record: ResponseRecord, config: EmbargoConfig, now: Date) {
  const row = rowOf(record, config, { n: 7, url: "https://github.com/acme/security/issues/7", title: SAMPLE_REPORT.title }, now);
  const closed = { ...row, n: 5, url: "https://github.com/acme/security/issues/5", state: "announced" as const, closed_on: now.toISOString().slice(0, 10) };
  return dashboardView([row], [closed], 0, { now, title: config.dashboard.title, label: config.label });
}

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
    ghsa: "GHSA-4v2p-8xq3-m7c9",
    advisory: { repo: "acme/product", url: "https://github.com/acme/product/security/advisories/GHSA-4v2p-8xq3-m7c9" },
    summary: "Path traversal in the upload endpoint",
    description: "A crafted file name lets an authenticated user write files outside the upload directory.",
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
 * The view the app gives each built-in template, built as the app builds it (the place is named
 * where the view is written inline there). A template with no entry here (a new one) gets the
 * response view, which carries the whole record.
 */
export async function sampleView(name: string, record: ResponseRecord, config: EmbargoConfig, now: Date, keys: KeyRing): Promise<object | undefined> {
  const announce = await sampleAnnounceView(name, record, config, now, keys);
  if (announce) return announce;
  const who = config.team ? `members of the ${config.team} team` : "people with the admin or maintain role on this repository";
  switch (name) {
    case "response":
      return responseView(record, config, SAMPLE_REPORT, now, LEVELS[0]!);
    case "help":
      return helpView();
    case "invalid-reply":
      return { reporter: SAMPLE_REPORT.reporter, reason: record.reason ?? "not reproducible" };
    case "release-managers":
      return { release_managers: config.release_managers };
    case "breach":
      return { contacts: config.incident_contacts.length ? config.incident_contacts : ["acme/incident-response"], actor: "alice", note: "Access logs show the endpoint was used from an unknown address." };
    case "advisory-intake":
      // As intakeView (src/handlers/intake-body.ts).
      return {
        repo: "acme/product", ghsa: "GHSA-4v2p-8xq3-m7c9", advisory_url: "https://github.com/acme/product/security/advisories/GHSA-4v2p-8xq3-m7c9", state: "triage",
        reporter: "@\u200breporter", summary: SAMPLE_REPORT.title, packages: ["npm/acme-api < 4.19.3"], severity: "high",
        cvss: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", cwes: ["CWE-22"], description: ["A crafted file name writes outside the upload directory."],
      };
    case "feed-entry":
      // As openFeedIssue (src/github/feed-issue.ts).
      return {
        cve: "CVE-2026-12345", title: "acme-api: path traversal in upload", link: "https://nvd.example/vuln/detail/CVE-2026-12345",
        summary: "A crafted file name lets an authenticated user write outside the upload directory.", published: "2026-11-21",
        feed: "https://nvd.example/feeds/recent.xml", matched: ["acme-api"],
      };
    case "gate-held":
      // As tellGateHeld (src/handlers/sync-pr.ts).
      return { pr: "acme/product#42" };
    case "experts":
      return { experts: record.experts.length ? record.experts : ["expert"] };
    case "public-notice":
      return { transferred: false, report_instructions: config.report_instructions, advisory_url: "https://github.com/acme/product/security/advisories/new" };
    case "config-error":
      // As reportConfigProblems (src/handlers/response-context.ts).
      return { file: "embargo.yml", label: config.label, retry_command: false, problems: [trusted(neutralize('`team` must be a team as "org/team-slug"'))] };
    case "command-errors": {
      const [line] = parseCommands("Rated it.\n\n/triage cvss 9.8");
      return errorsView([{ line: line!, error: "`9.8` is not a CVSS vector: give the vector, e.g. `CVSS:3.1/AV:N/…`", usage: findCommand("triage", "cvss")?.usage }]);
    }
    case "action-failed":
      // As failedReply (src/handlers/command-run.ts).
      return { line: "/triage assign api-owner", problem: safeText("GitHub answered 422 Validation Failed") };
    case "link-failed":
      return { ref: "acme/product#44", reason: "unseen", author: "alice", repo: "acme/product", detail: undefined };
    case "close-undone":
      return { actor: "alice", who };
    case "review-refused":
      // As tellReviewRefused (src/handlers/review-refused.ts).
      return { who: ["owner1", "the team core"], denied: [], pr: "acme/product#42", repo: "acme/product" };
    case "close-cut-short":
      // As tellCloseCutShort (src/handlers/unhandled-close.ts): nothing to fill in.
      return {};
    case "closed-by-keyword":
      // As undoKeywordClose (src/handlers/issue-closed.ts).
      return { actor: "alice", commit: "4f2a9c1d0b7e" };
    case "command-refused":
      return { actor: "alice", who };
    case "damaged-record":
      return { restored: true, editor: "@alice" };
    case "edited-by-other":
      return { editor: "@alice", author: "@bob" };
    case "edited-unattributed":
      // As unattributedReply (src/handlers/commands.ts).
      return { editors: ["@alice"], unknown: false, lines: ["/triage confirm"], author: "@bob" };
    case "no-response":
      return { label: config.label };
    case "pr-conversation":
      return { ref: "acme/security#7" };
    case "leak-blocked":
      return leakBlockedView({ request: "POST /repos/{owner}/{repo}/check-runs", target: "acme/product", visibility: "public", place: "the body field `output.summary`", rule: RULES.cve, issue: "acme/security#7" }, "pull_request_review.submitted");
    case "dashboard":
      return sampleDashboardView(record, config, now);
    case "dashboard-notes-too-long":
      // As warnNotesTooLong (src/dashboard/notes-warning.ts).
      return notesView({ notes: 65_210, block: 612 }, config);
    case "reminder":
      return { kind: "embargo-warning", mentions: [record.triager ?? "triager", ...config.release_managers], embargo_end: record.embargo_end, days: 3 };
    case "unassignable":
      return { people: record.experts.map((l) => `@${l}`) };
    default:
      return undefined;
  }
}
