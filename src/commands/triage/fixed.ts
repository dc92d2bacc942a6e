import { done, fail, type CommandDefinition } from "../command.js";
import { parsePackage } from "../validate-args.js";

export const fixed: CommandDefinition = {
  group: "triage",
  name: "fixed",
  usage: "/triage fixed <ecosystem>/<package> <version>",
  summary: "The version that carries the fix (one per package; giving it again replaces it).",
  examples: ["/triage fixed npm/left-pad 1.3.1"],
  // One version per package: a late older comment must not set back the one a newer comment gave.
  sets(args) {
    const pkg = parsePackage(args.split(/\s+/)[0] ?? "");
    return typeof pkg === "string" ? undefined : `fixed ${pkg.ecosystem}/${pkg.package}`;
  },
  run(record, { args }) {
    const [name, version, extra] = args.split(/\s+/);
    if (!name || !version || extra) return fail("give the package and one version, e.g. `npm/left-pad 1.3.1`");
    const pkg = parsePackage(name);
    if (typeof pkg === "string") return fail(pkg);
    if (!/^v?[0-9][0-9A-Za-z.+_-]*$/.test(version)) return fail(`"${version}" is not a version`);
    const others = record.fixed.filter((f) => !(f.ecosystem === pkg.ecosystem && f.package === pkg.package));
    return done({ record: { ...record, fixed: [...others, { ...pkg, version }] }, ticks: ["release.versions"] });
  },
};
