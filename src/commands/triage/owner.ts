import { done, fail, type CommandDefinition } from "../command.js";
import { LOGIN } from "../validate-args.js";

export const owner: CommandDefinition = {
  group: "triage",
  name: "owner",
  sets: "owner",
  usage: "/triage owner @login",
  summary: "Hand the response to another owner (the triager the rotation assigned): they are recorded and assigned.",
  examples: ["/triage owner @octocat"],
  run(record, { args }) {
    const words = args.split(/\s+/).filter(Boolean);
    const login = words.length === 1 ? LOGIN.exec(words[0]!)?.[1] : undefined;
    if (!login) return fail("name exactly one person, e.g. `@octocat`");
    return done({ record: { ...record, triager: login }, assign: [login], ticks: ["intake.triager"] });
  },
};
