import { textCommand } from "../field-command.js";

export const upgrade = textCommand(
  {
    name: "upgrade",
    usage: "/triage upgrade <text>",
    summary: "Whether a newer release of what we use fixes it, and how hard the upgrade would be.",
    examples: ["/triage upgrade Fixed upstream in libfoo 2.4.1; a patch upgrade, no API changes."],
  },
  "upgrade",
  1000,
  "the upgrade note",
  ["triage.fixed_upstream"],
);
