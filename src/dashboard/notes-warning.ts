import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import { findNotesWarning, postNotesWarning, resolveNotesWarning, type DashboardIssue } from "../github/dashboard-issue.js";
import type { Deps } from "../handlers/response-context.js";
import { renderTemplate } from "../render/templates.js";
import type { NotesTooLong } from "./decide-dashboard.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * The warning's comment id, per dashboard, while people's notes leave the app no room: one comment
 * however many events meet the full issue (none of them costs a call), and the write that fits
 * again marks that comment resolved. Past the expiry, the next event that meets the full issue
 * finds the comment again by its marker.
 */
const WARNED_TTL_MS = 90 * 24 * 3_600_000;
const warnedKey = (owner: string, repo: string, n: number) => `dashboard-notes-warned:${owner}/${repo}#${n}`.toLowerCase();

export interface NotesTarget {
  octokit: Octokit;
  owner: string;
  repo: string;
  dashboard: DashboardIssue;
  botLogin: string;
  log: (m: string) => void;
}

/**
 * The dashboard cannot be written (people's notes and the app's smallest block pass GitHub's
 * limit; GitHub would refuse the edit): the issue is left as it is, and one comment on it says why
 * and what to do. Not an error: the response's event goes on, and every later write tries again.
 */
export async function warnNotesTooLong(deps: Deps, t: NotesTarget, tooLong: NotesTooLong, config: EmbargoConfig): Promise<void> {
  const where = `${t.owner}/${t.repo}#${t.dashboard.number}`;
  t.log(`${where}: the dashboard was not updated: people's notes around its block take ${tooLong.notes} characters, and with the block (${tooLong.block}) the issue would pass GitHub's 65,536`);
  const key = warnedKey(t.owner, t.repo, t.dashboard.number);
  if (await deps.store.get(key)) return;
  const found = await findNotesWarning(t.octokit, t.owner, t.repo, t.dashboard.number, t.botLogin);
  const id = found ?? (await postNotesWarning(t.octokit, t.owner, t.repo, t.dashboard.number, (await renderTemplate("dashboard-notes-too-long", notesView(tooLong, config))).text, t.botLogin));
  await deps.store.set(key, String(id), WARNED_TTL_MS);
}

/** After a write that fit: a warning still standing says the dashboard is current again. */
export async function resolveNotesTooLong(deps: Deps, t: NotesTarget, now: Date): Promise<void> {
  const key = warnedKey(t.owner, t.repo, t.dashboard.number);
  const id = Number(await deps.store.get(key));
  if (!id) return;
  const { text } = await renderTemplate("dashboard-notes-too-long", { resolved: true, on: now.toISOString().slice(0, 10) });
  await resolveNotesWarning(t.octokit, t.owner, t.repo, id, text);
  await deps.store.del(key);
}

export function notesView(tooLong: NotesTooLong, config: Pick<EmbargoConfig, "team" | "notify_team">) {
  return {
    resolved: false,
    team: config.notify_team && config.team ? config.team : undefined,
    notes: tooLong.notes.toLocaleString("en-US"),
    block: tooLong.block.toLocaleString("en-US"),
  };
}
