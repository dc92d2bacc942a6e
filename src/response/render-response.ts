import { createHash, timingSafeEqual, type Hash } from "node:crypto";
import { readFileSync } from "node:fs";
import { CHECKLIST, PHASES } from "../checklist/checklist-items.js";
import type { EmbargoConfig } from "../config/config-schema.js";
import type { IssueRef } from "../github/issue-comments.js";
import { recordScope } from "../github/repo-ids.js";
import { recordSeq, RESPONSE_MARKER, scopeOf, seqOf } from "../record/markers.js";
import { fitRecord } from "../record/record-budget.js";
import { recordJson } from "../record/record-json.js";
import type { ResponseRecord } from "../record/response-record.js";
import { BUILTIN_DIR, renderTemplate, type OverrideSource } from "../render/templates.js";
import type { KeyRing } from "../security/key-ring.js";
import { responseView, STATE_TITLES, type ReportFacts } from "./response-view.js";
import { settleTicks } from "./settle-ticks.js";
import { COMMENT_LIMIT, LEVELS, RECORD_BUDGET } from "./view-budget.js";

export { STATE_TITLES, responseView, type ReportFacts } from "./response-view.js";

/** What rendering needs besides the record: the keys that sign it, its issue, the clock (days left). */
export interface RenderContext {
  keys: KeyRing;
  issue: IssueRef;
  now: Date;
  /** The response comment as GitHub has it now: when it is this very render, it is returned as is. */
  current?: string;
}

/**
 * The last line of every response: a signature over what the render was made from (record,
 * config, facts, the view's clock-dependent parts, the templates) and over the text it produced.
 * An event whose inputs are unchanged finds it valid on the comment and skips Handlebars; any
 * edit of the text by a person (or a change of inputs) breaks it, and the response is rendered.
 */
const RENDER_PREFIX = "<!-- embargo:render ";

/** The config's JSON, once per config: a cached config is shared and frozen for good (src/github/read-config.ts). */
const configJsons = new WeakMap<EmbargoConfig, string>();
function configJson(config: EmbargoConfig): string {
  const known = configJsons.get(config);
  if (known !== undefined) return known;
  const json = JSON.stringify(config);
  if (Object.isFrozen(config)) configJsons.set(config, json);
  return json;
}

const digest = (data: string | Buffer) => createHash("sha256").update(data).digest("base64url");

/**
 * The inputs every render shares, as they are written into them, made once per process: the
 * built-in template, and the app's own tables the view is made with (checklist texts, phases,
 * state titles, detail levels), so a new version that words the checklist differently renders
 * every response again.
 */
let fixedInputs: string | undefined;
function fixedParts(): string {
  fixedInputs ??= [digest(readFileSync(new URL("response.hbs", BUILTIN_DIR))), digest(JSON.stringify([CHECKLIST, PHASES, STATE_TITLES, LEVELS]))]
    .map((d) => JSON.stringify(d))
    .join(",");
  return fixedInputs;
}

/** The inputs are hashed once per render (`inputsHash`); each signature continues a copy of that hash. */
function inputsHash(inputs: string): Hash {
  return createHash("sha256").update(inputs).update("\0");
}

function renderSignature(inputs: Hash, text: string, context: RenderContext): string {
  const digest = inputs.copy().update(text).digest("base64url");
  return context.keys.sign("record", `embargo:render:v1\n${digest}`);
}

const SIGNATURE_LINE = /^([A-Za-z0-9_-]+) -->\s*$/;

/**
 * The inputs (their digest) each render signature this process made was made over, by signature.
 * A comment signed over other inputs cannot carry a valid signature for these (short of a hash
 * collision), so the usual command, which changes a value, does not hash the whole comment only to
 * find that out. It only ever leads to rendering; a signature not made here is checked as always.
 */
const signedOver = new Map<string, string>();
const SIGNED_KEPT = 256;
const inputsDigest = (inputs: Hash) => inputs.copy().digest("base64url");

/** `current` when it carries a valid signature over these very inputs; else undefined. */
function unchanged(current: string | undefined, inputs: Hash, context: RenderContext): string | undefined {
  const at = current?.lastIndexOf(`\n${RENDER_PREFIX}`) ?? -1;
  if (!current || at === -1) return undefined;
  // The whole rest of the comment must be the signature: base64 decoding stops at "=" and skips
  // other characters, so decoding a looser tail would let a person's text after it pass as signed.
  const tail = SIGNATURE_LINE.exec(current.slice(at + RENDER_PREFIX.length + 1));
  if (!tail) return undefined;
  const over = signedOver.get(tail[1]!);
  if (over !== undefined && over !== inputsDigest(inputs)) return undefined;
  const given = Buffer.from(tail[1]!, "base64url");
  // The current key only: a response signed before a secret rotation is rendered (and re-signed) again.
  const expected = Buffer.from(renderSignature(inputs, current.slice(0, at), context), "base64url");
  return given.length === expected.length && timingSafeEqual(given, expected) ? current : undefined;
}

