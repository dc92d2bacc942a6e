import type { EmbargoConfig } from "../config/config-schema.js";
import type { ResponseRecord } from "../record/response-record.js";

export type Phase = "intake" | "triage" | "fix" | "release" | "disclosure" | "follow-up";

export const PHASES: { id: Phase; title: string }[] = [
  { id: "intake", title: "Intake" },
  { id: "triage", title: "Triage" },
  { id: "fix", title: "Fix" },
  { id: "release", title: "Release" },
  { id: "disclosure", title: "Disclosure" },
  { id: "follow-up", title: "Follow-up" },
];

export interface ChecklistItem {
  id: string;
  phase: Phase;
  text: string;
  /** How the box gets ticked when the app can see the step done; absent = ticked by hand. */
  how?: string;
  /** Which seed process asks for it: GOV.UK PaaS, Apache CloudStack, or both; "config" for `checklist.extra`. */
  source: "gov.uk" | "cloudstack" | "both" | "config";
  /** The id `checklist.skip` names it by, when it differs (one branch item per repository). */
  family?: string;
}

/**
 * One item per step of the two processes in shared/process/, in the team's words. Ids are stable:
 * they are written into comments and records, so renaming one loses its tick.
 */
export const CHECKLIST: readonly ChecklistItem[] = [
  { id: "intake.tracked", phase: "intake", source: "both", text: "Report tracked in this private issue, flagged as a security issue", how: "the `security` label" },
  { id: "intake.breach", phase: "intake", source: "gov.uk", text: "If a breach may already have happened (not only a flaw), alert the incident / information-assurance contact now and give them all you know", how: "`/triage breach` mentions `incident_contacts`" },
  { id: "intake.ticket", phase: "intake", source: "gov.uk", text: "If a support ticket was raised, link it here and close the ticket", how: "`/triage ticket <url>`" },
  { id: "intake.notify", phase: "intake", source: "gov.uk", text: "Team told that triage is under way", how: "`notify_team` in config" },
  { id: "intake.triager", phase: "intake", source: "gov.uk", text: "Triager assigned: the person on support triages, or asks colleagues with domain knowledge", how: "`triage_rotation`, `/triage assign`" },
  { id: "intake.acknowledge", phase: "intake", source: "cloudstack", text: "Reporter thanked and told what happens next" },

  { id: "triage.upstream", phase: "triage", source: "gov.uk", text: "Original CVE report or upstream advisory located, if there is one", how: "`/triage upstream <url>`" },
  { id: "triage.components", phase: "triage", source: "gov.uk", text: "Each affected component identified, and affected versions", how: "`/triage component`, `/triage affects`" },
  { id: "triage.reproduced", phase: "triage", source: "gov.uk", text: "Reproduced on a suitable environment to confirm we are vulnerable", how: "`/triage reproduced yes|no`" },
  { id: "triage.decision", phase: "triage", source: "both", text: "Decided: confirmed as a vulnerability, or closed as invalid (reporter told why) or as needing no action (reasons recorded)", how: "`/triage confirm`, `invalid`, `no-action`" },
  { id: "triage.umbrella", phase: "triage", source: "cloudstack", text: "Umbrella security team told (for Apache projects the ASF security team, who read the security@ list)" },
  { id: "triage.release_manager", phase: "triage", source: "cloudstack", text: "Release manager for the target release told", how: "`/triage confirm` mentions `release_managers`" },
  { id: "triage.severity", phase: "triage", source: "both", text: "Risk rated with CVSS and the work prioritised by severity", how: "`/triage cvss <vector>` or `/triage severity`" },
  { id: "triage.embargo", phase: "triage", source: "cloudstack", text: "Embargo agreed with the reporter: 15–30 days by severity and complexity", how: "set from the severity, or `/triage embargo <date>`" },
  { id: "triage.mitigation", phase: "triage", source: "gov.uk", text: "What the report says must be done is known, and any other practical mitigation (disable a feature, change config)", how: "`/triage mitigation <text>`" },
  { id: "triage.fixed_upstream", phase: "triage", source: "gov.uk", text: "Checked whether a newer release of what we use fixes it, and how hard the upgrade would be", how: "`/triage upgrade <text>`" },
  { id: "triage.base_image", phase: "triage", source: "gov.uk", text: "If the fix is a base image / stemcell upgrade: applied to a dev environment first while triage goes on; if it fails, upgrade prioritised by severity" },
  { id: "triage.cwe", phase: "triage", source: "both", text: "Weakness classified (CWE)", how: "`/triage cwe CWE-<n>`" },
  { id: "triage.cve", phase: "triage", source: "cloudstack", text: "CVE identifier reserved for the public release", how: "`/triage cve <id>`" },
  { id: "triage.credits", phase: "triage", source: "cloudstack", text: "Reporter and helpers credited as they wish", how: "`/triage credit`" },

  { id: "fix.patch", phase: "fix", source: "cloudstack", text: "Patch written with the code maintainers", how: "a linked PR" },
  { id: "fix.prioritised", phase: "fix", source: "gov.uk", text: "Every PR for this issue prioritised for review until the issue is fully resolved", how: "linked PRs get a priority label and review requests" },
  { id: "fix.no_reference", phase: "fix", source: "cloudstack", text: "Commits do not refer to the vulnerability", how: "the app's own: ticked while every linked public PR passes the wording check, unticked when one fails" },
  { id: "fix.tested", phase: "fix", source: "cloudstack", text: "Tested: the patch mitigates the issue and causes no regressions" },
  { id: "fix.confirmed", phase: "fix", source: "cloudstack", text: "Fix confirmed and the release manager told, so it goes into the right release" },

  { id: "release.prepared", phase: "release", source: "cloudstack", text: "Release or hotfix with the patch prepared and tested" },
  { id: "release.versions", phase: "release", source: "both", text: "Fixed-in versions recorded", how: "`/triage fixed <ecosystem>/<package> <version>`" },

  { id: "disclosure.announcement", phase: "disclosure", source: "cloudstack", text: "Vulnerability announcement and advisory drafted", how: "`/announce`" },
  { id: "disclosure.distributors", phase: "disclosure", source: "cloudstack", text: "Distributors told ahead of time, for a coordinated announcement" },
  { id: "disclosure.dev_list", phase: "disclosure", source: "cloudstack", text: "Announced on the dev list" },
  { id: "disclosure.users_list", phase: "disclosure", source: "cloudstack", text: "Announced on the users list" },
  { id: "disclosure.security_page", phase: "disclosure", source: "cloudstack", text: "Security alerts web page updated" },
  { id: "disclosure.full_disclosure", phase: "disclosure", source: "cloudstack", text: "Posted to the public full-disclosure list (Bugtraq's successor)" },
  { id: "disclosure.blog", phase: "disclosure", source: "cloudstack", text: "Blog post for the maintenance release, announced on the dev and users lists" },
  { id: "disclosure.published", phase: "disclosure", source: "cloudstack", text: "Advisory published: the issue is now public", how: "`/announce publish`" },
  { id: "disclosure.changes", phase: "disclosure", source: "cloudstack", text: "CHANGES and NEWS updated — only after the announcement", how: "`/announce publish` opens the PR" },

  { id: "follow-up.closed", phase: "follow-up", source: "both", text: "This issue closed", how: "the app, when the response ends" },
  { id: "follow-up.process_review", phase: "follow-up", source: "cloudstack", text: "Development process reviewed to make similar vulnerabilities less likely", how: "`/announce publish` opens the review issue" },
];

