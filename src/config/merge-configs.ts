type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Merges config files, most general first (an `_extends` base, the org's `.github` file) and the
 * repository's own file last. Mappings merge key by key; anything else, lists included, is
 * replaced by the more specific file: a repo that lists `release_managers` means that list, not
 * the org's plus its own (a login in both would otherwise fail `uniqueItems` and stop the app).
 */
export function mergeConfigs(configs: readonly unknown[]): Plain {
  let merged: Plain = {};
  for (const config of configs) if (isPlain(config)) merged = mergeTwo(merged, config);
  return merged;
}

function mergeTwo(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(over)) {
    // Keys named like Object.prototype's could otherwise reach it through a YAML file.
    if (key === "__proto__" || key === "constructor" || key === "prototype") continue;
    out[key] = isPlain(value) && isPlain(base[key]) ? mergeTwo(base[key] as Plain, value) : value;
  }
  return out;
}