/** Room kept for the framing and a warning line, so the total never reaches the limit. */
const SLACK = 600;

/**
 * The whole response comment: template output framed by the markers the app needs to find it
 * again, and the signed record. Derived ticks are settled first, so the boxes and the record agree.
 * Under GitHub's limit by construction: the record has its budget, and the view takes the first
 * level of detail whose output fits the rest (a repo's override that cannot fit falls back to the
 * built-in template at its tightest level, which is bounded).
 */
export async function renderResponse(
  record: ResponseRecord,
  config: EmbargoConfig,
  report: ReportFacts,
  overrides: OverrideSource | undefined,
  context: RenderContext,
): Promise<string> {
  // The ladder may render several times: read the repo's override once.
  const cached = new Map<string, Promise<string | null>>();
  const source: OverrideSource | undefined = overrides && ((name) => cached.get(name) ?? (cached.set(name, overrides(name)), cached.get(name)!));
  // The inputs leave out the write count: the comment's own record is one write ahead of the
  // record it was rendered from, and that alone must not make it look changed.
  const { seq: _seq, ...settled } = settleTicks(record, config, context.now);
  const override = source ? await source("response") : null;
  // By the repository's id, as the record: after a rename, events that name the repository by its
  // old name (a fix PR's link) and by its new one find the same inputs, and one that changes
  // nothing writes nothing. A comment whose record is still bound to the name (v2) is unchanged by
  // the name while the name is: it is not rewritten only to migrate it.
  const scope = scopeOf(recordScope(context.issue));
  const byName = scopeOf(context.issue);
  // The view at its fullest level carries everything the clock changes (days left).
  const fullest = responseView(settled, config, report, context.now, LEVELS[0]!);
  const settledJson = recordJson(settled);
  // What the view adds to the record, config and facts: its checklist (`phases`, most of the view)
  // is made from those by the app's own checklist, whose texts and caps are hashed once
  // (`viewTables`); the record is in the view as itself. So neither is hashed again.
  const { record: _record, phases: _phases, ...rest } = fullest;
  const part = (value: unknown) => JSON.stringify(value) ?? "null";
  const hashed = (bound: string) => inputsHash(`[${[part(bound), settledJson, configJson(config), part(report), part(rest), part(override), fixedParts()].join(",")}]`);
  const inputs = hashed(scope);
  const v2 = () => scope !== byName && context.current?.includes("<!-- embargo:record:v2 ");
  const same = unchanged(context.current, inputs, context) ?? (v2() ? unchanged(context.current, hashed(byName), context) : undefined);
  if (same !== undefined) return same;
  // One more than the record's, or than the comment's when this event already wrote it (a later
  // write in the same event may start from the record it read): every written version has its own.
  const seq = Math.max(seqOf(record), context.current === undefined ? 0 : (recordSeq(context.current, context.keys, recordScope(context.issue)) ?? 0)) + 1;
  // The write count as the last key, so the JSON is the one already made with it appended.
  const written: ResponseRecord = { ...settled, seq };
  const writtenJson = `${settledJson.slice(0, -1)}${settledJson.length > 2 ? "," : ""}"seq":${seq}}`;
  const { record: fitted, marker, shrunk } = fitRecord(written, context.keys, recordScope(context.issue), RECORD_BUDGET, writtenJson);
  const room = COMMENT_LIMIT - marker.length - RESPONSE_MARKER.length - SLACK;
  let body = "";
  for (const [level, caps] of LEVELS.entries()) {
    const last = level === LEVELS.length - 1;
    // Unshrunk, the fitted record differs only in `ran`, which the view shows only as `record`.
    const view = level === 0 && !shrunk ? { ...fullest, record: fitted } : responseView(fitted, config, report, context.now, caps);
    const { text, overrideError } = await renderTemplate("response", view, source);
    let problem = overrideError ? `\n\n> [!WARNING]\n> ${overrideError}` : "";
    body = `${text}${problem}`;
    if (body.length <= room) break;
    if (last) {
      const builtin = await renderTemplate("response", view);
      problem = overrides ? "\n\n> [!WARNING]\n> The repository's `response` template produced more than a comment can hold; the built-in one was used." : "";
      body = `${builtin.text.slice(0, room - problem.length)}${problem}`;
    }
  }
  const text = `${RESPONSE_MARKER}\n${body}\n\n${marker}`;
  const signature = renderSignature(inputs, text, context);
  signedOver.set(signature, inputsDigest(inputs));
  if (signedOver.size > SIGNED_KEPT) signedOver.delete(signedOver.keys().next().value!);
  return `${text}\n${RENDER_PREFIX}${signature} -->`;
}
