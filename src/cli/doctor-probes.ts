import { rawConfigFrom } from "../github/read-config.js";
import type { CliOctokitInstance } from "./cli-octokit.js";

/** Every GitHub read `embargo doctor` makes; each answers data or the HTTP status GitHub gave. */
export type Probe<T> = { ok: true; data: T } | { ok: false; status: number; message: string };

async function probe<T>(call: () => Promise<{ data: T }>): Promise<Probe<T>> {
  try {
    return { ok: true, data: (await call()).data };
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (typeof status !== "number") throw error;
    return { ok: false, status, message: (error as Error).message };
  }
}

export interface AppInfo {
  id: number;
  slug: string;
  html_url: string;
  /** What the app asks of every installation (its settings, from app.yml). */
  permissions: Record<string, string>;
}

export const getApp = (app: CliOctokitInstance) =>
  probe(async () => {
    const { data } = await app.rest.apps.getAuthenticated();
    const permissions = Object.fromEntries(Object.entries(data?.permissions ?? {}).filter((e): e is [string, string] => typeof e[1] === "string"));
    return { data: { id: data?.id ?? 0, slug: data?.slug ?? "", html_url: data?.html_url ?? "", permissions } as AppInfo };
  });

export const getInstallation = (app: CliOctokitInstance, owner: string, repo: string) =>
  probe(() => app.rest.apps.getRepoInstallation({ owner, repo }));

export const getRepo = (octokit: CliOctokitInstance, owner: string, repo: string) => probe(() => octokit.rest.repos.get({ owner, repo }));

/**
 * `.github/embargo.yml` exactly as the app reads it (the repo's file, else the owner's `.github`
 * repo, `_extends` followed, lists replaced rather than joined). Null: no file.
 */
export async function readRawConfig(octokit: CliOctokitInstance, owner: string, repo: string): Promise<unknown> {
  return rawConfigFrom(octokit as never, owner, repo);
}

export const getTeam = (octokit: CliOctokitInstance, org: string, team_slug: string) =>
  probe(() => octokit.rest.teams.getByName({ org, team_slug }));

export const listTeamMembers = (octokit: CliOctokitInstance, org: string, team_slug: string) =>
  probe(() => octokit.rest.teams.listMembersInOrg({ org, team_slug, per_page: 1 }));

export const getLabel = (octokit: CliOctokitInstance, owner: string, repo: string, name: string) =>
  probe(() => octokit.rest.issues.getLabel({ owner, repo, name }));

/** A required status check as either source names it; `appId` is the app it must come from, if pinned. */
export interface RequiredCheck {
  context: string;
  appId?: number;
  source: "ruleset" | "branch protection";
}

/** What a branch requires, as far as the app can read it: `classicUnread` when it could not read all of it. */
export interface BranchChecks {
  checks: RequiredCheck[];
  /**
   * The branch is protected, no ruleset applies to it (so a classic rule protects it), and GitHub's
   * branch summary leaves out that rule's status checks altogether: its full settings need the
   * administration permission, which the app does not ask for, so whether it requires one is not
   * known. A summary that shows them (`enforcement_level` "off", none listed) is GitHub's word
   * that the rule requires none.
   */
  classicUnread: boolean;
}

/**
 * The status checks required on a branch, from rulesets (`GET …/rules/branches/{branch}`, what
 * applies to the branch from every level, readable with read access) and from classic branch
 * protection (the summary in `GET …/branches/{branch}`, readable without the administration
 * permission, and perhaps not all of it: `classicUnread`). Null: no branch.
 */
export async function requiredChecks(octokit: CliOctokitInstance, owner: string, repo: string, branch: string): Promise<Probe<BranchChecks | null>> {
  const found = await probe(() => octokit.rest.repos.getBranch({ owner, repo, branch }));
  if (!found.ok) return found.status === 404 ? { ok: true, data: null } : found;
  const checks: RequiredCheck[] = [];
  const classic = found.data.protection?.required_status_checks;
  for (const c of classic?.checks ?? []) checks.push({ context: c.context, appId: c.app_id ?? undefined, source: "branch protection" });
  for (const c of classic?.contexts ?? []) if (!checks.some((x) => x.context === c)) checks.push({ context: c, source: "branch protection" });
  const rules = await probe(() => octokit.rest.repos.getBranchRules({ owner, repo, branch, per_page: 100 }));
  if (!rules.ok) return rules;
  for (const rule of rules.data) {
    if (rule.type !== "required_status_checks") continue;
    const params = (rule as { parameters?: { required_status_checks?: Array<{ context: string; integration_id?: number }> } }).parameters;
    for (const c of params?.required_status_checks ?? []) checks.push({ context: c.context, appId: c.integration_id, source: "ruleset" });
  }
  // A ruleset makes a branch `protected` too: only without one is a classic rule known to be there.
  // The summary shows a classic rule's status checks to anyone who can read the branch ("off" and
  // none listed: it requires none, a FAIL); only a summary without them leaves doctor guessing.
  const classicUnread = found.data.protected && !classic && !checks.length && !rules.data.length;
  return { ok: true, data: { checks, classicUnread } };
}
