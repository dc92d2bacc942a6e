import { done, fail, type CommandDefinition } from "../command.js";

export const cwe: CommandDefinition = {
  group: "triage",
  name: "cwe",
  usage: "/triage cwe CWE-<n>",
  summary: "A weakness id (several may be given, one command each).",
  examples: ["/triage cwe CWE-79"],
  run(record, { args }) {
    const m = /^CWE-([1-9][0-9]{0,5})$/i.exec(args);
    if (!m) return fail(`"${args}" is not a CWE id: write it as CWE-<number>, e.g. CWE-79`);
    const id = `CWE-${m[1]}`;
    return done({ record: { ...record, cwes: [...new Set([...record.cwes, id])] }, ticks: ["triage.cwe"] });
  },
};
