import { done, fail, type CommandDefinition } from "../command.js";
import { parseLogins } from "../validate-args.js";

export const assign: CommandDefinition = {
  group: "triage",
  name: "assign",
  usage: "/triage assign @login…",
  summary: "Ask domain experts for help: they are assigned and mentioned once.",
  examples: ["/triage assign @octocat", "/triage assign @octocat @hubot"],
  run(record, { args }) {
    const { logins, bad } = parseLogins(args);
    if (bad.length) return fail(`not a GitHub login: ${bad.join(", ")}`);
    if (!logins.length) return fail("name at least one person, e.g. `@octocat`");
    const told = new Set((record.experts_told ?? []).map((l) => l.toLowerCase()));
    const fresh = logins.filter((l) => !told.has(l.toLowerCase()));
    const next = {
      ...record,
      experts: [...record.experts, ...logins].filter((l, i, all) => all.findIndex((x) => x.toLowerCase() === l.toLowerCase()) === i),
      experts_told: [...(record.experts_told ?? []), ...fresh],
    };
    // Joined by "+", which no login holds: with "-", `a` and `b` would share the key of `a-b`, who then was never mentioned.
    const replies = fresh.length ? [{ key: `experts-${fresh.join("+").toLowerCase()}`, template: "experts", view: { experts: fresh } }] : [];
    return done({ record: next, assign: logins, replies, ticks: ["intake.triager"] });
  },
};
