import { urlCommand } from "../field-command.js";

export const ticket = urlCommand(
  {
    name: "ticket",
    usage: "/triage ticket <url>",
    summary: "Link the external support ticket this report came from; close that ticket once linked.",
    examples: ["/triage ticket https://support.example.org/tickets/4711"],
  },
  "tickets",
  ["intake.ticket"],
);
