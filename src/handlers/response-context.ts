import type { Context, ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import { readConfigFrom } from "../github/read-config.js";
import { listComments, type CommentSummary, type IssueRef } from "../github/issue-comments.js";
import { repoOverrides } from "../github/template-overrides.js";
import { postComment } from "../github/issue-writes.js";
import { registerResponse } from "../github/event-scope.js";
import { recordScope, learnRepoId } from "../github/repo-ids.js";
import { chooseResponse } from "../github/response-choice.js";
import { forgetResponseComment, isPartial, markPartial, readCommentOfIssue, rememberedResponseComment, rememberResponseComment } from "../github/response-comment.js";
import { CONFIG_ERROR_MARKER, decodeRecord, RESPONSE_MARKER, seqOf } from "../record/markers.js";
import { judgeSeq, readMark, readPastLag, watchWrites } from "../github/record-mark.js";
import type { ResponseRecord } from "../record/response-record.js";
import type { OverrideSource } from "../render/templates.js";
import { renderTemplate, trusted } from "../render/templates.js";
import { neutralize } from "../render/neutralize.js";
import type { KeyedQueue } from "../util/keyed-queue.js";
import type { LinkSealer } from "../pr/pr-link.js";
import type { KeyRing } from "../security/key-ring.js";
import type { Store } from "../store/store.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** What every handler shares: injected so tests can fix the clock. */
export interface Deps {
  botLogin: () => Promise<string>;
  /** The app's id: only its own check runs are read. */
  appId: () => Promise<number>;
  queue: KeyedQueue;
  now: () => Date;
  sealer: LinkSealer;
  /** The app's keys: PR-link sealing and record signatures. */
  keys: KeyRing;
  /** Where `notify.slack_webhook_env` is looked up (src/notify); default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Memory kept between events (src/store/store.ts): in-process, or shared through Redis. */
  store: Store;
  /** False: the app keeps no dashboards (`createApp`'s `dashboard: false`), so nothing is noted on one. */
  dashboards?: boolean;
}

export interface LoadedResponse {
  octokit: Octokit;
  issue: IssueRef;
  config: EmbargoConfig;
  botLogin: string;
  comments: CommentSummary[];
  record?: ResponseRecord;
  /** The app's response comment exists but its record was destroyed or does not verify (edited by a person). */
  damaged: boolean;
  /** Set when damaged: "missing" or a short id of the marker that failed to verify (one reply per damage). */
  damage?: string;
  /** Damaged because the record is an older version than the app last wrote or read (src/github/record-mark.ts). */
  rolledBack?: boolean;
  /** That high-water mark, as read before the comment (undefined: none known). */
  mark?: number;
  overrides: OverrideSource;
}

export { issueKey } from "../github/issue-comments.js";
export { responseKey } from "../github/repo-ids.js";

type ConfigContext = Pick<Context, "octokit" | "repo">;

/** The event's repository's config, read and merged the one way every path reads config. */
export async function readConfig(context: ConfigContext, store?: Store) {
  const { owner, repo } = context.repo();
  return readConfigFrom(context.octokit, owner, repo, store);
}

/** Problems listed in one comment: a file can have thousands, and GitHub refuses a comment over 65,536 characters. */
const LISTED_PROBLEMS = 50;

/**
 * Posts the configuration problems once per distinct set of problems: a redelivery or a second
 * event with the same broken file does not repeat it.
 */
export async function reportConfigProblems(
  octokit: Octokit,
  issue: IssueRef,
  problems: string[],
  label: string,
  botLogin: string,
  comments?: CommentSummary[],
  /** How to try again once fixed: re-add the label (default), write the command again, or finish a publish made on GitHub. */
  retry: "label" | "command" | "publish" = "label",
): Promise<void> {
  const listed = problems.slice(0, LISTED_PROBLEMS);
  const { text } = await renderTemplate("config-error", {
    file: "embargo.yml",
    label,
    retry_command: retry === "command",
    retry_publish: retry === "publish",
    problems: listed.map((p) => trusted(neutralize(p).replace(/</g, "&lt;"))),
    more: problems.length > listed.length ? (problems.length - listed.length).toLocaleString("en-US") : undefined,
  });
  const body = `${CONFIG_ERROR_MARKER}\n${text}`;
  const existing = comments && !isPartial(comments) ? comments : await listComments(octokit, issue);
  if (existing.some((c) => c.login === botLogin && c.body === body)) return;
  // This set of problems, word for word: another set is another comment.
  await postComment(octokit, issue, body, { marker: body, botLogin });
}

/**
 * The response comment: by the id remembered for this issue (one read) when that comment is still
 * the app's, on this issue, with a record that verifies for this issue; else by listing every
 * comment, as on first sight. A stale or forged id therefore costs one read, never trust.
 */
async function findResponse(octokit: Octokit, issue: IssueRef, botLogin: string, keys: KeyRing, store?: Store, allComments = false) {
  const id = store && !allComments ? await rememberedResponseComment(store, issue) : undefined;
  if (store && id !== undefined) {
    const own = await readCommentOfIssue(octokit, issue, id);
    const decoded = own && own.login === botLogin && own.body.includes(RESPONSE_MARKER) ? decodeRecord(own.body, keys, recordScope(issue)) : undefined;
    if (own && decoded?.found) return { comments: markPartial([own]), own, decoded };
    await forgetResponseComment(store, issue);
  }
  // Two own responses (an older version's retried create, a copy by hand): one is chosen, the same way every time.
  const verify = (body: string) => {
    const d = decodeRecord(body, keys, recordScope(issue));
    return d.found ? d.record : undefined;
  };
  const { own, comments } = chooseResponse(await listComments(octokit, issue), botLogin, verify);
  const decoded = own ? decodeRecord(own.body, keys, recordScope(issue)) : undefined;
  if (store && own && decoded?.found) await rememberResponseComment(store, issue, own.id);
  return { comments, own, decoded };
}

/**
 * Reads the response comment and its record; used by every handler that touches a response.
 * With the app's `store`, the response is found by its remembered id and `comments` holds only
 * it (replies are then looked for by `applyEffects`, src/github/response-comment.ts); with
 * `allComments` (or no store), `comments` is every comment of the issue (for work that needs them
 * all: announce, reminders).
 */
export async function loadResponse(
  octokit: Octokit,
  issue: IssueRef,
  config: EmbargoConfig,
  botLogin: string,
  keys: KeyRing,
  store?: Store,
  options: { allComments?: boolean } = {},
): Promise<LoadedResponse> {
  // A record is bound to its repository's id: an event that does not know it (a link sealed before
  // links carried it, an event on another repository) reads it once.
  await learnRepoId(octokit, issue);
  const mark = store ? await readMark(store, issue) : undefined;
  const found = await findResponse(octokit, issue, botLogin, keys, store, options.allComments);
  const { comments } = found;
  // An older copy is still the app's own text: its secrets are the event's to keep, as the current one's.
  registerResponse(issue, found.decoded?.found ? found.decoded.record : undefined);
  let decoded = found.decoded;
  let rolledBack = false;
  if (store) {
    watchWrites(issue, store, keys);
    let seq = decoded?.found ? seqOf(decoded.record) : undefined;
    // Below the mark: perhaps only a read that lags the app's last write (src/github/record-mark.ts).
    if (seq !== undefined && mark !== undefined && seq < mark && found.own) {
      const again = await readPastLag(octokit, issue, found.own, botLogin, seq, (body) => {
        const d = decodeRecord(body, keys, recordScope(issue));
        return d.found ? d.record : undefined;
      });
      if (again) {
        found.own.body = again.body;
        decoded = { found: true, record: again.record };
        seq = seqOf(again.record);
        registerResponse(issue, again.record);
      }
    }
    if (seq !== undefined && (await judgeSeq(store, issue, mark, seq)) === "behind") {
      rolledBack = true;
      decoded = { found: false, damaged: true, fingerprint: `rolled-back-${seq}-${mark}` };
    }
  }
  return {
    octokit,
    issue,
    config,
    botLogin,
    comments,
    record: decoded?.found ? decoded.record : undefined,
    damaged: decoded ? !decoded.found : false,
    damage: decoded && !decoded.found ? decoded.fingerprint : undefined,
    rolledBack,
    mark,
    overrides: repoOverrides(octokit, issue.owner, issue.repo, store),
  };
}
