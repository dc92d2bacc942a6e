import { branchTargets, pendingBranches, targetPatched } from "../checklist/checklist-items.js";
import type { EmbargoConfig } from "../config/config-schema.js";
import type { ResponseRecord } from "../record/response-record.js";

export const NO_REFERENCE = "fix.no_reference";

/**
 * Whether the linked PRs' wording holds: at least one PR linked and every public one passed its
 * last wording check (`leaks === 0`). Undefined without PRs: then the app has nothing to judge.
 */
export function wordingHolds(record: ResponseRecord): boolean | undefined {
  if (!record.prs.length) return undefined;
  return record.prs.every((pr) => pr.private || pr.leaks === 0);
}

/**
 * Ticks the app derives from the record itself, so whoever updates `prs` gets them right:
 * "Commits do not refer to the vulnerability" follows the wording checks both ways (the one box
 * the app unticks), and a "patched on" box is ticked when a linked PR into it merged, unless a
 * person unticked it since.
 */
export function settleTicks(record: ResponseRecord, config: EmbargoConfig, now: Date): ResponseRecord {
  const ticks = { ...record.ticks };
  const at = now.toISOString();
  const holds = wordingHolds(record);
  if (holds === true) ticks[NO_REFERENCE] ??= { by: "app", at };
  if (holds === false) delete ticks[NO_REFERENCE];
  for (const target of branchTargets(record, config)) {
    if (!ticks[target.id] && !record.unticked?.[target.id] && targetPatched(target, record)) ticks[target.id] = { by: "app", at };
  }
  return { ...record, ticks };
}

/**
 * The state after a person ticked or unticked "patched on" boxes: every branch patched makes a
 * confirmed or fixing response fixed; a box unticked again makes it fixing (or confirmed, with
 * no PR). Other states are decided by commands and PR events, not by boxes.
 */
export function stateFromBoxes(record: ResponseRecord, config: EmbargoConfig): ResponseRecord {
  const pending = pendingBranches(record, config).length;
  if ((record.state === "confirmed" || record.state === "fixing") && !pending) return { ...record, state: "fixed" };
  if (record.state === "fixed" && pending) return { ...record, state: record.prs.length ? "fixing" : "confirmed" };
  return record;
}
