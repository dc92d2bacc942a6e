import { done, fail, type CommandDefinition } from "../command.js";
import { limitText } from "../validate-args.js";

export const summary: CommandDefinition = {
  group: "triage",
  name: "summary",
  usage: "/triage summary <one line>",
  summary: "The advisory's one-line summary (GitHub allows 1024 characters).",
  examples: ["/triage summary Path traversal in the upload endpoint"],
  run(record, { args }) {
    const problem = limitText(args, 1024, "the summary");
    if (problem) return fail(problem);
    return done({ record: { ...record, summary: args } });
  },
};
