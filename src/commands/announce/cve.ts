import { done, fail, type CommandDefinition } from "../command.js";

export const requestCve: CommandDefinition = {
  group: "announce",
  name: "cve",
  usage: "/announce cve",
  summary: "Asks GitHub to assign a CVE to the draft advisory; GitHub reviews the request, and a later `/announce` records the id.",
  examples: ["/announce cve"],
  run(record, { args, advisories = true, at, now }) {
    if (args) return fail("`/announce cve` takes no arguments");
    if (record.cve) return fail(`this response already has ${record.cve}; GitHub is not asked for another`);
    // No advisories on this GitHub (GHES): nothing to ask, so nothing changes; each asking gets the answer.
    if (!advisories) return done({ record, replies: [{ key: `cve-elsewhere-${at ?? now.toISOString()}`, template: "announce-cve-elsewhere" }] });
    if (!record.ghsa) return fail("there is no draft advisory yet: run `/announce` first");
    return done({ record, actions: [{ kind: "announce.cve" }] });
  },
};
