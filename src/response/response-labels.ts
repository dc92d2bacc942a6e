import type { ResponseRecord } from "../record/response-record.js";
import { labelEffects, SEVERITY_LABEL_PREFIX, STATE_LABEL_PREFIX, type Effects } from "./effects.js";

/** The labels a private security issue should carry for its record: its state and its severity. */
export function responseLabels(current: string[], record: ResponseRecord): Pick<Effects, "addLabels" | "removeLabels"> {
  const desired = [`${STATE_LABEL_PREFIX}${record.state}`];
  if (record.severity) desired.push(`${SEVERITY_LABEL_PREFIX}${record.severity}`);
  // `/triage breach`: shown beside the state label until the response ends, so the list shows it.
  if (record.breach) desired.push(`${STATE_LABEL_PREFIX}breach`);
  return labelEffects(current, desired, [STATE_LABEL_PREFIX, SEVERITY_LABEL_PREFIX]);
}
