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

/** Where the argument list opened at `open` ends: strings and `#` comments skipped; the end of the document when unclosed. */
function listEnd(query: string, open: number): number {
  let depth = 0;
  for (let i = open; i < query.length; i++) {
    const ch = query[i];
    if (ch === '"') {
      for (i++; i < query.length && query[i] !== '"'; i++) if (query[i] === "\\") i++;
    } else if (ch === "#") {
      while (i < query.length && query[i] !== "\n") i++;
    } else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return i + 1;
  }
  return query.length;
}

/** Where each `field(` … `)` of the document starts and ends. */
function argumentLists(query: string, field: string): Array<[number, number]> {
  return [...query.matchAll(new RegExp(`\\b${field}\\s*\\(`, "g"))].map((m) => [m.index, listEnd(query, m.index + m[0].length - 1)]);
}

function idArguments(text: string, variables: Record<string, unknown>, take: (name: string) => boolean, ids: string[]): void {
  for (const m of text.matchAll(/\b(\w+)\s*:\s*(\$\w+|"(?:[^"\\]|\\.)*")/g)) {
    const [, name, value] = m as unknown as [string, string, string];
    if (!take(name)) continue;
    const id = value.startsWith("$") ? variables[value.slice(1)] : (JSON.parse(value) as unknown);
    if (typeof id === "string" && id) ids.push(id);
  }
}

/**
 * The node ids a mutation acts on, from `$variables` or inline strings; empty when none can be told.
 * A known mutation counts by its target arguments only; every other field of the same document
 * still counts by each of its `…Id` / `id` arguments (one document may carry several mutations).
 */
export function mutationTargets(query: string, variables: Record<string, unknown> = {}): string[] {
  const ids: string[] = [];
  let rest = query;
  for (const [field, wanted] of Object.entries(TARGET_ARGUMENTS)) {
    for (const [start, end] of argumentLists(rest, field)) {
      idArguments(rest.slice(start, end), variables, (name) => wanted.includes(name), ids);
      rest = `${rest.slice(0, start)}${" ".repeat(end - start)}${rest.slice(end)}`;
    }
  }
  idArguments(rest, variables, (name) => /(?:^id|Id)$/.test(name), ids);
  return [...new Set(ids)];
}

/** The files a mutation commits (`createCommitOnBranch`'s `fileChanges.additions`), base64-decoded: what the commit will say. */
export function committedFiles(query: string, variables: unknown): string[] {
  const encoded: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (k === "additions" && Array.isArray(v)) for (const a of v) if (typeof (a as { contents?: unknown })?.contents === "string") encoded.push((a as { contents: string }).contents);
        walk(v);
      }
    }
  };
  walk(variables);
  for (const m of query.matchAll(/\bcontents\s*:\s*"([A-Za-z0-9+/=\s]*)"/g)) encoded.push(m[1]!);
  return encoded.map((b64) => Buffer.from(b64, "base64").toString("utf8"));
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
