import { done, fail, type CommandDefinition } from "../command.js";
import { limitText } from "../validate-args.js";

export const upgrade: CommandDefinition = {
  group: "triage",
  name: "upgrade",
  usage: "/triage upgrade <text>",
  summary: "Whether a newer release of what we use fixes it, and how hard the upgrade would be.",
  examples: ["/triage upgrade Fixed upstream in libfoo 2.4.1; a patch upgrade, no API changes."],
  run(record, { args }) {
    const problem = limitText(args, 1000, "the upgrade note");
    if (problem) return fail(problem);
    return done({ record: { ...record, upgrade: args }, ticks: ["triage.fixed_upstream"] });
  },
};
