import { createHash } from "node:crypto";
import { ranOf } from "../record/ran.js";
import { CLOSED_STATES, type ResponseRecord } from "../record/response-record.js";
import type { Effects } from "../response/effects.js";
import { responseLabels } from "../response/response-labels.js";
import { tick } from "../response/sync-boxes.js";
import type { CommandAction, CommandInput, CommandOutcome } from "./command.js";
import { helpView } from "./help-view.js";
import { errorsView, type Failure } from "./error-summary.js";
import { MAX_COMMAND_LINE, MAX_COMMANDS_PER_COMMENT, type CommandLine } from "./parse-commands.js";
import { PENDING, rememberRan } from "./ran-memory.js";
import { refusedMarker } from "../record/markers.js";
import { findCommand, usageOf } from "./registry.js";

/** A reply to post: a template to render with its view, or (from older commands) a ready body. */
export interface ReplySpec {
  key: string;
  template?: string;
  view?: object;
  body?: string;
  /** Keys the same reply was posted under before (see `Effects`). */
  also?: string[];
  /** Hidden markers put first in the body (never cut by the comment's size). */
  hidden?: string[];
}

/** Work that needs GitHub beyond this issue; its line counts as ran only if all of it succeeds. */
export interface FollowUp {
  line: CommandLine;
  link?: { owner: string; repo: string; number: number };
  actions: CommandAction[];
}

export interface CommandsDecision {
  record: ResponseRecord;
  replies: ReplySpec[];
  labels: Pick<Effects, "addLabels" | "removeLabels">;
  assign: string[];
  close?: "completed" | "not_planned";
  failures: Failure[];
  followUps: FollowUp[];
}

export interface CommandsInput extends Omit<CommandInput, "args"> {
  lines: CommandLine[];
  /** The record with the boxes people ticked by hand folded in. */
  record: ResponseRecord;
  commentKey: string;
  /** The labels as GitHub has them now (not the event's snapshot). */
  labels: string[];
}

function runLine(line: CommandLine, record: ResponseRecord, input: Omit<CommandInput, "args">): { outcome: CommandOutcome; sets?: string } | { failure: Failure } {
  if (line.text.length > MAX_COMMAND_LINE) {
    return { failure: { line, error: `the line is ${line.text.length} characters long; commands take at most ${MAX_COMMAND_LINE}` } };
  }
  const command = findCommand(line.group, line.name);
  if (!command) {
    const known = usageOf(line.group);
    const name = line.name.length > 40 ? `${line.name.slice(0, 40)}…` : line.name;
    const error = !known
      ? `\`/${line.group}\` commands are not available yet`
      : line.name
        ? `\`/${line.group} ${name}\` is not a command (known: ${known})`
        : `give a sub-command after \`/${line.group}\` (known: ${known})`;
    return { failure: { line, error, usage: "/triage help" } };
  }
  if (CLOSED_STATES.includes(record.state) && !command.whenClosed) {
    return { failure: { line, error: `this response is closed (${record.state}); only \`/triage status\` and \`/help\` still work` } };
  }
  // GitHub does not keep the order of deliveries, and a failed one is redelivered by hand, later.
  const sets = typeof command.sets === "function" ? command.sets(line.args) : command.sets;
  const newer = sets && input.at ? record.set_at?.[sets] : undefined;
  if (newer && Date.parse(newer) > Date.parse(input.at!)) {
    return { failure: { line, error: `a newer command (${newer}) set this after this comment was written, and it stays; post the line again to apply it`, usage: command.usage } };
  }
  const args = line.group === "help" ? "" : line.args;
  let result;
  try {
    result = command.run(record, { ...input, args });
  } catch (error) {
    result = { ok: false as const, error: `could not run: ${(error as Error).message}` };
  }
  // Refused for the response's state: the line's words were right, so its usage would not help.
  if (!result.ok) return { failure: result.again ? { line, error: result.error, again: result.again } : { line, error: result.error, usage: command.usage } };
  return { outcome: result.outcome, sets };
}

/**
 * A stable key for the error reply: the same failed lines are answered once, however often
 * delivered. Lines refused and remembered as run (`again`) are left out of it when others failed:
 * a redelivery skips them, and must find the reply by the lines that fail again.
 */
