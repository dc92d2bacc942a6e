import { done, fail, type CommandDefinition } from "../command.js";
import { LOGIN } from "../validate-args.js";

/** GitHub's advisory credit types. */
export const CREDIT_TYPES = ["analyst", "finder", "reporter", "coordinator", "remediation_developer", "remediation_reviewer", "remediation_verifier", "tool", "sponsor", "other"];

export const credit: CommandDefinition = {
  group: "triage",
  name: "credit",
  usage: `/triage credit @login [${CREDIT_TYPES.join("|")}]`,
  summary: "Credit someone in the advisory (default type: finder). Giving a login again changes its type.",
  examples: ["/triage credit @octocat finder", "/triage credit @hubot remediation_developer"],
  // One type per person: a late older comment must not set back the one a newer comment gave.
  sets(args) {
    const login = LOGIN.exec(args.split(/\s+/)[0] ?? "")?.[1];
    return login ? `credit ${login.toLowerCase()}` : undefined;
  },
  run(record, { args }) {
    const [who, type = "finder", extra] = args.split(/\s+/);
    const login = who ? LOGIN.exec(who)?.[1] : undefined;
    if (!login || extra) return fail("give one login and at most one credit type, e.g. `@octocat finder`");
    if (!CREDIT_TYPES.includes(type.toLowerCase())) return fail(`"${type}" is not a credit type: one of ${CREDIT_TYPES.join(", ")}`);
    const credits = record.credits.filter((c) => c.login.toLowerCase() !== login.toLowerCase());
    return done({ record: { ...record, credits: [...credits, { login, type: type.toLowerCase() }] }, ticks: ["triage.credits"] });
  },
};
