import { scoreVector } from "../../cvss/score-vector.js";
import { done, fail, type CommandDefinition } from "../command.js";
import { withSeverity } from "../validate-args.js";

export const cvss: CommandDefinition = {
  group: "triage",
  name: "cvss",
  sets: "severity",
  usage: "/triage cvss <CVSS 3.0, 3.1 or 4.0 vector>",
  summary: "Scores the vector; sets severity, its label and the embargo end (reported date + `embargo_days`) unless set by hand.",
  examples: ["/triage cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "/triage cvss CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"],
  run(record, { args, config }) {
    const scored = scoreVector(args);
    if (!scored.ok) return fail(scored.error);
    const { version, vector, score, severity } = scored.value;
    if (severity === "none") return fail(`${vector} scores 0.0 (no impact): use \`/triage no-action <reason>\`, or \`/triage severity low\``);
    const next = withSeverity({ ...record, cvss: { version, vector, score } }, severity, config.embargo_days);
    return done({ record: next, ticks: ["triage.severity", "triage.embargo"] });
  },
};
