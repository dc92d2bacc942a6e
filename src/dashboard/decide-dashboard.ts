import type { SeverityName } from "../config/config-schema.js";
import { CLOSED_STATES, type ResponseState } from "../record/response-record.js";
import { renderTemplate, type OverrideSource } from "../render/templates.js";
import { STATE_TITLES } from "../response/response-view.js";
import type { KeyRing } from "../security/key-ring.js";
import { reportNotes, span } from "./report-notes.js";
import { BLOCK_END, BLOCK_START, blockRange, DASHBOARD_MARKER, FEED_PROBLEMS, indexMarker, type DashboardIndex, type DashboardRow } from "./dashboard-index.js";

export { BLOCK_END, BLOCK_START };
/** GitHub refuses an issue body over 65,536 characters; the room kept is for the framing. */
export const BODY_LIMIT = 65_536 - 200;
const CLOSED_DAYS = 30;
const DAY = 86_400_000;

const SEVERITY_ORDER: (SeverityName | undefined)[] = ["critical", "high", "medium", "low", undefined];
const OPEN_ORDER: ResponseState[] = ["triage", "confirmed", "fixing", "fixed"];

export interface DashboardContext {
  keys: KeyRing;
  /** The security repo, owner/name: the index is signed for it. */
  repo: string;
  now: Date;
  title: string;
  label: string;
  /** The repo's template overrides (`.github/embargo/dashboard.hbs`). */
  overrides?: OverrideSource;
}

function byUrgency(a: DashboardRow, b: DashboardRow): number {
  const s = SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity);
  if (s) return s;
  if (a.embargo_end !== b.embargo_end) return !a.embargo_end ? 1 : !b.embargo_end ? -1 : a.embargo_end < b.embargo_end ? -1 : 1;
  return a.n - b.n;
}

export function daysLeft(end: string, now: Date): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((Date.parse(`${end}T00:00:00Z`) - today) / DAY);
}

function ids(row: DashboardRow): string {
  return [row.cve, row.ghsa].filter(Boolean).join(" ");
}

function openRow(row: DashboardRow, now: Date) {
  const left = row.embargo_end ? daysLeft(row.embargo_end, now) : undefined;
  return {
    n: row.n,
    url: row.url,
    title: row.title,
    breach: Boolean(row.breach),
    severity: row.severity ?? "—",
    embargo: row.embargo_end,
    overdue: left !== undefined && left < 0,
    days: left === undefined ? "" : left < 0 ? `overdue by ${-left} day${left === -1 ? "" : "s"}` : left === 0 ? "ends today" : `${left} day${left === 1 ? "" : "s"} left`,
    owner: row.owner ? `@${row.owner}` : "—",
    ids: ids(row) || "—",
    awaiting: row.awaiting.join(", ") || "—",
    todo: row.todo.join(", ") || "—",
  };
}

/** Rows closed more than 30 days ago leave the index; the rest, newest closing first. */
function recentClosed(rows: DashboardRow[], now: Date): DashboardRow[] {
  const since = new Date(now.getTime() - CLOSED_DAYS * DAY).toISOString().slice(0, 10);
  return rows
    .filter((r) => CLOSED_STATES.includes(r.state) && (r.closed_on ?? "") >= since)
    .sort((a, b) => (a.closed_on === b.closed_on ? b.n - a.n : (a.closed_on ?? "") < (b.closed_on ?? "") ? 1 : -1));
}

/** What template `dashboard` gets (also the preview's sample). */
export function dashboardView(open: DashboardRow[], closed: DashboardRow[], hidden: number, ctx: Pick<DashboardContext, "now" | "title" | "label">) {
  const groups = OPEN_ORDER.map((state) => {
    const rows = open.filter((r) => r.state === state).sort(byUrgency);
    return { name: STATE_TITLES[state], count: rows.length, rows: rows.map((r) => openRow(r, ctx.now)), hidden: 0 };
  }).filter((g) => g.count);
  if (hidden && groups.length) groups[groups.length - 1]!.hidden = hidden;
  const view = {
    title: ctx.title,
    label: ctx.label,
    // Every open row left out for room is still open: "none is open" would be false.
    empty: !open.length && !hidden,
    hidden: groups.length ? 0 : hidden,
    groups,
    closed: closed.map((r) => ({ n: r.n, url: r.url, title: r.title, state: STATE_TITLES[r.state], severity: r.severity ?? "—", closed_on: r.closed_on, ids: ids(r) || "—", notify: r.notify })),
  };
  return view;
}


/** The feeds the last tick could not read (the index's `feed_problems`), one note each. */
function feedNotes(index: DashboardIndex): string[] {
  const list = index[FEED_PROBLEMS];
  if (!Array.isArray(list)) return [];
  return list
    .filter((p): p is { url: string; problem: string } => typeof p?.url === "string" && typeof p?.problem === "string")
    .slice(0, 10)
    .map((p) => `The CVE feed ${span(p.url)} could not be read on the last tick (${span(p.problem)}): nothing from it reaches this repository until it can.`);
}

