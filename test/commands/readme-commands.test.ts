import { describe, expect, it } from "vitest";
import { decideCommands } from "../../src/commands/decide-commands.js";
import { parseCommands } from "../../src/commands/parse-commands.js";
import { CHECKLIST } from "../../src/checklist/checklist-items.js";
import { COMMANDS, findCommand } from "../../src/commands/registry.js";
import { helpView } from "../../src/commands/help-view.js";
import type { EmbargoConfig } from "../../src/config/config-schema.js";
import { validateConfig } from "../../src/config/load-config.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { renderTemplate } from "../../src/render/templates.js";
import { cellSpans, manual, spans, tables, type Doc, type Span } from "../helpers/manual.js";

/**
 * Every `/triage`, `/announce` and `/help` line the manual (README.md, docs/*.md) and the `/help`
 * reply show a user runs: parsed by the app's parser, found in the registry, and decided without a
 * failure, as a team member's comment would be. A usage with placeholders (`/triage cvss <vector>`)
 * is run with a sample for each placeholder, every alternative (`<yes|no>`) and with and without
 * each optional part (`[<reason>]`).
 */

const NOW = new Date("2026-11-22T12:00:00Z");

function configOf(raw: object): EmbargoConfig {
  const result = validateConfig(raw);
  if (!result.ok) throw new Error(result.problems.join("\n"));
  return result.config;
}

const CONFIG = configOf({ components: { api: { repo: "acme/widget" }, web: {} } });
const FRESH = newRecord(new Date("2026-11-20T09:30:00Z"), new Date("2026-11-20T09:31:00Z"));
/** /announce needs a response that can be announced: confirmed and rated, the embargo over. */
const READY: ResponseRecord = { ...FRESH, state: "fixed", severity: "high", summary: "Path traversal in the upload endpoint", embargo_end: "2026-11-21", components: ["api"], ghsa: "GHSA-abcd-4q2w-9x8v" };

/** What a placeholder stands for: the text inside `<…>`, or a whole word. */
const SAMPLES: Record<string, string[]> = {
  reason: ["We do not ship the affected module."],
  vector: ["CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"],
  "CVSS 3.0, 3.1 or 4.0 vector": ["CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"],
  "name…": ["api", "api web"],
  ecosystem: ["npm", "maven"],
  package: ["left-pad"],
  range: ["<1.3.1", ">=4.18.0,<4.18.2"],
  version: ["1.3.1"],
  n: ["79"],
  text: ["Set `uploads.enabled: false` until you upgrade."],
  url: ["https://example.org/advisories/1"],
  "YYYY-MM-DD": ["2026-12-24"],
  date: ["2026-12-24"],
  id: ["CVE-2026-12345"],
  "one line": ["Path traversal in the upload endpoint"],
  "what is known": ["Access logs show use from an unknown address."],
  "what is known so far": ["Access logs show use from an unknown address."],
  "owner/repo#n": ["acme/product#42"],
  "PR URL": ["https://github.com/acme/product/pull/42"],
  type: ["finder", "remediation_developer"],
  "@login": ["@octocat"],
  "@login…": ["@octocat", "@octocat @hubot"],
  "CVE-YYYY-NNNN": ["CVE-2026-12345"],
};

function sample(name: string): string[] {
  const found = SAMPLES[name];
  if (!found) throw new Error(`no sample for the placeholder "${name}": add one to SAMPLES`);
  return found;
}

/** Splits on top-level `|` (not inside `<…>` or `[…]`). */
function alternatives(text: string): string[] {
  const out = [""];
  let depth = 0;
  for (const c of text) {
    if (c === "<" || c === "[") depth++;
    if (c === ">" || c === "]") depth--;
    if (c === "|" && depth === 0) out.push("");
    else out[out.length - 1] += c;
  }
  return out.map((a) => a.trim());
}

/** Words, where `<…>` and `[…]` count as one word even with spaces inside. */
function words(text: string): string[] {
  const out: string[] = [];
  let word = "";
  let depth = 0;
  for (const c of text) {
    if (c === "<" || c === "[") depth++;
    if (c === ">" || c === "]") depth--;
    if (/\s/.test(c) && depth === 0) {
      if (word) out.push(word);
      word = "";
    } else word += c;
  }
  if (word) out.push(word);
  return out;
}

const product = (lists: string[][]): string[] => lists.reduce<string[]>((acc, list) => acc.flatMap((a) => list.map((b) => `${a} ${b}`)), [""]).map((s) => s.replace(/\s+/g, " ").trim());

function variantsOfWords(text: string): string[] {
  return product(words(text).map(variantsOfWord));
}

