import { done, type CommandDefinition } from "../command.js";

export const announceHelp: CommandDefinition = {
  group: "announce",
  name: "help",
  usage: "/announce help",
  summary: "The command list (the same as `/help`).",
  examples: ["/announce help"],
  whenClosed: true,
  run(record) {
    return done({ record, help: true });
  },
};
