import type { EmbargoConfig } from "../config/config-schema.js";
import { checklistFor, PHASES } from "../checklist/checklist-items.js";
import { itemMarker, recordMarker, RESPONSE_MARKER } from "../record/markers.js";
import type { ResponseRecord } from "../record/response-record.js";
import { renderTemplate, trusted, type OverrideSource } from "../render/templates.js";

export const STATE_TITLES: Record<ResponseRecord["state"], string> = {
  triage: "Triage",
  confirmed: "Confirmed",
  fixing: "Fixing",
  fixed: "Fixed",
  announced: "Announced",
  invalid: "Closed: invalid",
  "no-action": "Closed: no action needed",
};

function rotationNotes(record: ResponseRecord): string[] {
  const skipped = record.rotation_skipped ?? [];
  if (!skipped.length) return [];
  const who = skipped.map((l) => `@\u200b${l}`).join(", ");
  return [
    record.triager
      ? `Skipped in the triage rotation because GitHub would not assign them (not a collaborator?): ${who}.`
      : `Nobody in the triage rotation could be assigned (not collaborators?): ${who}. Assign a triager by hand.`,
  ];
}

/** Lines shown under the status table: derived from record and config, so every render agrees. */
function responseNotes(record: ResponseRecord, config: EmbargoConfig): string[] {
  const notes = rotationNotes(record);
  if (config.notify_team && config.team) notes.unshift(`@${config.team}: a new security report needs triage.`);
  return notes;
}

/** What the response shows of the issue itself: reporter's words, neutralized before rendering. */
export interface ReportFacts {
  title: string;
  reporter: string;
}

/** The view every response template gets; documented in the README for people who override it. */
export function responseView(record: ResponseRecord, config: EmbargoConfig, report: ReportFacts) {
  const items = checklistFor(config);
  const phases = PHASES.map((phase) => ({
    title: phase.title,
    items: items
      .filter((i) => i.phase === phase.id)
      .map((i) => ({
        id: i.id,
        done: Boolean(record.ticks[i.id]),
        text: trusted(i.text),
        how: i.how ? trusted(i.how) : undefined,
        marker: trusted(itemMarker(i.id)),
      })),
  }));
  const pendingBranches = config.supported_branches.filter((b) => !record.patched.includes(b));
  return {
    record,
    title: report.title.slice(0, 256),
    reporter: report.reporter,
    state: STATE_TITLES[record.state],
    severity: record.severity,
    cvss: record.cvss,
    embargo_end: record.embargo_end,
    triager: record.triager,
    cve: record.cve,
    cwes: record.cwes,
    components: record.components,
    reported: record.reported_at,
    prs: record.prs.map((pr) => ({ ...pr, ref: `${pr.repo}#${pr.number}` })),
    patched: record.patched,
    pending_branches: pendingBranches,
    team: config.team,
    phases,
    notes: responseNotes(record, config).map((n) => trusted(n)),
  };
}

/** The whole response comment: template output framed by the markers the app needs to find it again. */
export async function renderResponse(
  record: ResponseRecord,
  config: EmbargoConfig,
  report: ReportFacts,
  overrides?: OverrideSource,
): Promise<string> {
  const view = responseView(record, config, report);
  const { text, overrideError } = await renderTemplate("response", view, overrides);
  const problem = overrideError ? `\n\n> [!WARNING]\n> ${overrideError}` : "";
  return `${RESPONSE_MARKER}\n${text}${problem}\n\n${recordMarker(record)}`;
}
