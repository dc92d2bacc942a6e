import type { EmbargoConfig } from "../config/config-schema.js";
import type { Members } from "../announce/publish-gates.js";
import type { ResponseRecord } from "../record/response-record.js";

/** What a command may see besides the record: nothing here calls GitHub. */
export interface CommandInput {
  args: string;
  config: EmbargoConfig;
  now: Date;
  /** When the comment said this (its creation, or the edit's time): what `sets` values are ordered by. */
  at?: string;
  actor: string;
  reporter: string;
  /**
   * Who of the people that ticked a "Patched on" box the publish gate rests on is in the security
   * team now (`gateTickers`), read by the handler for `/announce publish` only. Missing: nobody.
   */
  members?: Members;
  /**
   * Whether this GitHub has repository security advisories (src/github/platform.ts: false on GitHub
   * Enterprise Server, from the API base URL the operator set). Missing: it has.
   */
  advisories?: boolean;
  /**
   * This line was decided before and its follow-up work was cut short (a redelivery now): a refusal
   * may not mean its effect is in place, so a command that says so (`tellsCutShort`) words it so.
   */
  cutShort?: boolean;
}

/** Side effects a command asks for beyond its record change; the handler turns them into calls. */
export interface CommandOutcome {
  record: ResponseRecord;
  ticks?: string[];
  /** Replies to post, each with a key that makes it idempotent. */
  replies?: { key: string; template?: string; body?: string; view?: object }[];
  assign?: string[];
  close?: "completed" | "not_planned";
  /** A PR to link: the handler reads it from GitHub and syncs it. */
  link?: { owner: string; repo: string; number: number };
  /** Ask the handler to reply with the command list. */
  help?: boolean;
  /**
   * Work on GitHub beyond this issue (for `/announce`: advisory drafts, CVE requests, publishing).
   * The command only names it; the apply step hands each action to the executor registered for
   * its `kind` in `src/github/action-executors.ts`. A failed action is answered in a reply and its
   * line is not remembered as ran, so editing or re-posting the line tries again.
   */
  actions?: CommandAction[];
}

/** One piece of GitHub work a command asks for: `kind` picks the executor, the rest is its input. */
export interface CommandAction {
  kind: string;
  [field: string]: unknown;
}

/**
 * `again`: the line was refused for the response's state, not for its words, and counts as run:
 * an edit of the comment or a redelivery never runs it later, when the state has changed (for
 * `/announce publish`, a disclosure nobody asked for then). It says how to ask again.
 */
export type CommandResult = { ok: true; outcome: CommandOutcome } | { ok: false; error: string; again?: string };

/**
 * One command, one file (as Prow's plugins): usage, who may run it and examples live beside the
 * code, so `/help` is generated from the same declarations that run.
 */
export interface CommandDefinition {
  group: "triage" | "announce";
  name: string;
  usage: string;
  summary: string;
  examples: string[];
  /** Runs on a closed response too (read-only commands). */
  whenClosed?: boolean;
  /**
   * The one value this command sets (commands that set the same value share the name): a comment
   * older than the one that last set it, delivered late, does not set it back (`set_at` in the record).
   * A function names it from the arguments, for a value kept per package or per person.
   */
  sets?: string | ((args: string) => string | undefined);
  /**
   * Its line decided before, its follow-up work cut short, then refused when redelivered: said in a
   * reply, not settled in silence. Others' refusals then mean their effect is in place already.
   */
  tellsCutShort?: boolean;
  run(record: ResponseRecord, input: CommandInput): CommandResult;
}

export function fail(error: string): CommandResult {
  return { ok: false, error };
}

/** Refused for the response's state, remembered as run: `again` says what to post, in a new comment, and when. */
export function refuse(error: string, again: string): CommandResult {
  return { ok: false, error, again };
}

export function done(outcome: CommandOutcome): CommandResult {
  return { ok: true, outcome };
}
