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

/** The node ids a mutation acts on, from `$variables` or inline strings; empty when none can be told. */
export function mutationTargets(query: string, variables: Record<string, unknown> = {}): string[] {
  const known = Object.keys(TARGET_ARGUMENTS).filter((field) => new RegExp(`\\b${field}\\s*\\(`).test(query));
  const wanted = known.length ? new Set(known.flatMap((f) => TARGET_ARGUMENTS[f]!)) : undefined;
  const ids: string[] = [];
  for (const m of query.matchAll(/\b(\w+)\s*:\s*(\$\w+|"(?:[^"\\]|\\.)*")/g)) {
    const [, name, value] = m as unknown as [string, string, string];
    if (wanted ? !wanted.has(name) : !/(?:^id|Id)$/.test(name)) continue;
    const id = value.startsWith("$") ? variables[value.slice(1)] : (JSON.parse(value) as unknown);
    if (typeof id === "string" && id) ids.push(id);
  }
  return [...new Set(ids)];
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
