import { done, fail, type CommandDefinition } from "../command.js";

export const reproduced: CommandDefinition = {
  group: "triage",
  name: "reproduced",
  sets: "reproduced",
  usage: "/triage reproduced <yes|no>",
  summary: "Whether the team reproduced it on a suitable environment.",
  examples: ["/triage reproduced yes"],
  run(record, { args }) {
    const answer = args.toLowerCase();
    if (answer !== "yes" && answer !== "no") return fail(`answer yes or no, not "${args}"`);
    return done({ record: { ...record, reproduced: answer === "yes" }, ticks: ["triage.reproduced"] });
  },
};
