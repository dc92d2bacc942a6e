import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url).pathname;
const example = readFileSync(join(ROOT, ".env.example"), "utf8");
const running = readFileSync(join(ROOT, "docs/running.md"), "utf8");
const table = running.slice(running.indexOf("## Environment variables"), running.indexOf("## `npm start`"));

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

/** `env.NAME`, `env["NAME"]` and `process.env.NAME` in a source text. */
function variablesIn(code: string): string[] {
  return [...code.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]+)|\[["']([A-Z][A-Z0-9_]+)["']\])/g)].map((m) => (m[1] ?? m[2])!);
}

// Set by GitHub Actions for the Action adapter, documented in their own paragraph.
const ACTIONS = /^GITHUB_/;

describe(".env.example and the variables table", () => {
  const require = createRequire(import.meta.url);
  const probotLib = join(require.resolve("probot"), "..");
  const probot = ["bin/read-env-options.js", "create-probot.js", "apps/setup.js", "manifest-creation.js", "helpers/is-production.js"].flatMap((f) =>
    variablesIn(readFileSync(join(probotLib, f), "utf8")),
  );
  const ours = tsFiles(join(ROOT, "src")).flatMap((f) => variablesIn(readFileSync(f, "utf8")));
  const all = [...new Set([...ours, ...probot, "PRIVATE_KEY", "PRIVATE_KEY_PATH"])].filter((v) => !ACTIONS.test(v)).sort();

  it("finds the variables the app and Probot read", () => {
    for (const v of ["APP_ID", "WEBHOOK_SECRET", "EMBARGO_SECRET", "EMBARGO_SECRET_PREVIOUS", "LOG_LEVEL", "GHE_HOST"]) expect(all).toContain(v);
  });

  it("lists every one of them in .env.example and in the docs' table", () => {
    const inExample = (v: string) => new RegExp(`^#?\\s*${v}=`, "m").test(example);
    const inTable = (v: string) => new RegExp(`^\\|[^|\\n]*\`${v}\``, "m").test(table);
    expect(all.filter((v) => !inExample(v) && !["GH_ORG", "PROJECT_DOMAIN", "NO_SMEE_SETUP"].includes(v))).toEqual([]);
    expect(all.filter((v) => !inTable(v))).toEqual([]);
  });

  it("documents the variables GitHub Actions sets that the adapter reads, and that GITHUB_TOKEN is never read", () => {
    const actions = [...new Set(ours.filter((v) => ACTIONS.test(v)))];
    expect(actions.length).toBeGreaterThan(0);
    for (const v of actions) expect(running).toContain(`\`${v}\``);
    expect(actions).not.toContain("GITHUB_TOKEN");
  });
});