function variantsOfWord(word: string): string[] {
  if (SAMPLES[word]) return SAMPLES[word]!;
  if (word.startsWith("[") && word.endsWith("]")) return ["", ...alternatives(word.slice(1, -1)).flatMap(variantsOfWords)];
  const alts = alternatives(word);
  if (alts.length > 1) return alts.flatMap(variantsOfWord);
  // A word of literal text and `<…>` parts: `CWE-<n>`, `<ecosystem>/<package>`.
  const parts = word.split(/(<[^<>]*(?:<[^<>]*>[^<>]*)*>)/).filter(Boolean);
  const filled = parts.map((p) => {
    if (!(p.startsWith("<") && p.endsWith(">"))) return [p];
    const alts = alternatives(p.slice(1, -1));
    return alts.length > 1 ? alts.flatMap((a) => SAMPLES[a] ?? [a]) : sample(alts[0]!);
  });
  return filled.reduce<string[]>((acc, list) => acc.flatMap((a) => list.map((b) => a + b)), [""]);
}

/** The lines a usage stands for: each sample, alternative and optional part; `(or /help)` is one more usage. */
function expandUsage(usage: string): string[] {
  const also = [...usage.matchAll(/\(or (?:just )?(\/[^)]*)\)/g)].map((m) => m[1]!);
  const main = usage.replace(/\s*\(or [^)]*\)/g, "");
  const all = words(main);
  const head = all.slice(0, all.length > 1 && /^[a-z-]+$/.test(all[1]!) ? 2 : 1).join(" ");
  const tail = main.slice(main.indexOf(head) + head.length).trim();
  return [...(tail ? variantsOfWords(tail).map((v) => `${head} ${v}`.trim()) : [head]), ...also.flatMap(expandUsage)];
}

/** Why a line does not run as a team member's comment, or "" when it does. */
function whyNot(text: string): string {
  const lines = parseCommands(text);
  if (lines.length !== 1 || lines[0]!.text !== text.trim()) return `parses as ${lines.length} command line(s)`;
  const [line] = lines;
  if (!findCommand(line!.group, line!.name)) return `no such command: /${line!.group} ${line!.name}`;
  const decision = decideCommands({ lines, record: line!.group === "announce" ? READY : FRESH, commentKey: "1", labels: [], config: CONFIG, now: NOW, actor: "alice", reporter: "reporter" });
  return decision.failures.map((f) => f.error).join("; ");
}

const COMMAND = /^\/(triage|announce|help)\b/;

