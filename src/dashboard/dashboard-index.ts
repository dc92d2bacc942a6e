import { deflateRawSync, inflateRawSync } from "node:zlib";
import { pendingBranches, targetText } from "../checklist/checklist-items.js";
import type { EmbargoConfig, SeverityName } from "../config/config-schema.js";
import { CLOSED_STATES, type ResponseRecord, type ResponseState } from "../record/response-record.js";
import type { KeyRing } from "../security/key-ring.js";
import { knownRepoId } from "../github/repo-ids.js";

/** One response as the dashboard shows it: what its row needs, nothing more (the record stays in the response). */
export interface DashboardRow {
  n: number;
  url: string;
  title?: string;
  state: ResponseState;
  severity?: SeverityName;
  embargo_end?: string;
  owner?: string;
  cve?: string;
  ghsa?: string;
  /** Linked PRs still waiting for review, as owner/repo#n. */
  awaiting: string[];
  /** Supported branches still to patch, in words. */
  todo: string[];
  /** When the row was first seen closed (YYYY-MM-DD): closed rows stay 30 days. */
  closed_on?: string;
  /** `/triage breach` was run: a breach may already have happened. */
  breach?: boolean;
  /** Chat messages the webhook refused, still waiting: the tick sends them again, closed or not. */
  notify?: number;
}

/** Other parts may keep more here (e.g. feed entries seen); every writer keeps fields it does not know. */
export interface DashboardIndex {
  v: 1;
  rows: DashboardRow[];
  [more: string]: unknown;
}

/** The index field with the CVE feeds the last tick could not read (`{ url, problem }[]`): shown on the dashboard until one reads them. */
export const FEED_PROBLEMS = "feed_problems";

/**
 * The index field with product repos whose private reports get no response here (`ReportProblem[]`):
 * a component repo whose reports in triage the tick could not send here, or a report sent here by
 * a repo this config does not name. Shown on the dashboard; never the report itself.
 */
export const REPORT_PROBLEMS = "report_problems";

export interface ReportProblem {
  repo: string;
  problem: string;
  /** The day it was last seen (YYYY-MM-DD). */
  on: string;
  /** The tick (a component's reports waiting) or a report's webhook (a repo not named here). */
  from: "tick" | "report";
}

export const DASHBOARD_MARKER = "<!-- embargo:dashboard -->";
export const BLOCK_START = "<!-- embargo:dashboard:start -->";
export const BLOCK_END = "<!-- embargo:dashboard:end -->";

/** The app's block in a dashboard body (the first start marker, the first end marker after it); undefined when its markers are gone. */
export function blockRange(body: string): { start: number; end: number } | undefined {
  const start = body.indexOf(BLOCK_START);
  const end = body.indexOf(BLOCK_END, start + 1);
  return start === -1 || end === -1 ? undefined : { start, end: end + BLOCK_END.length };
}
const INDEX_RE = /<!-- embargo:dashboard-index:v1 ([A-Za-z0-9_-]+) ([A-Za-z0-9_-]+) -->/;
const MAX_INDEX_JSON = 2_000_000;

function signedText(bound: string, payload: string): string {
  return `embargo:dashboard-index:v1\n${bound}\n${payload}`;
}

/**
 * What the index is bound to: the security repo's id when the event knows it (a rename keeps it,
 * and a fix PR's event may name the repo by its former name), else its name (`owner/repo` holds a
 * "/", `repo:<id>` none: neither reads as the other).
 */
function bounds(repo: string, known?: number): string[] {
  const [owner, name] = repo.split("/") as [string, string];
  const id = known ?? knownRepoId({ owner, repo: name });
  return [...(id === undefined ? [] : [`repo:${id}`]), repo.toLowerCase()];
}

/** The index as a hidden marker, signed and bound to the security repo: a copy or an edit does not verify. */
export function indexMarker(index: DashboardIndex, keys: KeyRing, repo: string): string {
  const payload = deflateRawSync(Buffer.from(JSON.stringify(index), "utf8"), { level: 9 }).toString("base64url");
  return `<!-- embargo:dashboard-index:v1 ${payload} ${keys.sign("dashboard", signedText(bounds(repo)[0]!, payload))} -->`;
}

/**
 * The index in a dashboard body; empty when it is missing or does not verify (the tick rebuilds it).
 * `repoId`: the repository's id, for a reader outside an event (else the event's knowledge).
 */
export function readIndex(body: string, keys: KeyRing, repo: string, repoId?: number): DashboardIndex {
  // Only the block's own: people's notes may hold an older dashboard's text, signed index and all.
  const block = blockRange(body);
  const match = INDEX_RE.exec(block ? body.slice(block.start, block.end) : body);
  // Bound by the name: written before indexes were bound to the id, or where the id was unknown.
  if (!match || !bounds(repo, repoId).some((bound) => keys.verify("dashboard", signedText(bound, match[1]!), match[2]!))) return { v: 1, rows: [] };
  try {
    const json = inflateRawSync(Buffer.from(match[1]!, "base64url"), { maxOutputLength: MAX_INDEX_JSON }).toString("utf8");
    const parsed = JSON.parse(json) as DashboardIndex;
    return parsed?.v === 1 && Array.isArray(parsed.rows) ? parsed : { v: 1, rows: [] };
  } catch {
    return { v: 1, rows: [] };
  }
}

export interface RowFacts {
  n: number;
  url: string;
  title?: string;
  assignees?: string[];
}

/** A response's row from its record; `previous` keeps what this event cannot know (title, closing day). */
export function rowOf(record: ResponseRecord, config: EmbargoConfig, facts: RowFacts, now: Date, previous?: DashboardRow): DashboardRow {
  const closed = CLOSED_STATES.includes(record.state);
  const row: DashboardRow = {
    n: facts.n,
    url: facts.url,
    state: record.state,
    awaiting: record.prs.filter((p) => p.state === "open" && p.review !== "approved").map((p) => `${p.repo}#${p.number}`),
    todo: closed ? [] : pendingBranches(record, config).map((t) => targetText(t)),
  };
  const title = facts.title ?? previous?.title;
  if (title) row.title = title.slice(0, 120);
  if (record.severity) row.severity = record.severity;
  if (record.embargo_end) row.embargo_end = record.embargo_end;
  const owner = record.triager ?? facts.assignees?.[0];
  if (owner) row.owner = owner;
  if (record.cve) row.cve = record.cve;
  if (record.ghsa) row.ghsa = record.ghsa;
  if (record.breach) row.breach = true;
  if (record.notify_pending?.length) row.notify = record.notify_pending.length;
  if (closed) row.closed_on = previous?.closed_on ?? now.toISOString().slice(0, 10);
  return row;
}

/** The index with one row replaced (or added, or removed when `row` is undefined). */
export function withRow(index: DashboardIndex, n: number, row: DashboardRow | undefined): DashboardIndex {
  const rows = index.rows.filter((r) => r.n !== n);
  return { ...index, v: 1, rows: row ? [...rows, row] : rows };
}
