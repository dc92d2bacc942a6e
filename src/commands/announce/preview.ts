import { done, fail, type CommandDefinition } from "../command.js";

export const preview: CommandDefinition = {
  group: "announce",
  name: "preview",
  usage: "/announce preview",
  summary: "Shows every effect `/announce publish` would have now and which gates pass; writes nothing outside this issue.",
  examples: ["/announce preview"],
  whenClosed: true,
  run(record, { args }) {
    if (args) return fail("`/announce preview` takes no arguments");
    return done({ record, actions: [{ kind: "announce.preview" }] });
  },
};