function branchSlug(branch: string): string {
  return branch.toLowerCase().replace(/[^a-z0-9._-]/g, "-");
}

/**
 * The id of a "patched on <branch>" item: `fix.branch:<branch>` while the response concerns one
 * repository, `fix.branch:<owner/repo>:<branch>` once it spans several (a merge into `main` of one
 * repo must not tick `main` of another).
 */
export function branchItemId(branch: string): string;
export function branchItemId(repo: string | undefined, branch: string): string;
export function branchItemId(a: string | undefined, b?: string): string {
  if (b === undefined) return `fix.branch:${branchSlug(a!)}`;
  return a ? `fix.branch:${a.toLowerCase()}:${branchSlug(b)}` : `fix.branch:${branchSlug(b)}`;
}

/** "Patched on the default branch", when config names no `supported_branches`. */
export function defaultBranchItemId(repo?: string): string {
  return repo ? `fix.default_branch:${repo.toLowerCase()}` : "fix.default_branch";
}

/** One branch to patch: in one repository (or, while only one is involved, in any). */
export interface BranchTarget {
  id: string;
  family: string;
  repo?: string;
  /** Undefined: the repository's default branch. */
  branch?: string;
}

/**
 * The repositories a fix must land in: those of the affected components (config
 * `components.<name>.repo`); without any, those of the linked PRs not closed unmerged. Items name
 * their repository only when there are several.
 */
function fixRepos(record: ResponseRecord | undefined, config: EmbargoConfig): string[] {
  if (!record) return [];
  const repos = new Map<string, string>();
  for (const name of record.components) {
    const repo = config.components[name]?.repo;
    if (repo) repos.set(repo.toLowerCase(), repo);
  }
  if (!repos.size) for (const pr of record.prs) if (pr.state !== "closed") repos.set(pr.repo.toLowerCase(), pr.repo);
  return [...repos.values()];
}

