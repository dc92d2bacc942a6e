import type { CommandAction } from "../commands/command.js";
import type { ActionContext, ActionResult } from "./action-executors.js";
import { githubMessage, httpStatus, repoParams } from "./announce-context.js";
import { isTransient } from "./http-status.js";
import { octokitPlatform } from "./platform.js";

/** Advisory states a command may set on a reported advisory: accepted as a draft, or closed. */
const STATES = ["draft", "closed"] as const;

/**
 * `advisory.state`: a private report's advisory follows the triage decision (`/triage confirm` →
 * draft; `invalid`, `no-action` → closed). Only the advisory the response was opened from (its
 * record's GHSA id and repo, tied at intake by the security repo's own config) is touched.
 */
export async function setAdvisoryState(action: CommandAction, { octokit, record, log }: ActionContext): Promise<ActionResult> {
  const state = action.state as (typeof STATES)[number];
  if (!STATES.includes(state) || !record.ghsa || !record.advisory) return { ok: false, problem: "this response is not tied to a reported advisory" };
  if (record.advisory_state === state) return { ok: true };
  if (!octokitPlatform(octokit).advisories) return { ok: false, problem: `this GitHub Enterprise Server has no repository security advisories: ${record.ghsa} cannot be set to ${state} here` };
  try {
    await octokit.rest.securityAdvisories.updateRepositoryAdvisory({ ...repoParams(record.advisory.repo), ghsa_id: record.ghsa, state });
  } catch (error) {
    const status = httpStatus(error);
    if (status === undefined || isTransient(error)) throw error;
    log(`advisory ${record.ghsa} → ${state} refused: ${status}`);
    return { ok: false, problem: `GitHub refused to set ${record.ghsa} on ${record.advisory.repo} to ${state} (${status}): ${githubMessage(error)}` };
  }
  return { ok: true, update: (r) => ({ ...r, advisory_state: state }) };
}

/**
 * When the response's advisory is published on GitHub but the response has not followed it (the
 * `repository_advisory.published` webhook was lost): its publication time. Read by the tick, one
 * call per open response with an advisory not yet published by the app; a 404 or 403 (the
 * advisory deleted, the app's access gone) is no publication.
 */
export async function missedPublication(octokit: ActionContext["octokit"], record: { ghsa?: string; advisory?: { repo: string }; publish_steps?: Record<string, string> }): Promise<{ at: string | null } | undefined> {
  if (!record.ghsa || !record.advisory || record.publish_steps?.advisory) return undefined;
  // GHES has no advisories to read (a record naming one came from elsewhere): never asked.
  if (!octokitPlatform(octokit).advisories) return undefined;
  try {
    const { data } = await octokit.rest.securityAdvisories.getRepositoryAdvisory({ ...repoParams(record.advisory.repo), ghsa_id: record.ghsa });
    return data.state === "published" ? { at: data.published_at ?? null } : undefined;
  } catch (error) {
    if (isTransient(error) || httpStatus(error) === undefined) throw error;
    return undefined;
  }
}
