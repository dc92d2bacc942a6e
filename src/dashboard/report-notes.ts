import { neutralize } from "../render/neutralize.js";
import { cut } from "../util/cut.js";
import { REPORT_PROBLEMS, type DashboardIndex, type ReportProblem } from "./dashboard-index.js";

const NOTES_SHOWN = 10;

/** The index's report problems, each checked: the index is the app's, but read as data. */
export function problemsOf(index: DashboardIndex): ReportProblem[] {
  const list = index[REPORT_PROBLEMS];
  if (!Array.isArray(list)) return [];
  return list.filter((p): p is ReportProblem => typeof p?.repo === "string" && typeof p?.problem === "string" && typeof p?.on === "string" && (p.from === "tick" || p.from === "report"));
}

/** One code span for a dashboard note: someone else's text (a repo, a reason, a feed's error) can neither ping, hide a marker, nor leave the note. */
export const span = (text: string) => `\`${cut(neutralize(text).replace(/[`\r\n]/g, " "), 200)}\``;

/** The dashboard's notes for them: which repo, why, what to do; never a report's id or words. */
export function reportNotes(index: DashboardIndex): string[] {
  return problemsOf(index)
    .slice(0, NOTES_SHOWN)
    .map((p) =>
      p.from === "tick"
        ? `Private vulnerability reports on ${span(p.repo)} wait in triage with no response here: ${span(p.problem)}. Fix that config; the next tick opens them.`
        : `A private vulnerability report on ${span(p.repo)} was sent to this repository (${p.on}), but ${span(p.problem)}: no response was opened. If ${span(p.repo)} is yours, add it as a component's \`repo\` in \`.github/embargo.yml\`; the next tick opens its reports still in triage.`,
    );
}
