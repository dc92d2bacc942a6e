import type { EmbargoConfig } from "../config/config-schema.js";

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
  /** Which seed process asks for it: GOV.UK PaaS, Apache CloudStack, or both. */
  source: "gov.uk" | "cloudstack" | "both";
}

/**
 * One item per step of the two processes in shared/process/, in the team's words. Ids are stable:
 * they are written into comments and records, so renaming one loses its tick.
 */
export const CHECKLIST: readonly ChecklistItem[] = [
  { id: "intake.tracked", phase: "intake", source: "both", text: "Report tracked in this private issue, flagged as a security issue", how: "the `security` label" },
  { id: "intake.breach", phase: "intake", source: "gov.uk", text: "If a breach may already have happened (not only a flaw), alert the incident / information-assurance contact now and give them all you know" },
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
  { id: "fix.no_reference", phase: "fix", source: "cloudstack", text: "Commits do not refer to the vulnerability", how: "the leak check on public PRs" },
  { id: "fix.tested", phase: "fix", source: "cloudstack", text: "Tested: the patch mitigates the issue and causes no regressions" },
  { id: "fix.confirmed", phase: "fix", source: "cloudstack", text: "Fix confirmed and the release manager told, so it goes into the right release" },

  { id: "release.prepared", phase: "release", source: "cloudstack", text: "Release or hotfix with the patch prepared and tested" },
  { id: "release.versions", phase: "release", source: "both", text: "Fixed-in versions recorded", how: "`/triage fixed <package> <version>`" },

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

export function branchItemId(branch: string): string {
  return `fix.branch:${branch.toLowerCase().replace(/[^a-z0-9._-]/g, "-")}`;
}

/** The items for one repo: the fixed list plus one "patched on <branch>" per supported branch. */
export function checklistFor(config: EmbargoConfig): ChecklistItem[] {
  const branches: ChecklistItem[] = config.supported_branches.map((branch) => ({
    id: branchItemId(branch),
    phase: "fix",
    source: "cloudstack",
    text: `Patched on \`${branch}\``,
    how: "a linked PR into it is merged",
  }));
  const at = CHECKLIST.findIndex((i) => i.id === "fix.tested");
  return [...CHECKLIST.slice(0, at), ...branches, ...CHECKLIST.slice(at)];
}
