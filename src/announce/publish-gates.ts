import { branchItemId } from "../checklist/checklist-items.js";
import type { EmbargoConfig } from "../config/config-schema.js";
import type { ResponseRecord } from "../record/response-record.js";
import { advisoryRepo, draftProblems } from "./advisory-fields.js";

export type GateId = "embargo" | "fixes" | "advisory";

export interface Gate {
  id: GateId;
  title: string;
  pass: boolean;
  /** Passed only because of `--force`. */
  forced?: boolean;
  why: string;
}

/** The three publish gates, each with why it passes or how to pass it. `force` passes 1 and 2, never 3. */
export function publishGates(record: ResponseRecord, config: EmbargoConfig, now: Date, force = false): Gate[] {
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
  const unpatched = config.supported_branches.filter((b) => !record.patched.includes(b) && !record.ticks[branchItemId(b)]);
  const fixesOk = !open.length && !unpatched.length;
  const fixProblems = [
    ...(open.length ? [`fix PRs not merged yet: ${open.map((p) => `${p.repo}#${p.number}`).join(", ")}`] : []),
    ...(unpatched.length ? [`branches not patched: ${unpatched.map((b) => `\`${b}\``).join(", ")} (merge a linked fix into each, or tick its "Patched on" box when the fix was made elsewhere, e.g. in a temporary private fork)`] : []),
  ];
  gates.push({
    id: "fixes",
    title: "Fixes merged and every supported branch patched",
    pass: fixesOk || force,
    forced: !fixesOk && force,
    why: fixesOk ? "every linked fix PR is merged and every supported branch is patched" : fixProblems.join("; "),
  });

  const repo = advisoryRepo(record, config);
  const problems = record.ghsa ? [] : draftProblems(record);
  gates.push({
    id: "advisory",
    title: "Advisory ready",
    pass: !repo || !problems.length,
    why: !repo
      ? "no component has a repo, so there is no GitHub advisory to publish"
      : record.ghsa
        ? `draft advisory ${record.ghsa} exists on ${repo}`
        : problems.length
          ? `no draft advisory can be made: ${problems.join("; ")}`
          : `a draft advisory will be made on ${repo}`,
  });
  return gates;
}

export function gatesPass(gates: Gate[]): boolean {
  return gates.every((g) => g.pass);
}
