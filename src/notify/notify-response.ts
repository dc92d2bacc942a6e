import type { EmbargoConfig } from "../config/config-schema.js";
import type { PendingNotice, ResponseRecord } from "../record/response-record.js";
import { notify, notifyConfigured, type NotifyDeps, type NotifyEvent } from "./notify.js";

/** Keys of messages sent, and messages waiting for a retry: both bounded, so the record stays small. */
const MAX_NOTIFIED = 30;
const MAX_PENDING = 10;

/** The issue a response lives in. */
export interface NoticeTarget {
  repo: string;
  number: number;
  url?: string;
}

export type NewNotice = Pick<NotifyEvent, "kind" | "login">;

/** A message is sent once per key: the same triager twice, or a redelivered confirm, say nothing new. */
export function noticeKey(notice: NewNotice, record: ResponseRecord): string {
  if (notice.kind === "triaging") return `triaging:${(notice.login ?? "").toLowerCase()}`;
  if (notice.kind === "overdue") return `overdue:${record.embargo_end ?? ""}`;
  return notice.kind;
}

/** What a change of record is worth telling the channel: a new owner, a confirmation, the announcement. */
export function noticesFor(before: ResponseRecord | undefined, after: ResponseRecord): NewNotice[] {
  const out: NewNotice[] = [];
  if (after.triager && after.triager !== before?.triager) out.push({ kind: "triaging", login: after.triager });
  if (after.confirmed && !before?.confirmed) out.push({ kind: "confirmed", login: after.confirmed.by });
  if (after.state === "announced" && before?.state !== "announced") out.push({ kind: "announced" });
  return out;
}

function eventOf(notice: NewNotice, target: NoticeTarget, record: ResponseRecord, title?: string): NotifyEvent {
  return {
    ...notice,
    ...target,
    // Announced without a GitHub advisory (no component repo, or GHES): the message does not claim one.
    ...(notice.kind === "announced" ? { advisory: Boolean(record.ghsa) } : {}),
    details: { title, cve: record.cve, components: record.components, severity: record.severity, embargo_end: record.embargo_end },
  };
}

/**
 * Sends the new notices and retries the pending ones; returns the record with what was sent and
 * what is still waiting, to be written with the response in the same update. Sends nothing and
 * changes nothing when no webhook is configured.
 */
export async function notifyResponse(
  deps: NotifyDeps | undefined,
  config: EmbargoConfig,
  target: NoticeTarget,
  record: ResponseRecord,
  notices: NewNotice[],
  title?: string,
): Promise<ResponseRecord> {
  const pending = record.notify_pending ?? [];
  if (!deps || (!notices.length && !pending.length) || !notifyConfigured(deps, config)) return record;
  const sent = new Set(record.notified ?? []);
  const queue: PendingNotice[] = [...pending];
  for (const notice of notices) {
    const key = noticeKey(notice, record);
    if (sent.has(key) || queue.some((p) => p.key === key)) continue;
    queue.push({ key, event: { kind: notice.kind, ...(notice.login ? { login: notice.login } : {}) }, tries: 0 });
  }
  const stillPending: PendingNotice[] = [];
  const notified = [...(record.notified ?? [])];
  for (const item of queue) {
    const result = await notify(deps, config, eventOf(item.event as NewNotice, target, record, title));
    if (result === "failed") stillPending.push({ ...item, tries: item.tries + 1 });
    else if (result === "sent") notified.push(item.key);
  }
  const next: ResponseRecord = { ...record, notified: notified.slice(-MAX_NOTIFIED) };
  if (stillPending.length) next.notify_pending = stillPending.slice(-MAX_PENDING);
  else delete next.notify_pending;
  return next;
}
