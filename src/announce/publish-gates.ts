import { branchTargets, targetPatched, targetText } from "../checklist/checklist-items.js";
import type { EmbargoConfig } from "../config/config-schema.js";
import type { ResponseRecord, Tick } from "../record/response-record.js";
import { advisoryRepo, draftProblems, fieldProblems } from "./advisory-fields.js";

export type GateId = "embargo" | "fixes" | "advisory";

export interface Gate {
  id: GateId;
  title: string;
  pass: boolean;
  /** Passed only because of `--force`. */
  forced?: boolean;
  why: string;
}

/** A person the team could not be asked about: the configured team itself cannot be read. */
export const TEAM_UNREADABLE = "team unreadable";

/**
 * Who is in the security team now, by lowercased login: read fresh for each publish (DESIGN.md,
 * "Trust"). `TEAM_UNREADABLE` says nothing of the person: the config's team cannot be read.
 */
export type Members = ReadonlyMap<string, boolean | typeof TEAM_UNREADABLE>;

/**
 * The supported branches no merged linked PR patched, each with its "Patched on" tick, if any: per
 * repository when the fix must land in several (the checklist's own targets and ids, so a box
 * ticked for `main` of one repository counts for that one).
 */
function gateTicks(record: ResponseRecord, config: EmbargoConfig): { where: string; tick?: Tick }[] {
  return branchTargets(record, config)
    .filter((t) => t.branch !== undefined && !targetPatched(t, record))
    .map((t) => ({ where: targetText(t, true), tick: record.ticks[t.id] }));
}

/** A tick made by a named person: neither the app's own nor one whose author GitHub has not named yet ("hand"). */
const byPerson = (tick: Tick | undefined) => Boolean(tick?.by) && tick!.by !== "app" && tick!.by !== "hand";

/**
 * The people whose "Patched on" ticks the fixes gate would count, if they are in the security team
 * now: the handler reads each one's membership before deciding. The app's ticks (a merged linked
 * PR) need no read, nor ticks folded in before GitHub said who made them ("hand"): those never count.
 */
export function gateTickers(record: ResponseRecord, config: EmbargoConfig): string[] {
  const people = gateTicks(record, config).flatMap((t) => (byPerson(t.tick) ? [t.tick!.by] : []));
  return [...new Map(people.map((p) => [p.toLowerCase(), p])).values()];
}

/**
 * Why a ticked "Patched on" box does not count, or nothing when it does. Anyone with write access
 * can tick a box in the response comment; only a tick by the app, or by someone in the security
 * team now, stands for a fix; a tick folded in before GitHub said by whom ("hand") stands for
 * nobody yet. Without `members` (the preview, which reads nothing more) a person's tick counts,
 * with a note that publishing checks them.
 */
function distrust(tick: Tick, members: Members | undefined): string | undefined {
  if (tick.by === "app") return undefined;
  if (tick.by === "hand") return "ticked, but GitHub has not yet said by whom; try again in a minute, or have a member of the security team untick and tick it again";
  if (!members) return undefined;
  const member = members.get(tick.by.toLowerCase());
  if (member === true) return undefined;
  if (member === TEAM_UNREADABLE) return `ticked by @${tick.by}, whose membership cannot be checked`;
  return `ticked by @${tick.by}, who is not in the security team: a member must untick and tick it again`;
}

/**
 * Said once, and first (a command's error is clipped): the fix is the config's or the app's
 * permissions, not the ticker's.
 */
function unreadableTeam(config: EmbargoConfig): string {
  return `the team \`${config.team}\` (config \`team\`) cannot be read, so ticks by hand cannot be checked: it was renamed or deleted, or the app lacks the Members (read) permission. Fix \`team\` or grant it, then publish again`;
}

/**
 * The three publish gates, each with why it passes or how to pass it. `force` passes 1 and 2, never 3.
 * `members` says who of `gateTickers` is in the security team now; without it (a preview) their
 * ticks count, with a note.
 */
