import type { ProbotOctokit } from "probot";
import type { CommandAction } from "../commands/command.js";
import type { EmbargoConfig } from "../config/config-schema.js";
import type { ResponseRecord } from "../record/response-record.js";
import { httpStatus, isTransient } from "./http-status.js";
import { setAdvisoryState } from "./advisory-state.js";
import type { IssueRef } from "./issue-comments.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** What an executor may use: the security issue, its config, and who wrote the command. */
export interface ActionContext {
  octokit: Octokit;
  issue: IssueRef;
  config: EmbargoConfig;
  /** The comment's author: check their rights before acting on their behalf elsewhere. */
  author: string;
  log: (message: string) => void;
  /** The record as the commands left it (written just before the actions run). */
  record: ResponseRecord;
}

/**
 * `update` changes the record once the action succeeded (a GHSA id, a CVE, a published date);
 * a failed action says what failed in words the team can act on.
 */
export type ActionResult = { ok: true; update?: (record: ResponseRecord) => ResponseRecord } | { ok: false; problem: string };

export type ActionExecutor = (action: CommandAction, context: ActionContext) => Promise<ActionResult>;

/**
 * Executors by action kind. Commands only name the work (`outcome.actions`); the command handler
 * runs each action here after the response is written. To add a kind (`/announce`'s advisory,
 * CVE request, publishing), add its executor to this table: the handler needs no change.
 */
export const ACTION_EXECUTORS: Record<string, ActionExecutor> = {
  "advisory.state": (action, context) => setAdvisoryState(action, context),
};

/** Runs one action; GitHub's refusals become a problem to answer, never a thrown handler. */
export async function runAction(action: CommandAction, context: ActionContext): Promise<ActionResult> {
  const executor = ACTION_EXECUTORS[action.kind];
  if (!executor) return { ok: false, problem: `the app cannot do \`${action.kind}\` yet` };
  try {
    return await executor(action, context);
  } catch (error) {
    const status = httpStatus(error);
    if (status === undefined || isTransient(error)) throw error;
    context.log(`action ${action.kind} failed: ${status} ${(error as Error).message}`);
    return { ok: false, problem: `GitHub answered ${status} (${(error as Error).message.split("\n")[0]!.slice(0, 200)})` };
  }
}
