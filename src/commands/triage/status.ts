import { done, type CommandDefinition } from "../command.js";

export const status: CommandDefinition = {
  group: "triage",
  name: "status",
  usage: "/triage status",
  summary: "Re-render the response comment from the record (repairs a comment edited badly).",
  examples: ["/triage status"],
  whenClosed: true,
  run(record) {
    return done({ record });
  },
};
