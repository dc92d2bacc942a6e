import { done, type CommandDefinition } from "../command.js";

export const help: CommandDefinition = {
  group: "triage",
  name: "help",
  usage: "/triage help (or /help)",
  summary: "This list.",
  examples: ["/help"],
  whenClosed: true,
  run(record) {
    return done({ record, help: true });
  },
};
