import type { ProbotOctokit } from "probot";
import type { AnnounceFacts } from "../announce/announce-view.js";
import type { EmbargoConfig } from "../config/config-schema.js";
import type { ResponseRecord } from "../record/response-record.js";
import { neutralize } from "../render/neutralize.js";
import type { OverrideSource } from "../render/templates.js";
import { noEffects } from "../response/effects.js";
import { renderResponse, type ReportFacts } from "../response/render-response.js";
import { responseLabels } from "../response/response-labels.js";
import type { KeyRing } from "../security/key-ring.js";
import type { NotifyDeps } from "../notify/notify.js";
import { notifyResponse, type NewNotice } from "../notify/notify-response.js";
import { applyEffects, type IssueState } from "./apply-effects.js";
import { findOwnComment, type IssueRef } from "./issue-comments.js";
import { RESPONSE_MARKER } from "../record/markers.js";

export type Octokit = InstanceType<typeof ProbotOctokit>;

/** What every announce executor gets: the security issue as loaded, and the record as it stands now. */
export interface AnnounceCtx {
  issue: IssueRef;
  config: EmbargoConfig;
  botLogin: string;
  overrides: OverrideSource;
  now: Date;
  keys: KeyRing;
  report: ReportFacts;
  facts: AnnounceFacts;
  /** The command's comment id (or the webhook's delivery key): reply keys derive from it. */
  key: string;
  state: IssueState;
  record: ResponseRecord;
  /** Repository security advisories on this GitHub (src/github/platform.ts): none on GHES, so no advisory call is made. */
  advisories: boolean;
  /** Chat notifications (src/notify): "announced" once the response is. */
  notify?: NotifyDeps;
  /** The publish reached "announced": the issue is closed with the run's one response write. */
  close?: boolean;
  /** Chat messages to send right before that write, which records them as sent (or pending). */
  notices?: NewNotice[];
}

/**
 * Writes the record into the response comment (and its labels, and the close a publish reached):
 * an announce run's one response write, made once its work is done or has failed.
 */
export async function saveRecord(octokit: Octokit, ctx: AnnounceCtx, record: ResponseRecord): Promise<void> {
  if (ctx.notices?.length) {
    const target = { repo: `${ctx.issue.owner}/${ctx.issue.repo}`, number: ctx.issue.issue_number, url: ctx.facts.issueUrl };
    record = await notifyResponse(ctx.notify, ctx.config, target, record, ctx.notices, ctx.report.title);
    ctx.notices = [];
  }
  ctx.record = record;
  const current = findOwnComment(ctx.state.comments, ctx.botLogin, RESPONSE_MARKER)?.body;
  const responseBody = await renderResponse(record, ctx.config, ctx.report, ctx.overrides, { keys: ctx.keys, issue: ctx.issue, now: ctx.now, current });
  const close = ctx.close ? { close: "completed" as const } : {};
  await applyEffects(octokit, ctx.issue, ctx.state, { ...noEffects(), ...close, responseBody, ...responseLabels(ctx.state.labels, record) });
}

/**
 * An announce run's work, then its one response write (with `settle`'s last change). When the work
 * throws, what it did is still written (best effort: a redelivery finds every step again without
 * it, but it shows the team what is done), and the error goes on: the event fails and is redelivered.
 */
export async function workThenSave<T>(octokit: Octokit, ctx: AnnounceCtx, work: () => Promise<T>, settle: (record: ResponseRecord) => ResponseRecord = (r) => r): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await saveRecord(octokit, ctx, ctx.record).catch(() => undefined);
    throw error;
  }
  await saveRecord(octokit, ctx, settle(ctx.record));
  return result;
}

/** A reply in the security issue, posted once per key. */
export async function reply(octokit: Octokit, ctx: AnnounceCtx, key: string, body: string): Promise<void> {
  await applyEffects(octokit, ctx.issue, ctx.state, { ...noEffects(), replies: [{ key, body }] });
}

export { httpStatus } from "./http-status.js";

/** GitHub's own words for a refused request, safe to quote. */
export function githubMessage(error: unknown): string {
  const data = (error as { response?: { data?: { message?: string; errors?: unknown[] } } }).response?.data;
  const details = (data?.errors ?? []).map((e) => (typeof e === "string" ? e : ((e as { message?: string }).message ?? JSON.stringify(e))));
  const text = [data?.message ?? (error as Error).message, ...details].filter(Boolean).join("; ");
  return neutralize(text.slice(0, 500)).replace(/</g, "&lt;");
}

/** `owner/name` split for Octokit calls. */
export function repoParams(full: string): { owner: string; repo: string } {
  const [owner, repo] = full.split("/") as [string, string];
  return { owner, repo };
}
