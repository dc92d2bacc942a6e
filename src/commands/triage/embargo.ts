import { done, fail, type CommandDefinition } from "../command.js";
import { parseDate } from "../validate-args.js";

export const embargo: CommandDefinition = {
  group: "triage",
  name: "embargo",
  sets: "embargo",
  usage: "/triage embargo <YYYY-MM-DD>",
  summary: "Set the embargo end by hand (a date in the future); severity no longer moves it.",
  examples: ["/triage embargo 2026-12-24"],
  run(record, { args, now }) {
    const date = parseDate(args);
    if (!date) return fail(`"${args}" is not a date: write it as YYYY-MM-DD`);
    if (date.getTime() <= now.getTime()) return fail(`${args} is not in the future`);
    return done({ record: { ...record, embargo_end: args.trim(), embargo_by_hand: true }, ticks: ["triage.embargo"] });
  },
};
