import { advisoryRepo, DESCRIPTION_MAX_TEXT } from "../announce/advisory-fields.js";
import { announceView, reporterInPackView, type AnnounceFacts } from "../announce/announce-view.js";
import { fenced, unescapeHtml } from "../announce/pack.js";
import { forcedGates, gatesPass, publishGates } from "../announce/publish-gates.js";
import { PUBLISH_STEPS, stepDone } from "../announce/publish-steps.js";
import type { EmbargoConfig } from "../config/config-schema.js";
import type { ResponseRecord } from "../record/response-record.js";
import { renderTemplate, trusted } from "../render/templates.js";
import { announceCtx } from "../github/announce-run.js";
import type { KeyRing } from "../security/key-ring.js";

/** The facts the app derives for the sample issue, acme/security#7, as announceCtx derives them. */
export function sampleFacts(record: ResponseRecord, config: EmbargoConfig, now: Date, keys: KeyRing): AnnounceFacts {
  const issue = { owner: "acme", repo: "security", issue_number: 7 };
  const state = { comments: [], botLogin: "embargo[bot]", labels: [], assignees: [], open: true };
  const issueData = { title: "Path traversal in the upload endpoint", html_url: "https://github.com/acme/security/issues/7", user: { login: "reporter" } };
  return announceCtx({ issue, config, record, state, overrides: async () => null, now, keys, issueData, key: "preview" }).facts;
}

/** The announce templates whose view is `announceView` as it stands (src/announce/pack.ts, announce-issues.ts, announce-changelog.ts). */
const ANNOUNCE_VIEW_TEMPLATES = ["advisory-description", "announce-dev-list", "announce-users-list", "security-page", "full-disclosure", "distributors", "changes-entry", "news-entry", "public-issue"];

/** Step details the real preview reads from GitHub (default branches, CHANGES files): sample text here. */
const SAMPLE_STEP_DETAILS: Record<string, string> = {
  advisory: "Publish the draft advisory on acme/product.",
  changelog: "On acme/product: a disclosure branch off `main`, then one pull request with `CHANGES.md` and `NEWS.md`.",
  unembargo: "The un-embargo checklist posted here.",
  reporter: "reporter is told in this issue, with the advisory's links.",
  announced: "State → announced, label `security: announced`, this issue closed as completed.",
  process_review: 'Issue "Process review: #7" opened in this repository.',
};

/**
 * The view each /announce template gets, built as the app builds it; undefined for a template
 * that is not an announce one.
 */
export async function sampleAnnounceView(name: string, record: ResponseRecord, config: EmbargoConfig, now: Date, keys: KeyRing): Promise<object | undefined> {
  const facts = sampleFacts(record, config, now, keys);
  if (ANNOUNCE_VIEW_TEMPLATES.includes(name)) return announceView(record, config, facts);
  switch (name) {
    case "announce-pack": {
      // As renderPack: each mail rendered, unescaped and fenced, one section each.
      const view = announceView(record, config, facts);
      const mail = async (template: string) => fenced(unescapeHtml((await renderTemplate(template, view)).text), "text");
      const sections = [
        { title: "Mail to the dev list", body: await mail("announce-dev-list") },
        { title: "Security alerts page entry", body: await mail("security-page") },
      ];
      return { ...view, published: false, sections: sections.map((s) => ({ title: s.title, body: trusted(s.body) })) };
    }
    case "announce-preview": {
      // As src/github/announce-preview.ts, with sample step details.
      const gates = publishGates(record, config, now);
      return {
        now: now.toISOString().slice(0, 16).replace("T", " "),
        gates,
        ready: gatesPass(gates),
        forceable: !gatesPass(gates) && gatesPass(publishGates(record, config, now, true)),
        steps: PUBLISH_STEPS.map((s, i) => ({ number: i + 1, title: s.title, done: stepDone(record, s.id), details: `   ${SAMPLE_STEP_DETAILS[s.id] ?? ""}` })),
      };
    }
    case "announce-draft-reply":
      return { created: true, ghsa: record.ghsa, repo: record.advisory?.repo, advisory_url: facts.advisoryUrl, overwritten: [], cve_found: record.cve, cve_unasked: undefined, release_managers: config.release_managers };
    case "announce-forced":
      return { by: "triager-1", reason: "the fix is already public in the upstream project", gates: ["Embargo end reached"], plural: false };
    case "unembargo":
      return { advisory_url: facts.advisoryUrl, pull_requests: ["https://github.com/acme/product/pull/44"], public_issue: config.public_issue ? "https://github.com/acme/product/issues/45" : undefined };
    case "reporter-published":
      // As runPublish: the reporter is named when they can read the issue.
      return { reporter: record.credits.find((c) => c.type === "reporter")?.login ?? facts.reporter, advisory_url: facts.advisoryUrl, cve: record.cve };
    case "cve-requested":
      return { ghsa: record.ghsa };
    case "advisory-cut":
      // As writeAdvisory (src/github/announce-advisory.ts): the line after a description cut to GitHub's limit.
      return { limit: DESCRIPTION_MAX_TEXT };
    case "changelog-branch-taken":
      // As runPublish: someone else's open PR from the disclosure branch.
      return { repo: "acme/product", branch: "embargo/disclosure-GHSA-abcd-4q2w-9x8v", taken: ["https://github.com/acme/product/pull/46"], foreign: undefined };
    // GitHub Enterprise Server (no repository security advisories): `/announce`, `/announce cve`.
    case "announce-no-advisories":
      return { repo: advisoryRepo(record, config) };
    case "announce-cve-elsewhere":
      return {};
    case "announce-no-repo":
      // As draft (src/commands/announce/draft.ts), for a response whose one component has no `repo`.
      return { components: ["docs"] };
    case "reporter-in-pack":
      return reporterInPackView(record.credits.find((c) => c.type === "reporter")?.login ?? facts.reporter ?? "", "embargo[bot]");
    case "process-review": {
      // As openProcessReview (src/github/announce-issues.ts).
      const published = now.toISOString().slice(0, 10);
      return {
        ...announceView(record, config, facts),
        confirmed: record.ticks["triage.decision"]?.at.slice(0, 10),
        fix_merged: record.ticks["fix.patch"]?.at.slice(0, 10),
        published,
        forced: record.forced,
        ...forcedGates(record.forced),
        held: Boolean(record.embargo_end && published >= record.embargo_end),
      };
    }
    default:
      return undefined;
  }
}
