import { done, fail, type CommandDefinition } from "../command.js";
import { parseUrl } from "../validate-args.js";

export const upstream: CommandDefinition = {
  group: "triage",
  name: "upstream",
  usage: "/triage upstream <url>",
  summary: "The original CVE report or upstream advisory (a reference in the advisory).",
  examples: ["/triage upstream https://nvd.nist.gov/vuln/detail/CVE-2026-12345"],
  run(record, { args }) {
    const url = parseUrl(args);
    if (!url || args.length > 500) return fail(`"${args.slice(0, 100)}" is not an http(s) URL`);
    return done({ record: { ...record, upstream: [...new Set([...record.upstream, url.href])] }, ticks: ["triage.upstream"] });
  },
};
