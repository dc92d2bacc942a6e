import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { configSchema } from "../../src/config/config-schema.js";
import type { ConfigResult } from "../../src/config/load-config.js";
import { readConfigFrom } from "../../src/github/read-config.js";
import { cellSpans, fences, manual, prose, spans, tables, type Doc, type Fence, type Table } from "../helpers/manual.js";

/**
 * What the manual (README.md, docs/*.md) says about `.github/embargo.yml`, checked against the app:
 * every YAML example loads through the app's own reader (Probot's config plugin, `_extends`, the
 * merge, the schema), every key it documents is in the schema and every schema key is documented,
 * with the default the schema fills in. A YAML block that is not an embargo.yml (a workflow) says
 * so in an HTML comment right above it, `<!-- example: not embargo.yml (why) -->`; a deliberately
 * broken example says `<!-- example: invalid embargo.yml (why) -->`, and must then be refused.
 */

type Files = Record<string, string>;

/** The app's config reader over files held in memory ("owner/repo:path" → text); others are 404. */
async function load(files: Files, owner = "acme", repo = "security"): Promise<ConfigResult> {
  const request = Object.assign(
    async (e: { owner: string; repo: string; path: string }) => {
      const text = files[`${e.owner}/${e.repo}:${e.path}`];
      if (text === undefined) throw Object.assign(new Error("Not Found"), { status: 404 });
      return { data: text, headers: { "content-type": "application/vnd.github.raw" } };
    },
    { endpoint: (e: { owner: string; repo: string; path: string }) => ({ url: `https://api.github.com/repos/${e.owner}/${e.repo}/contents/${e.path}` }) },
  );
  return readConfigFrom({ request } as never, owner, repo);
}

const loadFile = (text: string) => load({ "acme/security:.github/embargo.yml": text });

const NOT_CONFIG = /^not embargo\.yml\b/;
const INVALID = /^invalid embargo\.yml\b/;

function yamlBlocks(docs: Doc[]): Fence[] {
  return docs.flatMap(fences).filter((f) => f.lang === "yaml" || f.lang === "yml");
}

/** What is wrong with the manual's YAML examples: one line per example that does not do what its mark says. */
async function exampleProblems(docs: Doc[]): Promise<string[]> {
  const out: string[] = [];
  for (const block of yamlBlocks(docs)) {
    const where = `${block.doc}:${block.line}`;
    if (NOT_CONFIG.test(block.mark)) continue;
    if (block.mark && !INVALID.test(block.mark)) {
      out.push(`${where}: unknown mark "${block.mark}" (use "not embargo.yml (why)" or "invalid embargo.yml (why)")`);
      continue;
    }
    const result = await loadFile(block.body);
    if (INVALID.test(block.mark) && result.ok) out.push(`${where}: marked invalid, but the app loads it`);
    if (!block.mark && !result.ok) out.push(`${where}: ${result.problems.join("; ")}`);
  }
  return out;
}

/** Every key path the schema knows: a mapping with fixed keys is its keys; a mapping of names is itself and `<name>.…`. */
function schemaKeys(schema: Record<string, unknown> = configSchema as never, prefix = ""): string[] {
  const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
  const names = schema.additionalProperties as Record<string, unknown> | boolean | undefined;
  const out: string[] = [];
  if (properties) for (const [key, sub] of Object.entries(properties)) out.push(...(sub.type === "object" && (sub.properties || typeof sub.additionalProperties === "object") ? schemaKeys(sub, `${prefix}${key}.`) : [`${prefix}${key}`]));
  if (typeof names === "object") out.push(prefix.slice(0, -1), ...schemaKeys(names, `${prefix}<name>.`));
  return out;
}

/** The manual's key tables: `| key | type | default | …`, one key (a code span) per row. */
function keyTables(docs: Doc[]): Table[] {
  return docs.flatMap(tables).filter((t) => t.header[0] === "key" && t.header[1] === "type" && t.header[2] === "default");
}

