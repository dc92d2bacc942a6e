import { advisoryRepo, draftProblems } from "../../announce/advisory-fields.js";
import { done, fail, type CommandDefinition } from "../command.js";

export const draft: CommandDefinition = {
  group: "announce",
  name: "draft",
  usage: "/announce draft (or just /announce)",
  summary: "Creates or updates the response's draft advisory (private until published) and posts or updates the announcement pack.",
  examples: ["/announce", "/announce draft"],
  run(record, { args, config, advisories = true }) {
    if (args) return fail("`/announce draft` takes no arguments");
    const problems = draftProblems(record);
    if (problems.length) return fail(`no advisory can be drafted yet: ${problems.join("; ")}`);
    const repo = advisoryRepo(record, config);
    // No advisories on this GitHub (GHES): the pack's advisory text is the draft; said once per response.
    if (!advisories) return done({ record, ticks: ["disclosure.announcement"], replies: [{ key: "no-advisories", template: "announce-no-advisories", view: { repo } }], actions: [{ kind: "announce.pack" }] });
    const replies = repo
      ? []
      : [{ key: `no-advisory-repo-${record.components.join("-") || "none"}`, template: "announce-no-repo", view: { components: record.components } }];
    return done({ record, ticks: ["disclosure.announcement"], replies, actions: [...(repo ? [{ kind: "announce.draft" }] : []), { kind: "announce.pack" }] });
  },
};