/** The person's text around the app's block, kept as it is; a block whose markers were removed is replaced. */
function around(current: string | undefined): { before: string; after: string } {
  if (!current) return { before: "", after: "" };
  const block = blockRange(current);
  if (!block) return { before: "", after: current.replace(/<!-- embargo:dashboard[^>]*-->/g, "").trim() };
  return { before: current.slice(0, block.start), after: current.slice(block.end) };
}

/** People's notes leave no room for even the app's smallest block: GitHub would refuse the body. */
export interface NotesTooLong {
  /** Characters of people's text around the block. */
  notes: number;
  /** Characters of the smallest block the app could write. */
  block: number;
}

/** Why rows are left out when people's notes take much of the issue: said in the block, so it is not a mystery. */
function squeezedNote(notes: number, openLeftOut: number, closedLeftOut: number): string {
  const parts = [openLeftOut && `${openLeftOut} open response${openLeftOut === 1 ? "" : "s"}`, closedLeftOut && `${closedLeftOut} closed one${closedLeftOut === 1 ? "" : "s"}`].filter(Boolean);
  return `The notes above and below this block take ${notes.toLocaleString("en-US")} of the 65,536 characters GitHub allows in an issue, so ${parts.join(" and ")} ${parts.length > 1 || openLeftOut > 1 || closedLeftOut > 1 ? "are" : "is"} left out of this dashboard. Shorten the notes (or move them into a comment) to see every row again; the app never cuts them itself.`;
}

/**
 * The dashboard issue's body: the person's text kept, and the app's block rendered from the
 * index (open rows grouped by state, most urgent first; closed rows of the last 30 days folded).
 * Under GitHub's limit by construction: closed rows go first, then the least urgent open rows
 * leave the table and then the index, until it fits (the tick's rebuild brings them back when
 * room is made); rows left out while people's notes take part of the room are said so in the
 * block. `tooLong`: even the smallest block does not fit beside the notes (the body is then not
 * for writing; the caller warns instead).
 */
export async function decideDashboard(index: DashboardIndex, current: string | undefined, ctx: DashboardContext): Promise<{ body: string; index: DashboardIndex; tooLong?: NotesTooLong }> {
  const { before, after } = around(current);
  const open = index.rows.filter((r) => !CLOSED_STATES.includes(r.state)).sort(byUrgency);
  const allClosed = recentClosed(index.rows, ctx.now);
  let closed = allClosed;
  let shown = open.length;
  let kept = open.length;
  const notes = before.length + after.length;
  const room = BODY_LIMIT - notes;
  // The override is read once; one whose output does not fit with every row gives way to the built-in template.
  const cached = new Map<string, Promise<string | null>>();
  let overrides: OverrideSource | undefined = ctx.overrides && ((name) => cached.get(name) ?? (cached.set(name, ctx.overrides!(name)), cached.get(name)!));
  let note = "";
  let byNotes: boolean | undefined;
  // The feeds' notes give way first, and their problems leave the index with them: a feed that
  // fails on one tick and is read on the next must not decide whether people's notes leave room.
  const { [FEED_PROBLEMS]: feedProblems, ...withoutFeeds } = index;
  let withFeeds = feedProblems !== undefined;
  for (;;) {
    const view = dashboardView(open.slice(0, shown), closed, open.length - shown, ctx);
    const block = await renderTemplate("dashboard", view, overrides);
    const squeezed = byNotes && (shown < open.length || closed.length < allClosed.length) ? squeezedNote(notes, open.length - shown, allClosed.length - closed.length) : "";
    const problems = [block.overrideError ?? note, squeezed, ...(withFeeds ? feedNotes(index) : []), ...reportNotes(index)].filter(Boolean);
    const warning = problems.length ? `\n\n> [!WARNING]\n> ${problems.join("\n>\n> ")}` : "";
    const indexed: DashboardIndex = { ...(withFeeds ? index : withoutFeeds), v: 1, rows: [...open.slice(0, kept), ...closed] };
    const marker = indexMarker(indexed, ctx.keys, ctx.repo);
    const body = `${BLOCK_START}\n${DASHBOARD_MARKER}\n${block.text}${warning}\n\n${marker}\n${BLOCK_END}`;
    // Rows that would all fit in an issue of their own are left out because of the notes, and the block says so.
    byNotes ??= notes > 0 && body.length <= BODY_LIMIT;
    if (body.length <= room) return { body: `${before}${body}${after}`, index: indexed };
    if (!overrides && !withFeeds && !shown && !kept && !closed.length) return { body: `${before}${body}${after}`, index: indexed, tooLong: { notes, block: body.length } };
    if (overrides && (await overrides("dashboard")) !== null) {
      overrides = undefined;
      note = "The repository's `dashboard` template produced more than an issue can hold; the built-in one was used.";
      continue;
    }
    overrides = undefined;
    if (withFeeds) withFeeds = false;
    else if (closed.length) closed = closed.slice(0, Math.floor(closed.length / 2));
    else if (shown) shown = Math.floor(shown * 0.8);
    else kept = Math.floor(kept * 0.8);
  }
}