/**
 * Targets by config and repositories: a render asks for them four times, and they are fixed for a
 * frozen (shared, src/github/read-config.ts) config and the same repositories. Frozen, as shared;
 * a few sets per config.
 */
const targetSets = new WeakMap<EmbargoConfig, Map<string, readonly BranchTarget[]>>();
const MAX_TARGET_SETS = 32;

export function branchTargets(record: ResponseRecord | undefined, config: EmbargoConfig): readonly BranchTarget[] {
  const repos = fixRepos(record, config);
  const shared = Object.isFrozen(config);
  const key = repos.length > 1 ? JSON.stringify(repos) : "";
  let sets = shared ? targetSets.get(config) : undefined;
  const known = sets?.get(key);
  if (known) return known;
  const scoped: (string | undefined)[] = repos.length > 1 ? repos : [undefined];
  const targets = scoped.flatMap((repo) =>
    config.supported_branches.length
      ? config.supported_branches.map((branch) => ({ id: branchItemId(repo, branch), family: branchItemId(branch), repo, branch }))
      : [{ id: defaultBranchItemId(repo), family: defaultBranchItemId(), repo }],
  );
  if (!shared) return targets;
  if (!sets) targetSets.set(config, (sets = new Map()));
  if (sets.size >= MAX_TARGET_SETS) sets.clear();
  const frozen = Object.freeze(targets.map((t) => Object.freeze(t)));
  sets.set(key, frozen);
  return frozen;
}

/** True when a merged linked PR lands on the target. A PR whose default branch is unknown counts for the default-branch item. */
export function targetPatched(target: BranchTarget, record: ResponseRecord): boolean {
  // `patched` lists supported branches with a merged fix, repository unknown: it speaks for one repo only.
  if (!target.repo && target.branch !== undefined && record.patched.includes(target.branch)) return true;
  return record.prs.some(
    (pr) =>
      pr.state === "merged" &&
      (!target.repo || pr.repo.toLowerCase() === target.repo.toLowerCase()) &&
      (target.branch !== undefined ? pr.base === target.branch : pr.default_branch === undefined || pr.base === pr.default_branch),
  );
}

/** Branch items still open: neither a merged PR nor a person's tick says they are patched. */
export function pendingBranches(record: ResponseRecord, config: EmbargoConfig): BranchTarget[] {
  const skip = new Set(config.checklist.skip);
  return branchTargets(record, config).filter((t) => !skip.has(t.id) && !skip.has(t.family) && !record.ticks[t.id] && !targetPatched(t, record));
}

/** "Patched on …" in words: markdown for the checklist, plain for the status table. */
export function targetText(target: BranchTarget, code = false): string {
  const where = target.branch === undefined ? "the default branch" : code ? `\`${target.branch.replace(/`/g, "'")}\`` : target.branch;
  return target.repo ? `${where} of ${target.repo}` : where;
}

/** Checklists by their (shared, frozen) branch targets, which stand for one config and its repositories. */
const checklists = new WeakMap<readonly BranchTarget[], readonly ChecklistItem[]>();

/**
 * The items for one response: the fixed list without what `checklist.skip` names, one "patched on"
 * item per branch (and repository, when several), and the team's own `checklist.extra` at the end
 * of their phase.
 */
export function checklistFor(config: EmbargoConfig, record?: ResponseRecord): readonly ChecklistItem[] {
  const targets = branchTargets(record, config);
  const known = checklists.get(targets);
  if (known) return known;
  const branches: ChecklistItem[] = targets.map((t) => ({
    id: t.id,
    family: t.family,
    phase: "fix",
    source: "cloudstack",
    text: `Patched on ${targetText(t, true)}`,
    how: "a linked PR into it is merged",
  }));
  const extra: ChecklistItem[] = config.checklist.extra.map((e) => ({ id: e.id, phase: e.phase, text: e.text, source: "config" }));
  const at = CHECKLIST.findIndex((i) => i.id === "fix.tested");
  const all = [...CHECKLIST.slice(0, at), ...branches, ...CHECKLIST.slice(at)];
  const ordered = PHASES.flatMap((p) => [...all.filter((i) => i.phase === p.id), ...extra.filter((i) => i.phase === p.id)]);
  const skip = new Set(config.checklist.skip);
  const items = ordered.filter((i) => !skip.has(i.id) && !(i.family && skip.has(i.family)));
  if (!Object.isFrozen(targets)) return items;
  const frozen = Object.freeze(items.map((i) => Object.freeze(i)));
  checklists.set(targets, frozen);
  return frozen;
}
