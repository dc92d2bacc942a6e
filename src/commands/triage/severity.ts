import type { SeverityName } from "../../config/config-schema.js";
import { done, fail, type CommandDefinition } from "../command.js";
import { withSeverity } from "../validate-args.js";

const LEVELS: SeverityName[] = ["critical", "high", "medium", "low"];

export const severity: CommandDefinition = {
  group: "triage",
  name: "severity",
  sets: "severity",
  usage: "/triage severity <critical|high|medium|low>",
  summary: "Severity without a vector, for teams that rate by hand; clears any CVSS vector given before.",
  examples: ["/triage severity high"],
  run(record, { args, config }) {
    const level = args.toLowerCase() as SeverityName;
    if (!LEVELS.includes(level)) return fail(`"${args}" is not a severity: use one of ${LEVELS.join(", ")}`);
    const { cvss: _dropped, ...rest } = record;
    return done({ record: withSeverity(rest, level, config.embargo_days), ticks: ["triage.severity", "triage.embargo"] });
  },
};
