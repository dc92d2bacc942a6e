import { requestCve } from "./announce/cve.js";
import { draft } from "./announce/draft.js";
import { announceHelp } from "./announce/help.js";
import { preview } from "./announce/preview.js";
import { publish } from "./announce/publish.js";
import type { CommandDefinition } from "./command.js";
import { affects } from "./triage/affects.js";
import { assign } from "./triage/assign.js";
import { breach } from "./triage/breach.js";
import { component } from "./triage/component.js";
import { confirm } from "./triage/confirm.js";
import { credit } from "./triage/credit.js";
import { cve } from "./triage/cve.js";
import { cvss } from "./triage/cvss.js";
import { cwe } from "./triage/cwe.js";
import { description } from "./triage/description.js";
import { embargo } from "./triage/embargo.js";
import { fixed } from "./triage/fixed.js";
import { help } from "./triage/help.js";
import { invalid } from "./triage/invalid.js";
import { mitigation } from "./triage/mitigation.js";
import { noAction } from "./triage/no-action.js";
import { owner } from "./triage/owner.js";
import { pr } from "./triage/pr.js";
import { reproduced } from "./triage/reproduced.js";
import { severity } from "./triage/severity.js";
import { status } from "./triage/status.js";
import { summary } from "./triage/summary.js";
import { ticket } from "./triage/ticket.js";
import { upgrade } from "./triage/upgrade.js";
import { upstream } from "./triage/upstream.js";

/** Every command the app knows, in the order `/help` lists them. */
export const COMMANDS: CommandDefinition[] = [
  confirm, invalid, noAction, cvss, severity, component, affects, fixed, cwe, cve, mitigation, upstream,
  credit, assign, owner, ticket, embargo, reproduced, upgrade, summary, description, pr, breach, status, help,
  draft, requestCve, preview, publish, announceHelp,
];

export function findCommand(group: string, name: string): CommandDefinition | undefined {
  if (group === "help") return help;
  if (group === "announce" && name === "") return draft;
  return COMMANDS.find((c) => c.group === group && c.name === name);
}

export function usageOf(group: string): string {
  return COMMANDS.filter((c) => c.group === group).map((c) => c.name).join(", ");
}
