import { done, fail, type CommandDefinition } from "../command.js";
import { parseUrl } from "../validate-args.js";

export const ticket: CommandDefinition = {
  group: "triage",
  name: "ticket",
  usage: "/triage ticket <url>",
  summary: "Link the external support ticket this report came from; close that ticket once linked.",
  examples: ["/triage ticket https://support.example.org/tickets/4711"],
  run(record, { args }) {
    const url = parseUrl(args);
    if (!url || args.length > 500) return fail(`"${args.slice(0, 100)}" is not an http(s) URL`);
    return done({ record: { ...record, tickets: [...new Set([...record.tickets, url.href])] }, ticks: ["intake.ticket"] });
  },
};
