import { done, fail, type CommandDefinition } from "../command.js";

const SHORT = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)#(\d+)$/;
const URL_FORM = /^https:\/\/github\.com\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)\/pull\/(\d+)\/?$/;

export const pr: CommandDefinition = {
  group: "triage",
  name: "pr",
  usage: "/triage pr <owner/repo#n | PR URL>",
  summary: "Link a fix PR: it gets the priority label, review requests and the merge gate. Nothing on the PR names this issue.",
  examples: ["/triage pr acme/product#42", "/triage pr https://github.com/acme/product/pull/42"],
  run(record, { args }) {
    const m = SHORT.exec(args) ?? URL_FORM.exec(args);
    if (!m) return fail(`"${args.slice(0, 100)}" is not a pull request: write owner/repo#number or the PR's URL`);
    return done({ record, link: { owner: m[1]!, repo: m[2]!, number: Number(m[3]) } });
  },
};