function keyRows(docs: Doc[]): { key: string; cells: Record<string, string>; where: string }[] {
  return keyTables(docs).flatMap((t) =>
    t.rows.map((r) => ({ key: cellSpans(r.cells[0]!)[0] ?? r.cells[0]!, cells: Object.fromEntries(t.header.map((h, i) => [h, r.cells[i] ?? ""])), where: `${t.doc}:${r.line}` })),
  );
}

/** `_extends` is the config reader's (Probot's plugin): it is gone before the schema sees the file. */
const READER_KEYS = ["_extends"];

const get = (value: unknown, path: string): unknown => path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);

/** The schema of one key path (`components.<name>.repo`). */
function schemaAt(path: string): Record<string, unknown> {
  return path.split(".").reduce<Record<string, unknown>>((node, k) => ((k === "<name>" ? node.additionalProperties : (node.properties as Record<string, unknown>)[k]) as Record<string, unknown>), configSchema as never);
}

/** A value as the manual writes it: YAML, but a string key's value is the text itself (`priority: urgent`). */
const valueOf = (path: string, code: string): unknown => (schemaAt(path).type === "string" ? code : parseYaml(code));

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.replace(/<name>/g, "api").split(".");
  let at = target;
  for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
  at[keys.at(-1)!] = value;
}

/** The keys a schema path can be named by in prose: `components.api.repo` is `components.<name>.repo`. */
function knownKey(path: string, keys: Set<string>): boolean {
  if (keys.has(path)) return true;
  const parts = path.split(".");
  return parts.length > 1 && keys.has([parts[0], "<name>", ...parts.slice(2)].join("."));
}

/** Code spans that name a config key: `config \`team\``, and dotted paths under a top-level key (`public_pr.check_name`). */
function proseKeys(docs: Doc[], keys: Set<string>): { key: string; where: string }[] {
  const top = new Set([...keys].map((k) => k.split(".")[0]!));
  const out: { key: string; where: string }[] = [];
  for (const doc of docs) {
    const text = prose(doc);
    for (const m of text.matchAll(/\bconfig `([^`]+)`/g)) out.push({ key: m[1]!, where: `${doc.name}:${text.slice(0, m.index).split("\n").length}` });
    for (const s of spans(doc)) {
      const path = /^([a-z_]+(?:\.[a-z_<>]+)+)(?::\s.*)?$/.exec(s.code)?.[1];
      if (path && top.has(path.split(".")[0]!)) out.push({ key: path, where: `${s.doc}:${s.line}` });
    }
  }
  return out;
}

/** A table cell's default: one code span, or "none…" (the key stays unset). */
function documentedDefault(cell: string): { code: string } | "none" | "unreadable" {
  if (/^none\b/.test(cell)) return "none";
  const code = cellSpans(cell);
  return code.length !== 1 || cell.replace(/`[^`]*`/, "").trim() ? "unreadable" : { code: code[0]! };
}

/** A default as written (`priority: high` for a string) is the value when it reads as that value in YAML, or is that string. */
const sameDefault = (code: string, actual: unknown) => (typeof actual === "string" ? code === actual : JSON.stringify(parseYaml(code)) === JSON.stringify(actual));

/** What a type cell says of a key's limits (`integer 1–365`, `1–50 characters`, `at most 20`, `no duplicates`) that the schema does not. */
function limitProblems(key: string, type: string): string[] {
  const node = schemaAt(key);
  const num = (text: string) => Number(text.replace(/,/g, ""));
  const out: string[] = [];
  const expectLimit = (where: Record<string, unknown> | undefined, name: string, said: string) => {
    if (where?.[name] !== num(said)) out.push(`\`${key}\`: ${name} is ${String(where?.[name])}, the manual says ${num(said)}`);
  };
  const integer = /\binteger ([\d,]+)–([\d,]+)/.exec(type);
  if (integer) (expectLimit(node, "minimum", integer[1]!), expectLimit(node, "maximum", integer[2]!));
  const chars = /\b([\d,]+)–([\d,]+) characters( each)?/.exec(type);
  if (chars) (expectLimit(chars[3] ? (node.items as Record<string, unknown>) : node, "minLength", chars[1]!), expectLimit(chars[3] ? (node.items as Record<string, unknown>) : node, "maxLength", chars[2]!));
  const upTo = /\bup to ([\d,]+) characters/.exec(type);
  if (upTo) expectLimit(node, "maxLength", upTo[1]!);
  const items = /\bat most ([\d,]+)\)/.exec(type);
  if (items) expectLimit(node, "maxItems", items[1]!);
  if (/\bno duplicates\b/.test(type) && node.uniqueItems !== true) out.push(`\`${key}\`: the manual says no duplicates, the schema allows them`);
  return out;
}

