import type { ProbotOctokit } from "probot";
import type { EventScope, Visibility } from "./event-scope.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * GraphQL for the leak firewall: which documents write, and which repository a mutation acts on.
 * A mutation is judged by the repository it acts on, not the one it starts from: moving a public
 * issue into the private security repo (`transferIssue`) reveals nothing to the public.
 */

/** The arguments that name what a known mutation acts on. Others: every `…Id` / `id` argument. */
const TARGET_ARGUMENTS: Record<string, string[]> = {
  transferIssue: ["repositoryId"],
  pinIssue: ["issueId"],
  unpinIssue: ["issueId"],
};

export function isMutation(query: unknown): boolean {
  return typeof query === "string" && /(?:^|[^\w$])mutation\b/.test(query);
}

interface Token {
  kind: "name" | "var" | "string" | "punct";
  text: string;
}

// A variable, a name, a spread, a number; else one punctuator.
const WORD = /\$[_A-Za-z]\w*|[_A-Za-z]\w*|\.\.\.|[-+\w.]+|[^]/y;

/**
 * The document's tokens as GraphQL reads them: block strings (`"""…"""`, which may hold a lone
 * `"`), strings, `#` comments, commas and whitespace are not taken for structure; a string's
 * value is its JSON, as written. Null when a string never ends: nothing can be told.
 */
