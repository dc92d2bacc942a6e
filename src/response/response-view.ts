import { checklistFor, pendingBranches, PHASES, targetText, type ChecklistItem } from "../checklist/checklist-items.js";
import type { EmbargoConfig } from "../config/config-schema.js";
import { itemMarker } from "../record/markers.js";
import type { Act, LinkedPr, ResponseRecord, Tick } from "../record/response-record.js";
import { trusted } from "../render/templates.js";
import { clip, listText, type ViewCaps } from "./view-budget.js";

export const STATE_TITLES: Record<ResponseRecord["state"], string> = {
  triage: "Triage",
  confirmed: "Confirmed",
  fixing: "Fixing",
  fixed: "Fixed",
  announced: "Announced",
  invalid: "Closed: invalid",
  "no-action": "Closed: no action needed",
  closed: "Closed by hand",
};

/** What the response shows of the issue itself: reporter's words, neutralized before rendering. */
export interface ReportFacts {
  title: string;
  reporter: string;
}

const DAY = 86_400_000;
const day = (iso: string) => iso.slice(0, 10);
/** "@login", or "the app" / "someone (by hand)": neutralized later like every string of the view. */
const who = (login: string) => (login === "app" ? "the app" : login === "hand" ? "someone" : `@${login}`);
const act = (a: Act) => `${who(a.by)} on ${day(a.at)}`;

function rotationNotes(record: ResponseRecord): string[] {
  const skipped = record.rotation_skipped ?? [];
  if (!skipped.length) return [];
  const names = skipped.map((l) => `@\u200b${l}`).join(", ");
  return [
    record.triager
      ? `Skipped in the triage rotation because GitHub would not assign them (not a collaborator?): ${names}.`
      : `Nobody in the triage rotation could be assigned (not collaborators?): ${names}. Assign a triager by hand.`,
  ];
}

/** Lines shown under the status table: derived from record and config, so every render agrees. */
function responseNotes(record: ResponseRecord, config: EmbargoConfig): string[] {
  const notes = rotationNotes(record);
  // The team line is a call to act: once triage is over it would only be noise.
  if (config.notify_team && config.team && record.state === "triage") notes.unshift(`@${config.team}: a new security report needs triage.`);
  return notes;
}

/** The embargo row: the date, and how many days are left by the injected clock. */
export function embargoView(end: string | undefined, now: Date) {
  if (!end) return undefined;
  // Today's UTC midnight, as the date of `now.toISOString()` parses to.
  const days = Math.round((Date.parse(`${end}T00:00:00Z`) - Math.floor(now.getTime() / DAY) * DAY) / DAY);
  const text = days > 1 ? `${days} days left` : days === 1 ? "1 day left" : days === 0 ? "ends today" : `overdue by ${-days} day${days === -1 ? "" : "s"}`;
  return { end, days_left: days, overdue: days < 0, text: `${end} (${text})` };
}

/** Why a closed response is closed: the reason, who decided, when. */
function closedView(record: ResponseRecord, caps: ViewCaps) {
  const reason = record.reason ? clip(record.reason, caps.text) : undefined;
  if (record.state === "invalid" || record.state === "no-action") {
    const what = record.state === "invalid" ? "Closed as invalid" : "Closed, no action needed";
    return { how: record.state, reason, by: record.decided?.by, at: record.decided?.at, text: `${what}${record.decided ? ` by ${act(record.decided)}` : ""}${reason ? `: ${reason}` : ""}` };
  }
  if (record.state === "closed" && record.closed_by_hand) {
    const c = record.closed_by_hand;
    return { how: "hand", by: c.by, at: c.at, text: `The issue was closed by hand by ${act(c)}, without \`/triage invalid\`, \`no-action\` or \`/announce\`; it was ${STATE_TITLES[c.previous].toLowerCase()} then. Reopen it to carry on.` };
  }
  return undefined;
}

function prView(pr: LinkedPr) {
  const wording = pr.private ? undefined : pr.leaks === undefined ? "not run yet" : pr.leaks === 0 ? "passes" : "fails";
  const ref = `${pr.repo}#${pr.number}`;
  // A retarget is shown with its date: approvals before it do not count (src/pr/review-gate.ts).
  const retargeted = pr.retargeted_at ? `; retargeted ${pr.retargeted_at.slice(0, 10)}, earlier approvals do not count` : "";
  return { ...pr, ref, wording, text: `${ref} into ${pr.base} (${pr.state}, ${pr.review.replace("_", " ")}${retargeted}${wording ? `; wording check ${wording}` : ""})` };
}

function tickNote(tick: Tick | undefined, untick: Tick | undefined): string | undefined {
  if (tick && tick.by !== "app") return `ticked by ${act(tick)}`;
  if (!tick && untick) return `unticked by ${act(untick)}`;
  return undefined;
}

/** An item's own markup (built-in text, how, box marker): the same on every render, made once per item. */
type SafeString = ReturnType<typeof trusted>;
const markup = new WeakMap<ChecklistItem, { text: SafeString; how: SafeString | undefined; marker: SafeString }>();
function markupOf(item: ChecklistItem) {
  let known = markup.get(item);
  if (!known) {
    known = { text: trusted(item.text), how: item.how ? trusted(item.how) : undefined, marker: trusted(itemMarker(item.id)) };
    markup.set(item, known);
  }
  return known;
}

function itemView(i: ChecklistItem, record: ResponseRecord, caps: ViewCaps) {
  const own = markupOf(i);
  return {
    id: i.id,
    done: Boolean(record.ticks[i.id]),
    // Built-in texts are the app's markdown; a team's own items are config text, escaped.
    text: i.source === "config" ? clip(i.text, caps.text) : own.text,
    how: caps.how ? own.how : undefined,
    ticked: tickNote(record.ticks[i.id], record.unticked?.[i.id]),
    marker: own.marker,
  };
}

