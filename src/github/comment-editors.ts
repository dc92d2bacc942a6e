import type { ProbotOctokit } from "probot";

type Octokit = InstanceType<typeof ProbotOctokit>;

const EDITS_READ = 100;

interface EditsAnswer {
  node: { userContentEdits?: { totalCount: number; nodes: ({ editor: { login: string } | null } | null)[] } } | null;
}

/** Who besides the author edited a comment: their logins, and whether some edit's editor is unknown. */
export interface OtherEditors {
  logins: string[];
  unknown: boolean;
}

/**
 * Who besides `author` ever edited the comment, from GitHub's edit history (GraphQL
 * `userContentEdits`; REST has none): an edit whose event GitHub failed to deliver, or has not
 * delivered yet, is seen nowhere else. A deleted editor, or a history longer than one page, is
 * someone unknown: an edit nobody can name must not pass for the author's.
 */
export async function otherEditors(octokit: Octokit, commentNodeId: string, author: string): Promise<OtherEditors> {
  const { node } = await octokit.graphql<EditsAnswer>(
    `query($id: ID!) { node(id: $id) { ... on IssueComment { userContentEdits(first: ${EDITS_READ}) { totalCount nodes { editor { login } } } } } }`,
    { id: commentNodeId },
  );
  const edits = node?.userContentEdits;
  if (!edits) return { logins: [], unknown: true };
  const logins = new Map<string, string>();
  let unknown = edits.totalCount > edits.nodes.length;
  for (const edit of edits.nodes) {
    const login = edit?.editor?.login;
    if (!login) unknown = true;
    else if (login.toLowerCase() !== author.toLowerCase()) logins.set(login.toLowerCase(), login);
  }
  return { logins: [...logins.values()], unknown };
}
