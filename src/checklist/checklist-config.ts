import type { EmbargoConfig } from "../config/config-schema.js";
import { branchItemId, CHECKLIST, defaultBranchItemId } from "./checklist-items.js";

/**
 * What the schema cannot say about `checklist`: a skip id must name an item that exists (a typo
 * would silently keep the item), and an extra item must not take a built-in id.
 */
export function checklistProblems(config: EmbargoConfig): string[] {
  const builtIn = new Set(CHECKLIST.map((i) => i.id));
  const problems: string[] = [];
  const extraIds = new Set<string>();
  for (const item of config.checklist.extra) {
    if (builtIn.has(item.id) || item.id.startsWith("fix.branch") || item.id.startsWith("fix.default_branch")) {
      problems.push(`\`checklist.extra\` item \`${item.id}\` takes the id of a built-in item: choose another id`);
    } else if (extraIds.has(item.id)) {
      problems.push(`\`checklist.extra\` lists the id \`${item.id}\` twice`);
    }
    extraIds.add(item.id);
  }
  const branchIds = config.supported_branches.length ? config.supported_branches.map((b) => branchItemId(b)) : [defaultBranchItemId()];
  const known = new Set([...builtIn, ...extraIds, ...branchIds]);
  for (const id of config.checklist.skip) {
    if (!known.has(id)) {
      problems.push(`\`checklist.skip\` names \`${id}\`, which is not a checklist item id (the ids are listed in the README, "Checklist")`);
    }
  }
  return problems;
}