const docs = manual();

describe("the manual's .github/embargo.yml examples", () => {
  it("finds the examples, the key tables and the marks", () => {
    expect(yamlBlocks(docs).filter((b) => !b.mark).length).toBeGreaterThanOrEqual(4);
    expect(keyRows(docs).length).toBeGreaterThanOrEqual(40);
  });

  it("each YAML example that is an embargo.yml loads with the app's config reader", async () => {
    expect(await exampleProblems(docs)).toEqual([]);
  });

  it("fails on a broken example and on a mark that lies (checked on a manual made up here)", async () => {
    const doc = (text: string): Doc[] => [{ name: "made-up.md", text }];
    expect(await exampleProblems(doc("```yaml\nteam: my-org/security-team\n```\n"))).toEqual([]);
    expect(await exampleProblems(doc("```yaml\nteam: security-team\n```\n"))).toEqual([expect.stringMatching(/^made-up\.md:1: `team` must be a team/)]);
    expect(await exampleProblems(doc("```yaml\nreviewers: [a]\n```\n"))).toEqual([expect.stringMatching(/`reviewers` is not a known key/)]);
    expect(await exampleProblems(doc("text\n\n```yml\nlabel: [unclosed\n```\n"))).toEqual([expect.stringMatching(/^made-up\.md:3: the file could not be read/)]);
    expect(await exampleProblems(doc("<!-- example: invalid embargo.yml (no {id}) -->\n```yaml\ndisclosure_branch: fixes\n```\n"))).toEqual([]);
    expect(await exampleProblems(doc("<!-- example: invalid embargo.yml (oops) -->\n```yaml\nlabel: fine\n```\n"))).toEqual(["made-up.md:2: marked invalid, but the app loads it"]);
    expect(await exampleProblems(doc("<!-- example: not embargo.yml (a workflow) -->\n\n```yaml\non: push\n```\n"))).toEqual([]);
    expect(await exampleProblems(doc("<!-- example: skip -->\n```yaml\non: push\n```\n"))).toEqual([expect.stringMatching(/unknown mark "skip"/)]);
  });

  it("`_extends` takes each form the manual shows, and the file it names is merged under the repository's", async () => {
    const forms = docs.flatMap((d) => spans(d)).map((s) => /^_extends: (\S+)$/.exec(s.code)?.[1]).filter((v): v is string => Boolean(v));
    const examples = keyRows(docs).filter((r) => r.key === "_extends").flatMap((r) => cellSpans(r.cells.example!));
    expect(forms.length + examples.length).toBeGreaterThanOrEqual(4);
    for (const form of new Set([...forms, ...examples])) {
      const m = /^(?:([^/:]+)\/)?([^/:]+)(?::(.+))?$/.exec(form)!;
      const base = `${m[1] ?? "acme"}/${m[2]}:${m[3] ?? ".github/embargo.yml"}`;
      const result = await load({ "acme/security:.github/embargo.yml": `_extends: ${form}\nnotify_team: true\n`, [base]: "label: vuln-report\nnotify_team: false\n" });
      expect(result, form).toMatchObject({ ok: true, config: { label: "vuln-report", notify_team: true } });
    }
  });
});

