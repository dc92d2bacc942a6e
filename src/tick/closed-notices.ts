import { applyEffects, type IssueState } from "../github/apply-effects.js";
import { findOwnComment } from "../github/issue-comments.js";
import { loadResponse } from "../handlers/response-context.js";
import { notifyResponse } from "../notify/notify-response.js";
import { RESPONSE_MARKER } from "../record/markers.js";
import type { ResponseRecord } from "../record/response-record.js";
import { noEffects } from "../response/effects.js";
import { renderResponse } from "../response/render-response.js";
import { syncBoxes } from "../response/sync-boxes.js";
import type { ReconcileInput } from "./reconcile-response.js";

/** As the tick reconciles an open response, without the PR repos' configs (no PR is synced here). */
export type ClosedNoticesInput = Omit<ReconcileInput, "prConfigs">;

/**
 * A closed response whose chat messages the webhook refused (the "closed" or "announced" message
 * itself, often): the tick visits open responses only, and a closed issue may see no other event,
 * so the dashboard's row says the messages wait (`notify`) and the tick sends them from here. Only
 * the messages: a closed response is not reconciled otherwise. Returns the record as it is now.
 */
export async function retryClosedNotices(input: ClosedNoticesInput): Promise<ResponseRecord | undefined> {
  const { deps, octokit, owner, repo, issue, config } = input;
  const ref = { owner, repo, issue_number: issue.number };
  const botLogin = await deps.botLogin();
  const loaded = await loadResponse(octokit, ref, config, botLogin, deps.keys, deps.store);
  const own = findOwnComment(loaded.comments, botLogin, RESPONSE_MARKER);
  if (!loaded.record || !own || !loaded.record.notify_pending?.length) return loaded.record;
  const notifyDeps = { env: deps.env ?? process.env, log: { info: input.log, warn: input.log } };
  const target = { repo: `${owner}/${repo}`, number: issue.number, url: issue.html_url };
  const before = syncBoxes(loaded.record, own.body, deps.now(), config);
  const record = await notifyResponse(notifyDeps, config, target, before, [], issue.title);
  if (record === before) return record;
  const responseBody = await renderResponse(record, config, { title: issue.title, reporter: issue.author }, loaded.overrides, { keys: deps.keys, issue: ref, now: deps.now() });
  const state: IssueState = { comments: loaded.comments, botLogin, labels: [...issue.labels], assignees: [...issue.assignees], open: issue.open };
  await applyEffects(octokit, ref, state, { ...noEffects(), responseBody });
  return record;
}