export function publishGates(record: ResponseRecord, config: EmbargoConfig, now: Date, force = false, members?: Members, advisories = true): Gate[] {
  const today = now.toISOString().slice(0, 10);
  const gates: Gate[] = [];

  const end = record.embargo_end;
  const dateOk = Boolean(end && today >= end);
  gates.push({
    id: "embargo",
    title: "Embargo end reached",
    pass: dateOk || force,
    forced: !dateOk && force,
    why: dateOk ? `today (${today}, UTC) is on or after the embargo end (${end})` : end ? `the embargo ends on ${end} (today is ${today}, UTC): wait, or agree an earlier date with the reporter and run \`/triage embargo <date>\`` : "no embargo end is set: `/triage severity` or `/triage embargo <date>`",
  });

  const open = record.prs.filter((p) => p.state === "open");
  const ticks = gateTicks(record, config).map((t) => ({ ...t, distrust: t.tick && distrust(t.tick, members) }));
  const unpatched = ticks.filter((t) => !t.tick || t.distrust);
  const unchecked = members ? [] : ticks.filter((t) => byPerson(t.tick));
  const fixesOk = !open.length && !unpatched.length;
  const teamUnreadable = unpatched.some((t) => t.tick && members?.get(t.tick.by.toLowerCase()) === TEAM_UNREADABLE);
  const fixProblems = [
    ...(teamUnreadable ? [unreadableTeam(config)] : []),
    ...(open.length ? [`fix PRs not merged yet: ${open.map((p) => `${p.repo}#${p.number}`).join(", ")}`] : []),
    ...(unpatched.length ? [`branches not patched: ${unpatched.map((t) => t.where).join(", ")} (merge a linked fix into each, or have a member of the security team tick its "Patched on" box when the fix was made elsewhere, e.g. in a temporary private fork)`] : []),
    ...unpatched.filter((t) => t.distrust).map((t) => `${t.where}: ${t.distrust}`),
  ];
  const checkedLater = unchecked.length ? ` (ticked by hand: ${unchecked.map((t) => `${t.where} by @${t.tick!.by}`).join(", ")}; \`/announce publish\` counts a tick only if its author is in the security team)` : "";
  gates.push({
    id: "fixes",
    title: "Fixes merged and every supported branch patched",
    pass: fixesOk || force,
    forced: !fixesOk && force,
    why: (fixesOk ? "every linked fix PR is merged and every supported branch is patched" : fixProblems.join("; ")) + checkedLater,
  });

  const repo = advisoryRepo(record, config);
  // A GHSA id alone is no ready advisory: one tied to a private report is the reporter's, and the
  // publishing PATCH carries the response's fields (an empty severity or summary among them).
  const problems = record.ghsa && advisories ? fieldProblems(record) : draftProblems(record);
  if (!advisories) {
    // GHES: nothing is published on GitHub, but the pack's advisory text still needs what a draft needs.
    gates.push({
      id: "advisory",
      title: "Advisory ready",
      pass: !problems.length,
      why: problems.length
        ? `the advisory text cannot be made: ${problems.join("; ")}`
        : "this GitHub Enterprise Server has no repository security advisories: nothing is published on GitHub, and the announcement pack carries the advisory text to publish elsewhere",
    });
    return gates;
  }
  gates.push({
    id: "advisory",
    title: "Advisory ready",
    pass: !repo || !problems.length,
    why: !repo
      ? "no component has a repo, so there is no GitHub advisory to publish"
      : problems.length
        ? record.ghsa
          ? `draft advisory ${record.ghsa} on ${repo} cannot be published with this response's fields: ${problems.join("; ")}`
          : `no draft advisory can be made: ${problems.join("; ")}`
        : record.ghsa
          ? `draft advisory ${record.ghsa} exists on ${repo}`
          : `a draft advisory will be made on ${repo}`,
  });
  return gates;
}

export function gatesPass(gates: Gate[]): boolean {
  return gates.every((g) => g.pass);
}

/**
 * Which gates `--force` passed: a publish after the embargo end that forced only the fixes gate
 * held the embargo, and the review must not say it was lifted early.
 */
export function forcedGates(forced: ResponseRecord["forced"]): { forced_embargo: boolean; forced_fixes: boolean } {
  return { forced_embargo: Boolean(forced?.gates.includes("embargo")), forced_fixes: Boolean(forced?.gates.includes("fixes")) };
}
