import { advisoryStateAction } from "../advisory-action.js";
import { DECISION } from "../../record/response-record.js";
import { done, type CommandDefinition } from "../command.js";

export const confirm: CommandDefinition = {
  group: "triage",
  name: "confirm",
  sets: DECISION,
  usage: "/triage confirm",
  summary: "It is a vulnerability: state → confirmed; release managers are told once. Rate it next.",
  examples: ["/triage confirm"],
  run(record, { config, actor, now }) {
    const next = { ...record, state: record.state === "triage" ? ("confirmed" as const) : record.state };
    // The first confirmation is the decision; a later `/triage confirm` does not rewrite who made it.
    next.confirmed ??= { by: actor, at: now.toISOString() };
    const replies = [];
    const ticks = ["triage.decision"];
    if (config.release_managers.length) {
      ticks.push("triage.release_manager");
      if (!record.release_managers_told) {
        next.release_managers_told = true;
        replies.push({ key: "release-managers", template: "release-managers", view: { release_managers: config.release_managers } });
      }
    }
    // A private report's advisory is accepted as a draft (src/github/advisory-state.ts).
    return done({ record: next, ticks, replies, actions: advisoryStateAction(record, "draft") });
  },
};
