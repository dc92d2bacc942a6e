import { CLOSED_STATES, type ResponseRecord } from "../record/response-record.js";

/**
 * The security issue was closed without a command (`issues.closed` by a person): the response
 * says so, by whom and when, and "This issue closed" is ticked. A response a command already
 * closed (invalid, no-action, announced) keeps its own account; a redelivery changes nothing.
 */
export function closedByHand(record: ResponseRecord, by: string, at: Date): ResponseRecord {
  if (CLOSED_STATES.includes(record.state)) return record;
  const when = at.toISOString();
  return {
    ...record,
    state: "closed",
    closed_by_hand: { by, at: when, previous: record.state },
    ticks: { ...record.ticks, "follow-up.closed": record.ticks["follow-up.closed"] ?? { by, at: when } },
  };
}

/** The issue was reopened after a close by hand: the response goes back to where it stood. */
export function reopenedByHand(record: ResponseRecord): ResponseRecord {
  if (record.state !== "closed" || !record.closed_by_hand) return record;
  const { closed_by_hand: closed, ...rest } = record;
  const ticks = { ...record.ticks };
  delete ticks["follow-up.closed"];
  return { ...rest, state: closed.previous, ticks };
}