function errorsKey(commentKey: string, all: Failure[]): Pick<ReplySpec, "key" | "also"> {
  const editable = all.filter((f) => !f.again);
  const key = keyOf(commentKey, editable.length ? editable : all);
  // Before these lines counted as run, every failed line was in the key: a comment answered then
  // and delivered again (nothing of it remembered as run) finds its reply by that key too.
  return editable.length && editable.length < all.length ? { key, also: [keyOf(commentKey, all)] } : { key };
}

function keyOf(commentKey: string, failures: Failure[]): string {
  const hashes = failures.map((f) => f.line.hash).join("");
  return `errors-${commentKey}-${failures.length <= 4 ? hashes : createHash("sha256").update(hashes).digest("base64url").slice(0, 16)}`;
}

/**
 * What a comment's command lines do to a response, without calling GitHub: each line runs on the
 * record the lines before it left; a failed line changes nothing; lines that already ran from this
 * comment (an edit, a redelivery) are skipped.
 */
export function decideCommands(input: CommandsInput): CommandsDecision {
  const { lines, commentKey } = input;
  let record = input.record;
  const before = ranOf(record.ran).get(commentKey) ?? [];
  const ran = new Set(before.filter((h) => !h.startsWith(PENDING)));
  const pending = new Set(before.filter((h) => h.startsWith(PENDING)).map((h) => h.slice(PENDING.length)));
  let settled = false;
  const wasClosed = CLOSED_STATES.includes(record.state);
  const failures: Failure[] = [];
  const outcomes: CommandOutcome[] = [];
  const followUps: FollowUp[] = [];
  lines.forEach((line, index) => {
    if (ran.has(line.hash)) return;
    if (index >= MAX_COMMANDS_PER_COMMENT) {
      failures.push({ line, error: `a comment runs at most ${MAX_COMMANDS_PER_COMMENT} commands; post this line in another comment` });
      return;
    }
    const result = runLine(line, record, pending.has(line.hash) ? { ...input, cutShort: true } : input);
    if ("failure" in result) {
      // Decided before, its follow-up work cut short (a redelivery): a refusal now means its effect
      // is in place, but for a publish whose step 1 went unrecorded: GitHub's answer may have been
      // lost (the tick reads the advisory and finishes it) or the advisory never published. Either
      // way the team asked for it, so the refusal is said, worded for both (`cutShort`).
      if (pending.has(line.hash)) {
        ran.add(line.hash);
        settled = true;
        if (result.failure.again && findCommand(line.group, line.name)?.tellsCutShort) failures.push({ ...result.failure, unsure: true });
        return;
      }
      failures.push(result.failure);
      // Refused for the response's state: it counts as run, so neither an edit nor a redelivery
      // runs it once the state has changed; its reply says to post it again.
      if (result.failure.again) {
        ran.add(line.hash);
        settled = true;
      }
      return;
    }
    const { outcome } = result;
    record = tick(outcome.record, outcome.ticks ?? [], input.now);
    if (result.sets && input.at) record = { ...record, set_at: { ...record.set_at, [result.sets]: input.at } };
    outcomes.push(outcome);
    ran.add(line.hash);
    if (outcome.link || outcome.actions?.length) followUps.push({ line, link: outcome.link, actions: outcome.actions ?? [] });
  });
  if (outcomes.length || settled) record = rememberRan(record, commentKey, [...ran]);

  const replies: ReplySpec[] = outcomes.flatMap((o) => [
    ...(o.replies ?? []),
    ...(o.help ? [{ key: `help-${commentKey}`, template: "help", view: helpView() }] : []),
  ]);
  const close = outcomes.reduce<CommandsDecision["close"]>((last, o) => o.close ?? last, undefined);
  if (close) record = tick(record, ["follow-up.closed"], input.now);
  const refused = failures.filter((f) => f.again).map((f) => refusedMarker(commentKey, f.line.hash));
  if (failures.length) replies.push({ ...errorsKey(commentKey, failures), template: "command-errors", view: errorsView(failures, lines.length > failures.length), ...(refused.length ? { hidden: refused } : {}) });
  return {
    record,
    replies,
    // A closed response keeps the labels people gave it, unless a command here changed it.
    labels: !wasClosed || outcomes.length ? responseLabels(input.labels, record) : { addLabels: [], removeLabels: [] },
    assign: outcomes.flatMap((o) => o.assign ?? []),
    close,
    failures,
    followUps,
  };
}
