import type { CommandAction } from "../commands/command.js";
import { advisoryRepo } from "../announce/advisory-fields.js";
import { stepsLeft } from "../announce/publish-steps.js";
import { replyMarker } from "../record/markers.js";
import type { EmbargoConfig } from "../config/config-schema.js";
import type { ResponseRecord } from "../record/response-record.js";
import type { OverrideSource } from "../render/templates.js";
import type { KeyRing } from "../security/key-ring.js";
import type { NotifyDeps } from "../notify/notify.js";
import { ensureDraft, requestCve } from "./announce-advisory.js";
import { githubMessage, httpStatus, reply, workThenSave, type AnnounceCtx, type Octokit } from "./announce-context.js";
import { updatePack } from "./announce-pack.js";
import { runPreview } from "./announce-preview.js";
import { runPublish } from "./announce-publish.js";
import type { IssueState } from "./apply-effects.js";
import type { IssueRef } from "./issue-comments.js";
import { isTransient } from "./http-status.js";
import { octokitPlatform } from "./platform.js";

export interface AnnounceInput {
  issue: IssueRef;
  config: EmbargoConfig;
  record: ResponseRecord;
  state: IssueState;
  overrides: OverrideSource;
  now: Date;
  keys: KeyRing;
  /** The security issue as GitHub sent it. */
  issueData: { title: string; html_url: string; user?: { login: string } | null };
  key: string;
  notify?: NotifyDeps;
  /** Repository security advisories on this GitHub; runAnnounceActions reads it off its Octokit. Missing: they exist. */
  advisories?: boolean;
}

export function announceCtx(input: AnnounceInput): AnnounceCtx {
  const { issue, config, record } = input;
  const repo = advisoryRepo(record, config);
  return {
    issue,
    config,
    botLogin: input.state.botLogin,
    overrides: input.overrides,
    now: input.now,
    keys: input.keys,
    report: { title: input.issueData.title, reporter: input.issueData.user?.login ?? "" },
    facts: {
      project: repo ? repo.split("/")[1]! : issue.owner,
      vendor: repo ? repo.split("/")[0]! : issue.owner,
      issueUrl: input.issueData.html_url,
      issueNumber: issue.issue_number,
      htmlBase: new URL(input.issueData.html_url).origin,
      advisoryUrl: record.advisory?.url,
      publishedAt: record.advisory?.published_at,
      reporter: input.issueData.user?.login,
      advisories: input.advisories ?? true,
    },
    key: input.key,
    state: input.state,
    record,
    advisories: input.advisories ?? true,
    notify: input.notify,
  };
}

type Executor = (octokit: Octokit, ctx: AnnounceCtx, action: CommandAction) => Promise<{ ok: true } | { ok: false; error: string }>;

/** `/announce`'s actions run here, not through the generic executors: they record each step themselves. */
export function isAnnounceAction(action: CommandAction): boolean {
  return action.kind.startsWith("announce.");
}

/** The announce executors by action kind. */
export const ANNOUNCE_EXECUTORS: Record<string, Executor> = {
  "announce.draft": (octokit, ctx) => ensureDraft(octokit, ctx),
  "announce.pack": async (octokit, ctx) => {
    await updatePack(octokit, ctx);
    return { ok: true };
  },
  "announce.cve": (octokit, ctx) => requestCve(octokit, ctx),
  "announce.preview": async (octokit, ctx) => {
    await runPreview(octokit, ctx);
    return { ok: true };
  },
  "announce.publish": (octokit, ctx) => runPublish(octokit, ctx),
};

/**
 * Runs a command's announce actions in order, then writes the response once: what was done, and
 * the command's lines as ran (`settle`). A refusal (GitHub 4xx) or a failure is replied in the
 * issue and stops the rest. An outage (5xx, network, rate limit) is not an answer: the response is
 * still written with what was done, then the event fails and its redelivery finishes the work.
 * False = not 👍.
 */
export async function runAnnounceActions(
  octokit: Octokit,
  input: AnnounceInput,
  actions: CommandAction[],
  /** A last change to the record once the actions are done or answered (the command's lines count as ran). */
  settle?: (record: ResponseRecord) => ResponseRecord,
): Promise<boolean> {
  // The operator's API base URL, never a payload, says whether this GitHub has advisories (GHES has none).
  const ctx = announceCtx({ ...input, advisories: octokitPlatform(octokit).advisories });
  return workThenSave(octokit, ctx, () => runInOrder(octokit, ctx, input.key, actions), settle);
}

/** The actions one after another; false once one is refused or failed (replied), thrown on an outage. */
async function runInOrder(octokit: Octokit, ctx: AnnounceCtx, key: string, actions: CommandAction[]): Promise<boolean> {
  for (const action of actions) {
    const executor = ANNOUNCE_EXECUTORS[action.kind];
    if (!executor) continue;
    const publish = action.kind === "announce.publish";
    // A run of the steps tries a refused one again: the refusal is this run's to record anew, or not.
    if (publish && ctx.record.publish_refused) ctx.record = withoutRefusal(ctx.record);
    let result;
    let status: number | undefined;
    try {
      result = await executor(octokit, ctx, action);
    } catch (error) {
      if (isTransient(error)) throw error;
      status = httpStatus(error);
      const left = publish ? stepsLeft(ctx.record) : [];
      const again = publish ? `Steps still to do: ${left.join(", ") || "updating the pack"}. Run \`/announce publish\` again to finish; steps already done are not repeated.` : "Nothing was half-recorded; run the command again.";
      result = { ok: false as const, error: `GitHub failed (${status ?? "no answer"}: ${githubMessage(error)}). ${again}` };
    }
    if (!result.ok) {
      const step = publish ? (stepsLeft(ctx.record)[0] ?? "pack") : undefined;
      const replyKey = `announce-failed-${key}-${action.kind}`;
      // Keyed by the step too: a run under the same key (a redelivered repository_advisory.published,
      // the tick's) refused at another step is told again.
      if (!step || !toldBefore(ctx, replyKey, step)) await reply(octokit, ctx, step ? `${replyKey}-${step}` : replyKey, result.error);
      // Recorded with the run's one write, once the team was told (a reply cut short by an outage
      // records nothing, so the next run is refused again and tells): the tick leaves these steps
      // to `/announce publish`.
      if (step) ctx.record = { ...ctx.record, publish_refused: { step, at: ctx.now.toISOString(), ...(status ? { status } : {}) } };
      return false;
    }
  }
  return true;
}

/** A refusal of `step` replied before replies named their step: under the key alone, naming it first among the steps left. */
function toldBefore(ctx: AnnounceCtx, key: string, step: string): boolean {
  const left = `Steps still to do: ${step === "pack" ? "updating the pack" : step}`;
  return ctx.state.comments.some((c) => c.login === ctx.botLogin && c.body.includes(replyMarker(key)) && c.body.includes(left));
}

function withoutRefusal(record: ResponseRecord): ResponseRecord {
  const { publish_refused: _refused, ...rest } = record;
  return rest;
}
