import { DECISION } from "../../record/response-record.js";
import { done, fail, type CommandDefinition } from "../command.js";
import { limitText } from "../validate-args.js";
import { advisoryStateAction } from "../advisory-action.js";

export const invalid: CommandDefinition = {
  group: "triage",
  name: "invalid",
  sets: DECISION,
  usage: "/triage invalid <reason>",
  summary: "Not a vulnerability: the reason is recorded, the reporter gets a reply, the issue closes as not planned.",
  examples: ["/triage invalid The endpoint requires admin rights, which already allow this."],
  run(record, { args, reporter, actor, now }) {
    const problem = limitText(args, 1000, "the reason");
    if (problem) return fail(problem);
    return done({
      record: { ...record, state: "invalid", reason: args, decided: { by: actor, at: now.toISOString() } },
      ticks: ["triage.decision"],
      replies: [{ key: "invalid", template: "invalid-reply", view: { reporter, reason: args } }],
      close: "not_planned",
      actions: advisoryStateAction(record, "closed"),
    });
  },
};