function phasesView(record: ResponseRecord, config: EmbargoConfig, caps: ViewCaps) {
  let branches = 0;
  const hidden: string[] = [];
  // One pass, each item into its phase's list in order (not one pass over all items per phase).
  const byPhase = new Map(PHASES.map((p) => [p.id, [] as ReturnType<typeof itemView>[]]));
  for (const i of checklistFor(config, record)) {
    if (i.family && ++branches > caps.branches) {
      hidden.push(i.text.replace(/^Patched on /, "").replace(/`/g, ""));
      continue;
    }
    byPhase.get(i.phase)?.push(itemView(i, record, caps));
  }
  return PHASES.map((phase) => ({
    title: phase.title,
    items: byPhase.get(phase.id)!,
    more: phase.id === "fix" && hidden.length ? `+${hidden.length} more branches to patch, not shown: ${listText(hidden, { ...caps, list: 3 })}` : undefined,
  }));
}

/**
 * What the app did on its own (messages, reminders, publish steps): recorded so nothing is sent
 * twice, and shown so the team can check it. Keys are the app's own ids, never reporter text.
 */
function activityView(record: ResponseRecord, caps: ViewCaps) {
  const list = (items: string[]) => listText(items, caps);
  const timed = (entries: Record<string, string> | undefined) => Object.entries(entries ?? {}).map(([key, at]) => `${key} (${day(at)})`);
  const rows = {
    advisory_state: record.advisory_state,
    release_managers: record.release_managers_told ? "told" : undefined,
    experts: record.experts_told?.length ? list(record.experts_told.map((e) => `@${e}`)) : undefined,
    notified: record.notified?.length ? list(record.notified) : undefined,
    notify_pending: record.notify_pending?.length ? list(record.notify_pending.map((n) => `${n.key} (${n.tries} ${n.tries === 1 ? "try" : "tries"})`)) : undefined,
    reminders: record.reminders && Object.keys(record.reminders).length ? list(timed(record.reminders)) : undefined,
    publish_steps: record.publish_steps && Object.keys(record.publish_steps).length ? list(timed(record.publish_steps)) : undefined,
    publish_refused: record.publish_refused ? `${record.publish_refused.step}${record.publish_refused.status ? ` (${record.publish_refused.status})` : ""} on ${day(record.publish_refused.at)}` : undefined,
    forced: record.forced ? `by ${act(record.forced)} past ${record.forced.gates.join(", ")}: ${clip(record.forced.reason, caps.text)}` : undefined,
    // When the comment that last set each single value was written: what a late delivery is checked against.
    former_names: record.former_names?.length ? list(record.former_names) : undefined,
    ran_floor: record.ran_floor !== undefined ? `up to comment id ${record.ran_floor}` : undefined,
    set_at: record.set_at && Object.keys(record.set_at).length ? list(Object.entries(record.set_at).map(([key, at]) => `${key} (${at.slice(0, 16).replace("T", " ")} UTC)`)) : undefined,
  };
  return Object.values(rows).some((v) => v !== undefined) ? rows : undefined;
}

/** The view every response template gets; documented in the README for people who override it. */
export function responseView(record: ResponseRecord, config: EmbargoConfig, report: ReportFacts, now: Date, caps: ViewCaps) {
  const list = (items: string[]) => listText(items, caps);
  const text = (value: string | undefined) => (value ? clip(value, caps.text) : undefined);
  const pending = pendingBranches(record, config).map((t) => targetText(t));
  const prs = record.prs.map(prView);
  return {
    record,
    title: clip(report.title, 256),
    reporter: report.reporter,
    state: STATE_TITLES[record.state],
    severity: record.severity,
    cvss: record.cvss,
    embargo_end: record.embargo_end,
    embargo: embargoView(record.embargo_end, now),
    triager: record.triager,
    cve: record.cve,
    cwes: record.cwes,
    components: record.components,
    reported: record.reported_at,
    prs: prs.slice(0, caps.prs),
    prs_more: prs.length > caps.prs ? prs.length - caps.prs : 0,
    patched: record.patched,
    pending_branches: pending,
    pending_text: list(pending),
    team: config.team,
    closed: closedView(record, caps),
    advisory: {
      summary: text(record.summary),
      description: text(record.description),
      components: list(record.components),
      affected: list(record.affected.map((a) => `${a.ecosystem}/${a.package} ${a.range}`)),
      fixed: list(record.fixed.map((f) => `${f.ecosystem}/${f.package} ${f.version}`)),
      cwes: list(record.cwes),
      cve: record.cve,
      credits: list(record.credits.map((c) => `@${c.login} (${c.type.replace(/_/g, " ")})`)),
      mitigations: listText(record.mitigations.map((m) => clip(m, caps.text)), { ...caps, element: caps.text }, "; "),
      upstream: list(record.upstream),
    },
    triage_notes: {
      reproduced: record.reproduced === undefined ? undefined : record.reproduced ? "yes" : "no",
      fixed_upstream: text(record.fixed_upstream),
      upgrade: text(record.upgrade),
      tickets: list(record.tickets),
    },
    people: {
      owner: record.triager ? `@${record.triager}` : undefined,
      experts: list(record.experts.map((e) => `@${e}`)),
      confirmed: record.confirmed ? act(record.confirmed) : undefined,
    },
    activity: activityView(record, caps),
    trimmed: record.trimmed?.length ? record.trimmed.join("; ") : undefined,
    phases: phasesView(record, config, caps),
    notes: responseNotes(record, config).map((n) => trusted(n)),
  };
}
