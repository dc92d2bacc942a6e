import { DECISION } from "../../record/response-record.js";
import { done, fail, type CommandDefinition } from "../command.js";
import { limitText } from "../validate-args.js";
import { advisoryStateAction } from "../advisory-action.js";

export const noAction: CommandDefinition = {
  group: "triage",
  name: "no-action",
  sets: DECISION,
  usage: "/triage no-action <reason>",
  summary: "Not affected or nothing to do: the reasons are recorded and the issue closes as completed.",
  examples: ["/triage no-action We do not ship the affected module."],
  run(record, { args, actor, now }) {
    const problem = limitText(args, 1000, "the reason");
    if (problem) return fail(problem);
    return done({ record: { ...record, state: "no-action", reason: args, decided: { by: actor, at: now.toISOString() } }, ticks: ["triage.decision"], close: "completed", actions: advisoryStateAction(record, "closed") });
  },
};
