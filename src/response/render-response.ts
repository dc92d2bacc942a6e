import type { EmbargoConfig } from "../config/config-schema.js";
import type { IssueRef } from "../github/issue-comments.js";
import { RESPONSE_MARKER } from "../record/markers.js";
import { fitRecord } from "../record/record-budget.js";
import type { ResponseRecord } from "../record/response-record.js";
import { renderTemplate, type OverrideSource } from "../render/templates.js";
import type { KeyRing } from "../security/key-ring.js";
import { responseView, type ReportFacts } from "./response-view.js";
import { settleTicks } from "./settle-ticks.js";
import { COMMENT_LIMIT, LEVELS, RECORD_BUDGET } from "./view-budget.js";

export { STATE_TITLES, responseView, type ReportFacts } from "./response-view.js";

/** What rendering needs besides the record: the keys that sign it, its issue, the clock (days left). */
export interface RenderContext {
  keys: KeyRing;
  issue: IssueRef;
  now: Date;
}

/** Room kept for the framing and a warning line, so the total never reaches the limit. */
const SLACK = 600;

/**
 * The whole response comment: template output framed by the markers the app needs to find it
 * again, and the signed record. Derived ticks are settled first, so the boxes and the record agree.
 * Under GitHub's limit by construction: the record has its budget, and the view takes the first
 * level of detail whose output fits the rest (a repo's override that cannot fit falls back to the
 * built-in template at its tightest level, which is bounded).
 */
export async function renderResponse(
  record: ResponseRecord,
  config: EmbargoConfig,
  report: ReportFacts,
  overrides: OverrideSource | undefined,
  context: RenderContext,
): Promise<string> {
  // The ladder may render several times: read the repo's override once.
  const cached = new Map<string, Promise<string | null>>();
  const source: OverrideSource | undefined = overrides && ((name) => cached.get(name) ?? (cached.set(name, overrides(name)), cached.get(name)!));
  const settled = settleTicks(record, config, context.now);
  const { record: fitted, marker } = fitRecord(settled, context.keys, context.issue, RECORD_BUDGET);
  const room = COMMENT_LIMIT - marker.length - RESPONSE_MARKER.length - SLACK;
  let body = "";
  for (const [level, caps] of LEVELS.entries()) {
    const last = level === LEVELS.length - 1;
    const view = responseView(fitted, config, report, context.now, caps);
    const { text, overrideError } = await renderTemplate("response", view, source);
    let problem = overrideError ? `\n\n> [!WARNING]\n> ${overrideError}` : "";
    body = `${text}${problem}`;
    if (body.length <= room) break;
    if (last) {
      const builtin = await renderTemplate("response", view);
      problem = overrides ? "\n\n> [!WARNING]\n> The repository's `response` template produced more than a comment can hold; the built-in one was used." : "";
      body = `${builtin.text.slice(0, room - problem.length)}${problem}`;
    }
  }
  return `${RESPONSE_MARKER}\n${body}\n\n${marker}`;
}
