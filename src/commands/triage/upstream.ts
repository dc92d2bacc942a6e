import { urlCommand } from "../field-command.js";

export const upstream = urlCommand(
  {
    name: "upstream",
    usage: "/triage upstream <url>",
    summary: "The original CVE report or upstream advisory (a reference in the advisory).",
    examples: ["/triage upstream https://nvd.nist.gov/vuln/detail/CVE-2026-12345"],
  },
  "upstream",
  ["triage.upstream"],
);
