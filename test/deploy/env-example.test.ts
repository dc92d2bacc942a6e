import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fences, manual, prose, spans, type Doc } from "../helpers/manual.js";

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

/**
 * The other way round: a variable the manual (README.md, docs/*.md) tells a user to set must be
 * one that something reads, or setting it does nothing. Names with an underscore anywhere in the
 * text and in its shell, YAML and console blocks; a single word (`PORT`) when it is written `NAME=…`
 * or stands in the docs' variables table.
 */
function namedVariables(docs: Doc[]): Map<string, string> {
  const found = new Map<string, string>();
  const note = (name: string, where: string) => void (found.has(name) || found.set(name, where));
  for (const doc of docs) {
    const texts = [prose(doc), ...fences(doc).filter((f) => ["sh", "yaml", "yml", "console", ""].includes(f.lang)).map((f) => f.body)];
    for (const text of texts) for (const m of text.matchAll(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]\b/g)) note(m[0], doc.name);
    for (const s of spans(doc)) {
      const single = /^([A-Z][A-Z0-9]+)(=.*)?$/.exec(s.code);
      if (single && (single[2] !== undefined || new RegExp(`^\\|\\s*\`${single[1]}\``, "m").test(table))) note(single[1]!, `${s.doc}:${s.line}`);
    }
  }
  return found;
}

/** Names the manual uses that are not variables of this app's process, each with why. */
const NOT_READ: Record<string, string> = {
  SECURITY_SLACK_WEBHOOK_URL: "an example value of `notify.slack_webhook_env`: the variable read is the one the config names",
  EMBARGO_APP_ID: "a GitHub Actions variable of the workflows, handed to the action as `app-id`",
  EMBARGO_PRIVATE_KEY: "a GitHub Actions secret of the workflows, handed to the action as `private-key`",
  GITHUB_TOKEN: "named only to say it is never read (checked above)",
};

/** Variables only the tests read, documented under "Tests". */
const TEST_ONLY = ["EMBARGO_TEST_REDIS_URL", "CI"];

describe("the variables the manual names", () => {
  const require = createRequire(import.meta.url);
  const probotLib = join(require.resolve("probot"), "..");
  const probot = ["bin/read-env-options.js", "create-probot.js", "apps/setup.js", "manifest-creation.js", "helpers/is-production.js"].flatMap((f) =>
    variablesIn(readFileSync(join(probotLib, f), "utf8")),
  );
  // @probot/get-private-key reads these two for Probot.
  const read = new Set([...tsFiles(join(ROOT, "src")).flatMap((f) => variablesIn(readFileSync(f, "utf8"))), ...probot, "PRIVATE_KEY", "PRIVATE_KEY_PATH"]);
  const readByTests = new Set(tsFiles(join(ROOT, "test")).flatMap((f) => [...readFileSync(f, "utf8").matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!)));
  const unread = (names: Map<string, string>) => [...names].filter(([name]) => !read.has(name) && !NOT_READ[name] && !(TEST_ONLY.includes(name) && readByTests.has(name))).map(([name, where]) => `${name} (${where})`);

  it("finds them", () => {
    const names = namedVariables(manual());
    for (const v of ["APP_ID", "PORT", "HOST", "CI", "EMBARGO_TICK_MINUTES", "REDIS_URL", "SENTRY_DSN"]) expect([...names.keys()]).toContain(v);
    for (const word of ["PASS", "FAIL", "PONG", "SEMVER", "CVE_RECORD"]) expect([...names.keys()]).not.toContain(word);
  });

  it("each is read by the app, Probot or (for the tests' own) the tests", () => {
    expect(unread(namedVariables(manual()))).toEqual([]);
    for (const name of Object.keys(NOT_READ)) expect(read.has(name), name).toBe(false);
  });

  it("a variable nothing reads fails this (a made-up manual)", () => {
    const made = namedVariables([{ name: "made-up.md", text: "Set `EMBARGO_TICK_HOURS=2` and `VERBOSE=1`, not `PORT`.\n" }]);
    expect(unread(made)).toEqual(["EMBARGO_TICK_HOURS (made-up.md)", "VERBOSE (made-up.md:1)"]);
  });
});