describe("the manual's config keys and the schema", () => {
  const keys = schemaKeys();
  const documented = keyRows(docs).map((r) => r.key);

  it("reads the schema's keys", () => {
    expect(keys).toEqual(expect.arrayContaining(["label", "embargo_days.critical", "components", "components.<name>.package.ecosystem", "public_pr.max_reviewers", "dashboard.title", "feeds"]));
    expect(keys).not.toContain("embargo_days");
  });

  it("documents every schema key once, and nothing the schema does not know", () => {
    expect(documented.filter((k, i) => documented.indexOf(k) !== i)).toEqual([]);
    expect(keys.filter((k) => !documented.includes(k))).toEqual([]);
    expect(documented.filter((k) => !keys.includes(k) && !READER_KEYS.includes(k))).toEqual([]);
  });

  it("every config key named in the prose exists", () => {
    const known = new Set([...keys, ...READER_KEYS]);
    expect(proseKeys(docs, known).filter((p) => !knownKey(p.key, known))).toEqual([]);
  });

  it("the default each table gives is the one the app fills in", async () => {
    const defaults = await loadFile("");
    expect(defaults.ok).toBe(true);
    const wrong: string[] = [];
    for (const row of keyRows(docs).filter((r) => keys.includes(r.key) && !r.key.includes("<name>"))) {
      const said = documentedDefault(row.cells.default!);
      const actual = get(defaults.ok && defaults.config, row.key);
      if (said === "unreadable") wrong.push(`${row.where}: \`${row.key}\`: the default "${row.cells.default}" is neither one code span nor "none…"`);
      else if (said === "none" ? actual !== undefined : !sameDefault(said.code, actual)) {
        wrong.push(`${row.where}: \`${row.key}\`: the manual says ${row.cells.default}, the app fills in ${JSON.stringify(actual)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("the limits the type column gives are the schema's", () => {
    const rows = keyRows(docs).filter((r) => keys.includes(r.key));
    expect(rows.filter((r) => /integer \d|characters|at most|no duplicates/.test(r.cells.type!)).length).toBeGreaterThan(15);
    expect(rows.flatMap((r) => limitProblems(r.key, r.cells.type!).map((p) => `${r.where}: ${p}`))).toEqual([]);
    expect(limitProblems("label", "string, 1–40 characters")).toEqual(["`label`: maxLength is 50, the manual says 40"]);
    expect(limitProblems("checklist.extra", "list (at most 25)")).toEqual(["`checklist.extra`: maxItems is 20, the manual says 25"]);
    expect(limitProblems("reminders.review_hours", "integer 0–8760")).toEqual(["`reminders.review_hours`: minimum is 1, the manual says 0"]);
    expect(limitProblems("components.<name>.owners", "list of logins, no duplicates")).toEqual(["`components.<name>.owners`: the manual says no duplicates, the schema allows them"]);
  });

  it("the examples column, all together as one file, loads", async () => {
    const file: Record<string, unknown> = {};
    let used = 0;
    for (const row of keyRows(docs).filter((r) => r.cells.example !== undefined && keys.includes(r.key))) {
      const [example] = cellSpans(row.cells.example!);
      if (example && !example.includes("…")) (setPath(file, row.key, valueOf(row.key, example)), used++);
    }
    expect(used).toBeGreaterThan(30);
    const result = await loadFile(JSON.stringify(file));
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it("these checks fail on a key the schema lacks, an undocumented key and a wrong default (a made-up manual)", async () => {
    const table = (rows: string) => [{ name: "made-up.md", text: `| key | type | default | what |\n|---|---|---|---|\n${rows}` }];
    const rows = keyRows(table("| `label` | string | `security` | x |\n| `labels` | list | `[]` | x |\n| `notify_team` | boolean | `true` | x |\n"));
    expect(rows.map((r) => r.key).filter((k) => !keys.includes(k))).toEqual(["labels"]);
    expect(keys.filter((k) => !rows.map((r) => r.key).includes(k))).toContain("team");
    const defaults = await loadFile("");
    expect(documentedDefault(rows[2]!.cells.default!)).toEqual({ code: "true" });
    expect(sameDefault("true", get(defaults.ok && defaults.config, "notify_team"))).toBe(false);
    expect(sameDefault("security", get(defaults.ok && defaults.config, "label"))).toBe(true);
    expect(sameDefault("priority: low", get(defaults.ok && defaults.config, "public_pr.priority_label"))).toBe(false);
    const known = new Set(keys);
    expect(proseKeys([{ name: "made-up.md", text: "Set config `teams` or `public_pr.check` here.\n" }], known).filter((p) => !knownKey(p.key, known)).map((p) => p.key)).toEqual(["teams", "public_pr.check"]);
  });
});
