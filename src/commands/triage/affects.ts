import { done, fail, type CommandDefinition } from "../command.js";
import { parsePackage } from "../validate-args.js";

// GitHub's advisory ranges: comparisons joined by commas, e.g. ">= 4.18.0, < 4.18.2".
const RANGE = /^(?:(?:>=|<=|>|<|=)\s*[0-9A-Za-z][0-9A-Za-z.+_-]*)(?:\s*,\s*(?:>=|<=|>|<|=)\s*[0-9A-Za-z][0-9A-Za-z.+_-]*)*$/;

export const affects: CommandDefinition = {
  group: "triage",
  name: "affects",
  usage: "/triage affects <ecosystem>/<package> <range>",
  summary: "A vulnerable version range, in GitHub advisory form (comparisons joined by commas).",
  examples: ["/triage affects npm/left-pad <1.3.1", "/triage affects maven/org.x:core >=4.18.0,<4.18.2"],
  run(record, { args }) {
    const space = args.search(/\s/);
    if (space < 0) return fail("give the package and the range, e.g. `npm/left-pad <1.3.1`");
    const pkg = parsePackage(args.slice(0, space));
    if (typeof pkg === "string") return fail(pkg);
    const range = args.slice(space).trim();
    if (!RANGE.test(range)) return fail(`"${range}" is not a version range: use comparisons like \`<1.3.1\` or \`>=4.18.0,<4.18.2\``);
    const normal = range.replace(/\s*,\s*/g, ", ").replace(/(>=|<=|>|<|=)\s*/g, "$1 ");
    const affected = record.affected.filter((a) => !(a.ecosystem === pkg.ecosystem && a.package === pkg.package && a.range === normal));
    return done({ record: { ...record, affected: [...affected, { ...pkg, range: normal }] }, ticks: ["triage.components"] });
  },
};
