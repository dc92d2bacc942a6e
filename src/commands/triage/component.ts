import { done, fail, type CommandDefinition } from "../command.js";

export const component: CommandDefinition = {
  group: "triage",
  name: "component",
  usage: "/triage component <name…>",
  summary: "Affected components; when config lists `components`, names must be among them.",
  examples: ["/triage component api", "/triage component api web"],
  run(record, { args, config }) {
    const names = args.split(/[\s,]+/).filter(Boolean);
    if (!names.length) return fail("name at least one component");
    const known = Object.keys(config.components);
    if (known.length) {
      const unknown = names.filter((n) => !known.some((k) => k.toLowerCase() === n.toLowerCase()));
      if (unknown.length) return fail(`not a component in the config: ${unknown.join(", ")} (known: ${known.join(", ")})`);
    }
    const canonical = names.map((n) => known.find((k) => k.toLowerCase() === n.toLowerCase()) ?? n);
    const components = [...new Set([...record.components, ...canonical])];
    return done({ record: { ...record, components }, ticks: ["triage.components"] });
  },
};
