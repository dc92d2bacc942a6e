import { done, fail, type CommandDefinition } from "../command.js";

export const cve: CommandDefinition = {
  group: "triage",
  name: "cve",
  sets: "cve",
  usage: "/triage cve CVE-YYYY-NNNN",
  summary: "A CVE id already reserved for this issue.",
  examples: ["/triage cve CVE-2026-12345"],
  run(record, { args }) {
    const m = /^CVE-(\d{4})-(\d{4,19})$/i.exec(args);
    if (!m || Number(m[1]) < 1999) return fail(`"${args}" is not a CVE id: CVE-<year>-<4 or more digits>, e.g. CVE-2026-12345`);
    return done({ record: { ...record, cve: `CVE-${m[1]}-${m[2]}` }, ticks: ["triage.cve"] });
  },
};
