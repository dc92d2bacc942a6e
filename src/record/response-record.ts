import type { SeverityName } from "../config/config-schema.js";
import { Ran } from "./ran.js";

export type ResponseState =
  | "triage"
  | "confirmed"
  | "fixing"
  | "fixed"
  | "announced"
  | "invalid"
  | "no-action"
  /** A team member closed the issue by hand (not through a command). */
  | "closed";

export interface Tick {
  by: string; // "app" or the login of the person who ticked it by hand
  at: string; // ISO timestamp
}

export interface LinkedPr {
  repo: string; // owner/name
  /** GitHub's id of `repo`: the same PR after a rename or transfer (records before it have none). */
  repo_id?: number;
  number: number;
  state: "open" | "closed" | "merged";
  review: "pending" | "approved" | "changes_requested";
  base: string;
  head_sha?: string;
  /** When the app saw the PR retargeted to `base`: approvals submitted before it do not count. */
  retargeted_at?: string;
  private: boolean;
  /** Who the app asked for review, so nobody is asked twice (a new push asks again on purpose). */
  requested?: string[];
  /** How many leak findings the last check of a public PR had. */
  leaks?: number;
  /** The PR repository's default branch: a merge into it ticks "Patched on the default branch". */
  default_branch?: string;
  /** The wording check of the head's commits (src/pr/leak-check.ts `wordingKey`): not listed again for the same head and secrets. */
  wording?: { key: string; commits: { rule: string; place: string }[] };
}

/** Who did something and when (ISO timestamp). */
export interface Act {
  by: string;
  at: string;
}

export interface Credit {
  login: string;
  type: string;
}

export interface AffectedPackage {
  ecosystem: string;
  package: string;
  range: string;
}

export interface FixedPackage {
  ecosystem: string;
  package: string;
  version: string;
}

/**
 * Everything the app knows about one security response. It lives in the response comment as a
 * hidden marker, so GitHub stays the only store; fields are optional so that old records keep
 * parsing as the product grows.
 */
