import type { Visibility } from "./event-scope.js";

export interface BlockDetail {
  /** What was stopped: `POST /repos/{owner}/{repo}/check-runs`, or the effects a handler decided. */
  request: string;
  /** `owner/repo`, or what the write could not be tied to. */
  target: string;
  visibility: Visibility;
  /** Where in the request: "the URL", "the body field `output.summary`", "the header `x-y`"… */
  place: string;
  /** Which rule: "names the CVE id", "repeats the security issue's title"… */
  rule: string;
  /** The security issue whose secret it was (`owner/repo#n`): for the reply and the log only. */
  issue: string;
}

/**
 * A write the leak firewall stopped before it left. The message names the request, the target,
 * the place and the rule, never the secret nor the issue (a failed delivery's error can be read
 * by the app's owners in its delivery log).
 */
export class LeakBlocked extends Error {
  override readonly name = "LeakBlocked";

  constructor(readonly detail: BlockDetail) {
    super(`leak firewall blocked ${detail.request} to ${detail.target} (${describeVisibility(detail.visibility)}): ${detail.place} ${detail.rule}`);
  }
}

export function describeVisibility(v: Visibility): string {
  if (v === "unknown") return "visibility could not be read, so treated as public";
  if (v === "internal") return "internal repository, readable by the whole enterprise";
  return `${v} repository`;
}
