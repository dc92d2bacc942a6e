import { done, fail, type CommandDefinition } from "../command.js";
import { limitText } from "../validate-args.js";

export const mitigation: CommandDefinition = {
  group: "triage",
  name: "mitigation",
  usage: "/triage mitigation <text>",
  summary: "A workaround or config change users can apply before the fix (goes into the advisory).",
  examples: ["/triage mitigation Set `uploads.enabled: false` until you upgrade."],
  run(record, { args }) {
    const problem = limitText(args, 1000, "the mitigation");
    if (problem) return fail(problem);
    if (record.mitigations.includes(args)) return done({ record, ticks: ["triage.mitigation"] });
    if (record.mitigations.length >= 10) return fail("ten mitigations are recorded already; put the rest in the advisory text");
    return done({ record: { ...record, mitigations: [...record.mitigations, args] }, ticks: ["triage.mitigation"] });
  },
};
