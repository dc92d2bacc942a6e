import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { randomBytes } from "node:crypto";
import { decodeRecord, type RecordScope } from "../record/markers.js";
import { KeyRing } from "../security/key-ring.js";
import { secretsFromEnv } from "../adapters/probot-from-env.js";
import { LEVELS } from "../response/view-budget.js";
import type { ResponseRecord } from "../record/response-record.js";
import { BUILTIN_DIR, OVERRIDE_DIR, renderTemplate, type OverrideSource } from "../render/templates.js";
import { renderResponse, responseView } from "../response/render-response.js";
import { SAMPLE_REPORT, sampleConfig, sampleRecord, sampleView } from "./sample-views.js";

export interface PreviewIo {
  out: (text: string) => void;
  err: (text: string) => void;
  now?: Date;
  /** Where the app's secret is read from, to verify a saved comment's record (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/** The issue a preview pretends to render for (`--issue`): a saved comment's record is checked against it too. */
const SAMPLE_ISSUE = { owner: "acme", repo: "security", issue_number: 7 };

function parseIssue(text: string): typeof SAMPLE_ISSUE | undefined {
  const m = /^([\w.-]+)\/([\w.-]+)#(\d+)$/.exec(text);
  return m ? { owner: m[1]!, repo: m[2]!, issue_number: Number(m[3]) } : undefined;
}

/**
 * The app's keys when the environment has its secret (a saved comment's record then verifies as it
 * would in the app); otherwise a throw-away key: a preview's signature is never used for anything.
 * Unlike the app, it does not require WEBHOOK_SECRET: a preview serves no webhooks.
 */
function previewKeys(env: NodeJS.ProcessEnv): { keys: KeyRing; real: boolean } {
  const secrets = secretsFromEnv(env);
  if (secrets) return { keys: new KeyRing(secrets.secret, secrets.previousSecret), real: true };
  return { keys: new KeyRing(randomBytes(32).toString("base64url")), real: false };
}

const USAGE = "usage: embargo preview <template | path/to/override.hbs> [--record record.json | response-comment.md [--issue owner/repo#n [--repo-id <id>]]]";

function builtinNames(): string[] {
  return readdirSync(BUILTIN_DIR).filter((f) => f.endsWith(".hbs")).map((f) => f.slice(0, -4)).sort();
}

const where = (scope: RecordScope) => (typeof scope === "string" ? scope : `${scope.owner}/${scope.repo}#${scope.issue_number}${scope.repo_id !== undefined ? ` (repository id ${scope.repo_id})` : ""}`);

/** A record as JSON, or the text of a response comment (its signed record marker is verified). */
function readRecord(file: string, keys: { keys: KeyRing; real: boolean }, issue: RecordScope): ResponseRecord | string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return `${file} cannot be read: ${(error as Error).message}`;
  }
  try {
    const parsed = JSON.parse(text) as ResponseRecord;
    if (parsed?.v === 1 && typeof parsed.state === "string") return parsed;
    return `${file} is JSON but not a response record (it needs "v": 1 and a "state")`;
  } catch {
    const decoded = decodeRecord(text, keys.keys, issue);
    if (decoded.found) return decoded.record;
    if (!keys.real) return `${file}: a response comment's record is signed; set EMBARGO_SECRET (or WEBHOOK_SECRET) as the app has it to read it, or pass the record as JSON`;
    return `${file} is neither a record as JSON nor a response comment whose record verifies for ${where(issue)} under this secret (a record verifies only on its own issue: name it with --issue owner/repo#n, and with --repo-id the repository's id, which records are signed over since v3)`;
  }
}

/**
 * `embargo preview`: renders a template as the app would (same renderer, same neutralized view,
 * the app's markers around the response), with a sample record or the one given. A path to a
 * `.hbs` file previews a repository's override of the built-in template of the same name.
 */
export async function runPreview(args: string[], io: PreviewIo): Promise<number> {
  const positional: string[] = [];
  let recordFile: string | undefined;
  let issueText: string | undefined;
  let repoIdText: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--record") recordFile = args[++i];
    else if (args[i] === "--issue") issueText = args[++i];
    else if (args[i] === "--repo-id") repoIdText = args[++i];
    else positional.push(args[i]!);
  }
  const [template] = positional;
  if (!template || positional.length > 1 || (args.includes("--record") && !recordFile) || (args.includes("--issue") && !issueText) || (repoIdText !== undefined && !/^\d+$/.test(repoIdText))) {
    io.err(USAGE);
    return 2;
  }
  const issue = issueText === undefined ? SAMPLE_ISSUE : parseIssue(issueText);
  if (!issue) {
    io.err(`--issue ${issueText} is not an issue as owner/repo#n, e.g. acme/security#7`);
    return 2;
  }
  const isFile = template.endsWith(".hbs");
  const name = isFile ? basename(template, ".hbs") : template;
  const names = builtinNames();
  if (!names.includes(name)) {
    io.err(`\`${name}\` is not one of embargo's templates (${names.join(", ")})${isFile ? `: an override must be named after the template it replaces, in ${OVERRIDE_DIR}/` : ""}`);
    return 2;
  }
  if (isFile && !existsSync(template)) {
    io.err(`${template} does not exist`);
    return 2;
  }
  const overrides: OverrideSource | undefined = isFile ? async (n) => (n === name ? readFileSync(template, "utf8") : null) : undefined;

  const config = sampleConfig();
  const now = io.now ?? new Date();
  const keys = previewKeys(io.env ?? process.env);
  const record = recordFile ? readRecord(recordFile, keys, repoIdText === undefined ? issue : { ...issue, repo_id: Number(repoIdText) }) : sampleRecord(now);
  if (typeof record === "string") {
    io.err(record);
    return 2;
  }
  if (name === "response") {
    io.out(await renderResponse(record, config, SAMPLE_REPORT, overrides, { keys: keys.keys, issue, now }));
    return 0;
  }
  let view = await sampleView(name, record, config, now, keys.keys);
  if (!view) {
    io.err(`(no sample view for \`${name}\`: rendered with the response view, which includes \`record\`)`);
    view = responseView(record, config, SAMPLE_REPORT, now, LEVELS[0]!);
  }
  const { text, overrideError } = await renderTemplate(name, view, overrides);
  if (overrideError) io.err(`WARNING: ${overrideError}`);
  io.out(text);
  return overrideError ? 1 : 0;
}
