import type { EmbargoConfig } from "../config/config-schema.js";
import { daysLeft } from "../dashboard/decide-dashboard.js";
import { CLOSED_STATES, type ResponseRecord } from "../record/response-record.js";

/** A linked PR as the tick found it on GitHub. */
export interface WaitingPr {
  ref: string; // owner/repo#n
  /** Since when it waits for review: the PR's creation (GitHub keeps no time of a review request). */
  since: string;
  reviewers: string[];
}

export interface ReminderFacts {
  now: Date;
  assignees: string[];
  waiting: WaitingPr[];
}

export interface Reminder {
  /** Once per key: recorded in the record's `reminders`, and hidden in the comment (`reminder-<key>`). */
  key: string;
  view: { kind: "triage" | "embargo-warning" | "embargo-passed" | "review"; mentions: string[]; hours?: number; days?: number; embargo_end?: string; pr?: string };
}

const HOUR = 3_600_000;
const unique = (list: (string | undefined)[]) => [...new Map(list.filter((x): x is string => Boolean(x)).map((x) => [x.toLowerCase(), x])).values()];

/**
 * The reminders due for one response and not yet posted. Keys name the condition (an embargo
 * moved to a new date is a new condition; the same date never reminds twice).
 */
export function decideReminders(record: ResponseRecord, config: EmbargoConfig, facts: ReminderFacts): Reminder[] {
  if (CLOSED_STATES.includes(record.state)) return [];
  const { now } = facts;
  const r = config.reminders;
  const owner = record.triager ?? facts.assignees[0];
  const base = owner ? [owner] : config.team ? [config.team] : [];
  const due: Reminder[] = [];
  if (record.state === "triage" && now.getTime() - Date.parse(record.opened_at) >= r.triage_hours * HOUR) {
    due.push({ key: "triage", view: { kind: "triage", mentions: base, hours: r.triage_hours } });
  }
  if (record.embargo_end) {
    const left = daysLeft(record.embargo_end, now);
    if (left >= 0 && left <= r.embargo_warning_days) {
      due.push({ key: `embargo-warning:${record.embargo_end}`, view: { kind: "embargo-warning", mentions: unique([...base, ...config.release_managers]), days: left, embargo_end: record.embargo_end } });
    } else if (left < 0) {
      due.push({ key: `embargo-passed:${record.embargo_end}`, view: { kind: "embargo-passed", mentions: unique([...base, config.team]), embargo_end: record.embargo_end } });
    }
  }
  for (const pr of facts.waiting) {
    if (now.getTime() - Date.parse(pr.since) <= r.review_hours * HOUR) continue;
    due.push({ key: `review:${pr.ref}`, view: { kind: "review", mentions: pr.reviewers.length ? unique(pr.reviewers) : base, hours: r.review_hours, pr: pr.ref } });
  }
  return due.filter((d) => !record.reminders?.[d.key]);
}
