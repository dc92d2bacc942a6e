import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The house rules the code review keeps asking for, checked on every run: only src/github/ (and
 * the command line, which builds its own Octokit) calls GitHub, so every call passes the leak
 * firewall's Octokit and is counted where the benchmark looks; and no import cycle, so each
 * module is loaded (and can be tested) from the bottom up.
 */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

const files = sources(SRC);
const rel = (file: string) => relative(SRC, file);
const OCTOKIT_CALL = /\b(?:octokit|appOctokit)\s*\.\s*(?:rest|request|paginate|graphql)\b/;

describe("house rules", () => {
  it("finds the sources", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.map(rel)).toContain("github/issue-writes.ts");
  });

  it("calls Octokit only from src/github/ and src/cli/ (the command line's own Octokit) and src/adapters/ (an installation's token)", () => {
    const outside = files
      .filter((f) => !/^(github|cli|adapters)\//.test(rel(f)))
      .flatMap((f) => readFileSync(f, "utf8").split("\n").flatMap((line, i) => (OCTOKIT_CALL.test(line) ? [`${rel(f)}:${i + 1}: ${line.trim()}`] : [])));
    expect(outside).toEqual([]);
  });

  // Type-only imports are erased by the compiler: a cycle through one is no cycle at run time.
  it("has no import cycle at run time", () => {
    const IMPORT = /^(?:import|export)\s(?!type\s)[^;]*?from\s+"(\.[^"]+)"/gm;
    const edges = new Map(
      files.map((f) => [
        rel(f),
        [...readFileSync(f, "utf8").matchAll(IMPORT)].map((m) => rel(resolve(dirname(f), m[1]!.replace(/\.js$/, ".ts")))),
      ]),
    );
    const state = new Map<string, "open" | "done">();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "open") return void cycles.push([...path.slice(path.indexOf(file)), file].join(" → "));
      state.set(file, "open");
      for (const next of edges.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, "done");
    };
    for (const file of edges.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
