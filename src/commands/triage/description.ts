import { done, fail, type CommandDefinition } from "../command.js";
import { limitText } from "../validate-args.js";

export const description: CommandDefinition = {
  group: "triage",
  name: "description",
  usage: "/triage description <text>",
  summary: "The advisory's description (markdown, one line here; the advisory draft can be edited later).",
  examples: ["/triage description Uploaded file names are not normalised, so `../` escapes the upload directory."],
  run(record, { args }) {
    const problem = limitText(args, 1900, "the description");
    if (problem) return fail(problem);
    return done({ record: { ...record, description: args } });
  },
};