/** What the manual's code spans that show a command get wrong: "where: line: why". */
function spanProblems(all: Span[]): string[] {
  const out: string[] = [];
  for (const s of all.filter((s) => COMMAND.test(s.code))) {
    const where = `${s.doc}:${s.line}: \`${s.code}\``;
    if (s.code === "/triage") continue; // the group, not a command
    if (/\s…$/.test(s.code)) {
      // `/triage cvss …`: a command whose arguments the text leaves out
      const [line] = parseCommands(s.code.replace(/\s…$/, ""));
      if (!line || !findCommand(line.group, line.name)) out.push(`${where}: no such command`);
      continue;
    }
    if (/[<[|]|@login|YYYY/.test(s.code)) {
      let lines: string[];
      try {
        lines = expandUsage(s.code);
      } catch (error) {
        out.push(`${where}: ${(error as Error).message}`);
        continue;
      }
      for (const line of lines) {
        const why = whyNot(line);
        if (why) out.push(`${where}: as "${line}": ${why}`);
      }
      continue;
    }
    const [line] = parseCommands(s.code);
    if (!line || !findCommand(line.group, line.name)) out.push(`${where}: no such command`);
    else if (line.args || line.name === "" || !needsArguments(line.group, line.name)) {
      const why = whyNot(s.code);
      if (why) out.push(`${where}: ${why}`);
    }
  }
  return out;
}

/** A command named without arguments in the text (`/triage pr`) is a name, not an example, when it cannot run bare. */
function needsArguments(group: string, name: string): boolean {
  return Boolean(whyNot(`/${group} ${name}`));
}

/** Each registry command a `| command | … |` table row names. */
function tableCommands(docs: Doc[]): Set<string> {
  const named = new Set<string>();
  for (const t of docs.flatMap(tables).filter((t) => t.header[0] === "command")) {
    for (const r of t.rows) {
      for (const code of cellSpans(r.cells[0]!)) {
        const [line] = parseCommands(code);
        const found = line && findCommand(line.group, line.name);
        if (found) named.add(`/${found.group} ${found.name}`);
      }
    }
  }
  return named;
}

const docs = manual();

async function helpReply(): Promise<string> {
  return (await renderTemplate("help", helpView())).text;
}

describe("the manual's command lines", () => {
  it("finds them", () => {
    expect(docs.flatMap(spans).filter((s) => COMMAND.test(s.code)).length).toBeGreaterThan(60);
  });

  it("each one runs: an example as written, a usage with every placeholder, alternative and option filled in", () => {
    expect(spanProblems(docs.flatMap(spans))).toEqual([]);
  });

  it("the command tables list every command the app has", () => {
    const named = tableCommands(docs);
    expect(COMMANDS.map((c) => `/${c.group} ${c.name}`).filter((c) => !named.has(c))).toEqual([]);
  });

  it("fails on a broken example, a usage the parser refuses and a command that does not exist (a made-up manual)", () => {
    const made = (text: string) => spanProblems(spans({ name: "made-up.md", text }));
    expect(made("Run `/triage cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H` or `/triage pr`.")).toEqual([]);
    expect(made("Run `/triage cvss 9.8`.")).toEqual([expect.stringMatching(/^made-up\.md:1: `\/triage cvss 9\.8`: .*CVSS/)]);
    expect(made("| `/triage cwe <n>` | x |")).toEqual([expect.stringMatching(/as "\/triage cwe 79"/)]);
    expect(made("| `/triage severity <critical\\|urgent>` | x |")).toEqual([expect.stringMatching(/as "\/triage severity urgent"/)]);
    expect(made("Run `/triage sevrity high` or `/announce unpublish`.")).toEqual([expect.stringMatching(/sevrity/), expect.stringMatching(/unpublish/)]);
    expect(made("Then `/triage frobnicate …`.")).toEqual([expect.stringMatching(/no such command/)]);
    expect(made("Run `/triage owner <person>`.")).toEqual([expect.stringMatching(/no sample for the placeholder "person"/)]);
    expect(tableCommands([{ name: "made-up.md", text: "| command | effect |\n|---|---|\n| `/triage confirm` | x |\n" }])).toEqual(new Set(["/triage confirm"]));
  });

  it("expands a usage into each line it stands for", () => {
    expect(expandUsage("/triage reproduced <yes|no>")).toEqual(["/triage reproduced yes", "/triage reproduced no"]);
    expect(expandUsage("/triage breach [<what is known>]")).toEqual(["/triage breach", "/triage breach Access logs show use from an unknown address."]);
    expect(expandUsage("/triage help (or /help)")).toEqual(["/triage help", "/help"]);
    expect(expandUsage("/triage affects <ecosystem>/<package> <range>")).toContain("/triage affects maven/left-pad >=4.18.0,<4.18.2");
    expect(expandUsage("/triage cwe CWE-<n>")).toEqual(["/triage cwe CWE-79"]);
  });
});

describe("the checklist's hints", () => {
  it("each command a checklist item shows as how it gets ticked runs (the response shows them on every issue)", () => {
    const shown = CHECKLIST.flatMap((item) => spans({ name: `checklist ${item.id}`, text: item.how ?? "" }));
    expect(shown.filter((s) => COMMAND.test(s.code)).length).toBeGreaterThan(15);
    expect(spanProblems(shown)).toEqual([]);
  });
});

describe("the /help reply", () => {
  it("each example in it runs, and every command's examples are there", async () => {
    const help = await helpReply();
    const block = /\nExamples:\n```\n([\s\S]*?)\n```/.exec(help);
    expect(block, "the examples block").not.toBeNull();
    const examples = block![1]!.split("\n");
    expect(examples).toEqual(COMMANDS.flatMap((c) => c.examples));
    expect(examples.map((e) => [e, whyNot(e)]).filter(([, why]) => why)).toEqual([]);
  });

  it("each usage in its table runs with its placeholders filled in", async () => {
    const [table] = tables({ name: "help", text: await helpReply() });
    const usages = table!.rows.map((r) => cellSpans(r.cells[0]!)[0]!);
    expect(usages).toHaveLength(COMMANDS.length);
    expect(usages.flatMap((u) => expandUsage(u).map((line) => [line, whyNot(line)])).filter(([, why]) => why)).toEqual([]);
  });

  it("as it says, its examples do not run inside a quote, a code block or an HTML comment", async () => {
    const help = await helpReply();
    expect(help).toContain("lines in quotes, code blocks or HTML comments never run");
    for (const example of COMMANDS.flatMap((c) => c.examples)) {
      expect(parseCommands(`> ${example}`)).toEqual([]);
      expect(parseCommands(`\`\`\`\n${example}\n\`\`\``)).toEqual([]);
      expect(parseCommands(`<!--\n${example}\n-->`)).toEqual([]);
    }
  });
});