export interface ResponseRecord {
  v: 1;
  state: ResponseState;
  reported_at: string; // YYYY-MM-DD
  opened_at: string; // ISO timestamp of the response
  triager?: string;
  rotation_index?: number;
  rotation_skipped?: string[];
  severity?: SeverityName;
  cvss?: { version: string; vector: string; score: number };
  embargo_end?: string; // YYYY-MM-DD
  embargo_by_hand?: boolean;
  reason?: string;
  /** Who confirmed it (`/triage confirm`), the first time. */
  confirmed?: Act;
  /** Who closed it as invalid or no-action, and when (the reason is `reason`). */
  decided?: Act;
  /** Closed by hand (the issue closed without a command): who, when, and the state before. */
  closed_by_hand?: Act & { previous: ResponseState };
  components: string[];
  affected: AffectedPackage[];
  fixed: FixedPackage[];
  cwes: string[];
  cve?: string;
  ghsa?: string;
  mitigations: string[];
  upstream: string[];
  credits: Credit[];
  experts: string[];
  tickets: string[];
  reproduced?: boolean;
  fixed_upstream?: string;
  upgrade?: string;
  summary?: string;
  description?: string;
  prs: LinkedPr[];
  patched: string[]; // supported branches with a merged fix
  ticks: Record<string, Tick>;
  /** Boxes a person unticked, with who and when: shown beside the box until it is ticked again. */
  unticked?: Record<string, Tick>;
  /** What the size budget had to drop from the record (last resort; see record-budget.ts). */
  trimmed?: string[];
  /**
   * Command lines already applied, by comment id, as short hashes: edits and redeliveries never re-run
   * them. The app's records hold a Ran (src/record/ran.ts: a plain object costs tens of µs a copy); a
   * record built by hand may hold the plain object, JSON's own shape. Read it through `ranOf`.
   */
  ran: Ran | Record<string, string[]>;
  /** The newest comment id whose `ran` memory was forgotten (src/commands/ran-memory.ts `retireForgotten`). */
  ran_floor?: number;
  release_managers_told?: boolean;
  experts_told?: string[];
  /** `/announce`: the response's one repository advisory (GHSA id in `ghsa`), once GitHub made it. */
  advisory?: AdvisoryRef;
  /** `/announce publish`: steps done (step id → ISO time), so a broken publish resumes where it stopped. */
  publish_steps?: Record<string, string>;
  /**
   * A publish step GitHub refused (a 4xx), when, and its status: the tick does not try the steps
   * left again (each tick would meet the same answer); `/announce publish` does, and clears it.
   */
  publish_refused?: { step: string; at: string; status?: number };
  /** `/announce publish --force <reason>`: who forced past which gates, and why. */
  forced?: { by: string; at: string; reason: string; gates: string[] };
  /** Comment ids of the pack and preview comments, each updated in place. */
  announce_comments?: { pack?: number; preview?: number };
  /**
   * `/triage breach`: a breach may already have happened; who escalated it, when, and what they knew.
   * `no_contacts`: no incident contact was configured to alert then, nor at any escalation since.
   */
  breach?: Act & { note?: string; no_contacts?: true };
  /** Chat notifications (src/notify): keys sent, and messages the webhook refused, retried on the next event. */
  notified?: string[];
  notify_pending?: PendingNotice[];
  /** Intake from a private vulnerability report: the advisory's state the app last set (`draft`, `closed`). */
  advisory_state?: string;
  /** For each value a command `sets`, when the comment that last set it said so (ISO time). */
  set_at?: Record<string, string>;
  /**
   * The security repository's former full names (renamed or transferred during this response), as
   * `repository.renamed`/`transferred` said: GitHub still redirects them, so a public fix PR that
   * names the issue by one fails the wording check.
   */
  former_names?: string[];
  /** Reminders the tick posted (key → ISO time): each condition is reminded once (src/tick/decide-reminders.ts). */
  reminders?: Record<string, string>;
  /**
   * How many times the app wrote this record (absent in records written before it counted: 0).
   * Every written version has its own, one more than the last (src/response/render-response.ts),
   * always as the record's last key. Signed with the rest: an older copy pasted back from the
   * comment's edit history verifies but is told apart by it (src/github/record-mark.ts).
   */
  seq?: number;
}

/** A chat message that could not be sent yet: its key and its event, to send again later. */
export interface PendingNotice {
  key: string;
  event: { kind: string; login?: string; detail?: string };
  tries: number;
}

export interface AdvisoryRef {
  repo: string; // owner/name
  url: string; // html_url
  /** Hash of the fields the app last wrote: a different hash on GitHub means someone edited the draft. */
  written?: Record<string, string>;
  published_at?: string;
  /** The command (comment id) that created the draft: its redelivery still says "created". */
  created_by?: string;
}

export function newRecord(reportedAt: Date, now: Date): ResponseRecord {
  return {
    v: 1,
    state: "triage",
    reported_at: reportedAt.toISOString().slice(0, 10),
    opened_at: now.toISOString(),
    components: [],
    affected: [],
    fixed: [],
    cwes: [],
    mitigations: [],
    upstream: [],
    credits: [],
    experts: [],
    tickets: [],
    prs: [],
    patched: [],
    ticks: {},
    ran: Ran.EMPTY,
  };
}

export const CLOSED_STATES: readonly ResponseState[] = ["announced", "invalid", "no-action", "closed"];

/**
 * The `set_at` key of the triage decision: `/triage confirm`, `invalid` and `no-action` set it, and so
 * does a close or reopen by hand. One key for all of them, so that an older decision delivered late
 * (a confirm and an invalid disagree) never overrides a newer one of another kind.
 */
export const DECISION = "decision";

/** `record` with `key` set at `at`, unless a later time is kept for it already (a late event never lowers it). */
export function setAt(record: ResponseRecord, key: string, at: string): ResponseRecord {
  const kept = record.set_at?.[key];
  if (kept && !(Date.parse(at) > Date.parse(kept))) return record;
  return { ...record, set_at: { ...record.set_at, [key]: at } };
}
