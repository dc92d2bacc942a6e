import type { CommandAction } from "./command.js";

/** The action a triage decision asks for on a response opened from a private report, if any. */
export function advisoryStateAction(record: { ghsa?: string; advisory_state?: string }, state: "draft" | "closed"): CommandAction[] {
  if (!record.ghsa || !record.advisory_state || record.advisory_state === state || record.advisory_state === "closed") return [];
  return [{ kind: "advisory.state", state }];
}