function tokens(query: string): Token[] | null {
  const out: Token[] = [];
  for (let i = 0; i < query.length; ) {
    const ch = query[i]!;
    if (/[\s,\ufeff]/.test(ch)) i++;
    else if (ch === "#") while (i < query.length && query[i] !== "\n" && query[i] !== "\r") i++;
    else if (query.startsWith('"""', i)) {
      let j = i + 3;
      while (j < query.length && !query.startsWith('"""', j)) j += query.startsWith('\\"""', j) ? 4 : 1;
      if (j >= query.length) return null;
      out.push({ kind: "string", text: JSON.stringify(query.slice(i + 3, j)) });
      i = j + 3;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < query.length && query[j] !== '"' && query[j] !== "\n") j += query[j] === "\\" ? 2 : 1;
      if (query[j] !== '"') return null;
      out.push({ kind: "string", text: query.slice(i, j + 1) });
      i = j + 1;
    } else {
      WORD.lastIndex = i;
      const m = WORD.exec(query)!;
      out.push({ kind: m[0].startsWith("$") ? "var" : /^[_A-Za-z]/.test(m[0]) ? "name" : "punct", text: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

/** The index just past the group opened at `at` (`(`, `{` or `[`); past the end when unclosed. */
function groupEnd(list: Token[], at: number): number {
  const open = list[at]!.text;
  const close = open === "(" ? ")" : open === "{" ? "}" : "]";
  let depth = 0;
  for (let i = at; i < list.length; i++) {
    if (list[i]!.kind !== "punct") continue;
    if (list[i]!.text === open) depth++;
    else if (list[i]!.text === close && --depth === 0) return i + 1;
  }
  return list.length + 1;
}

/** A string literal's value; undefined for an escape JSON does not know (GraphQL's `\u{…}`): no id is told by it. */
function literal(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Every non-empty string a variable's value holds under a key `take` accepts, however deep. */
function stringsUnder(value: unknown, take: (key: string) => boolean, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) stringsUnder(v, take, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (take(k) && typeof v === "string" && v) out.push(v);
      else stringsUnder(v, take, out);
    }
  }
  return out;
}

/** The ids one field's arguments name under `take`, inline or in variables (a whole `input: $input` too). */
function fieldIds(args: Token[], variables: Record<string, unknown>, take: (name: string) => boolean): string[] {
  const ids: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!;
    if (t.kind === "var") ids.push(...stringsUnder(variables[t.text.slice(1)], take));
    const value = args[i + 2];
    if (t.kind !== "name" || args[i + 1]?.text !== ":" || !value || !take(t.text)) continue;
    const id = value.kind === "var" ? variables[value.text.slice(1)] : value.kind === "string" ? literal(value.text) : undefined;
    if (typeof id === "string" && id) ids.push(id);
  }
  return ids;
}

/** The top-level fields of the selection set opened at `at`, each by name with its argument tokens; null when one cannot be told (a fragment). */
function mutationFields(list: Token[], at: number): { fields: { name: string; args: Token[] }[]; end: number } | null {
  const end = groupEnd(list, at);
  if (end > list.length) return null;
  const fields: { name: string; args: Token[] }[] = [];
  for (let i = at + 1; i < end - 1; ) {
    if (list[i]!.kind !== "name") return null;
    let name = list[i++]!.text;
    if (list[i]?.text === ":" && list[i + 1]?.kind === "name") {
      name = list[i + 1]!.text;
      i += 2;
    }
    let args: Token[] = [];
    if (list[i]?.text === "(") {
      const close = groupEnd(list, i);
      args = list.slice(i + 1, close - 1);
      i = close;
    }
    while (list[i]?.text === "@" && list[i + 1]?.kind === "name") i = list[i + 2]?.text === "(" ? groupEnd(list, i + 2) : i + 2;
    if (list[i]?.text === "{") i = groupEnd(list, i);
    fields.push({ name, args });
  }
  return { fields, end };
}

/**
 * The node ids a mutation acts on, from `$variables` or inline strings; empty when none can be told.
 * Each field of each mutation is judged by its own rule: a known one by its target arguments, any
 * other by its `…Id` / `id` arguments, inline or inside a variable. One field that names none (a
 * repository named by name, a fragment) leaves the document untold: the other fields' targets do
 * not speak for it.
 */
export function mutationTargets(query: string, variables: Record<string, unknown> = {}): string[] {
  const list = tokens(query);
  if (!list) return [];
  const ids: string[] = [];
  let mutation = false;
  for (let i = 0; i < list.length; ) {
    const t = list[i]!;
    if (t.kind === "name" && ["mutation", "query", "subscription", "fragment"].includes(t.text)) mutation = t.text === "mutation";
    if (t.text === "(" || t.text === "[" || (t.text === "{" && !mutation)) {
      i = groupEnd(list, i);
      continue;
    }
    if (t.text !== "{") {
      i++;
      continue;
    }
    const read = mutationFields(list, i);
    if (!read) return [];
    for (const { name, args } of read.fields) {
      const wanted = TARGET_ARGUMENTS[name];
      const found = fieldIds(args, variables, wanted ? (n) => wanted.includes(n) : (n) => /(?:^id|Id)$/.test(n));
      if (!found.length) return [];
      ids.push(...found);
    }
    mutation = false;
    i = read.end;
  }
  return [...new Set(ids)];
}

/**
 * The files a mutation commits (`createCommitOnBranch`'s `fileChanges.additions`), base64-decoded:
 * what the commit will say. A file is its `contents`, wherever it travels: inline, in a variable of
 * its own (`contents: $c`), or in a variable holding the additions under any name (`additions: $files`).
 */
export function committedFiles(query: string, variables: unknown): string[] {
  const encoded = stringsUnder(variables, (k) => k === "contents");
  const named = (variables ?? {}) as Record<string, unknown>;
  for (const m of query.matchAll(/\bcontents\s*:\s*(?:"([A-Za-z0-9+/=\s]*)"|\$(\w+))/g)) {
    const value = m[1] ?? named[m[2]!];
    if (typeof value === "string") encoded.push(value);
  }
  return [...new Set(encoded)].map((b64) => Buffer.from(b64, "base64").toString("utf8"));
}

interface NodeAnswer {
  node: { visibility?: string; repository?: { visibility?: string } } | null;
}

async function readNode(octokit: Octokit, id: string): Promise<Visibility> {
  try {
    const { node } = await octokit.graphql<NodeAnswer>(
      "query($id: ID!) { node(id: $id) { ... on Repository { visibility } ... on RepositoryNode { repository { visibility } } } }",
      { id },
    );
    const v = (node?.visibility ?? node?.repository?.visibility ?? "").toLowerCase();
    return v === "private" || v === "public" || v === "internal" ? v : "unknown";
  } catch {
    return "unknown";
  }
}

/** "private" only when every target is in a private repository; otherwise the most public answer. */
export async function targetsVisibility(octokit: Octokit, scope: EventScope, ids: string[]): Promise<Visibility> {
  if (!ids.length) return "unknown";
  const answers = await Promise.all(ids.map((id) => scope.visibility(`node:${id}`, () => readNode(octokit, id))));
  return answers.find((v) => v !== "private") ?? "private";
}
