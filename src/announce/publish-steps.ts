import type { ResponseRecord } from "../record/response-record.js";

/** The publish steps in order; each is recorded in `record.publish_steps` when done, never done twice. */
export const PUBLISH_STEPS = [
  { id: "advisory", title: "Publish the advisory" },
  { id: "changelog", title: "Open the CHANGES/NEWS pull request on each product repo" },
  { id: "unembargo", title: "Post the un-embargo checklist" },
  { id: "reporter", title: "Tell the reporter" },
  { id: "announced", title: "Mark the response announced and close this issue" },
  { id: "process_review", title: "Open the process-review issue" },
] as const;

export type StepId = (typeof PUBLISH_STEPS)[number]["id"];

export function stepDone(record: ResponseRecord, id: string): boolean {
  return Boolean(record.publish_steps?.[id]);
}

export function stepsLeft(record: ResponseRecord): StepId[] {
  return PUBLISH_STEPS.map((s) => s.id).filter((id) => !stepDone(record, id));
}

export function markStep(record: ResponseRecord, id: string, now: Date): ResponseRecord {
  return { ...record, publish_steps: { ...record.publish_steps, [id]: now.toISOString() } };
}

/** The disclosure branch for a response, from config `disclosure_branch` (`{id}`: GHSA id or issue number). */
export function disclosureBranch(template: string, record: ResponseRecord, issueNumber: number): string {
  const id = record.ghsa ?? String(issueNumber);
  return template.replace(/\{id\}/g, id).replace(/[^A-Za-z0-9._/-]/g, "-");
}
