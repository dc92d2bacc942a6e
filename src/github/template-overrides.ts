import type { ProbotOctokit } from "probot";
import { OVERRIDE_DIR, type OverrideSource } from "../render/templates.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

function isNotFound(error: unknown): boolean {
  return (error as { status?: number }).status === 404;
}

/**
 * A repo's template overrides from `.github/embargo/<name>.hbs` on the default branch. One listing
 * of the folder per event tells which exist, so a repo without overrides costs one call, not one
 * per template.
 */
export function repoOverrides(octokit: Octokit, owner: string, repo: string): OverrideSource {
  let names: Promise<Set<string>> | undefined;
  return async (name) => {
    names ??= octokit.rest.repos.getContent({ owner, repo, path: OVERRIDE_DIR }).then(
      ({ data }) => new Set(Array.isArray(data) ? data.filter((e) => e.type === "file").map((e) => e.name) : []),
      (error: unknown) => {
        if (isNotFound(error)) return new Set<string>();
        throw error;
      },
    );
    if (!(await names).has(`${name}.hbs`)) return null;
    const { data } = await octokit.rest.repos.getContent({
      owner,
      repo,
      path: `${OVERRIDE_DIR}/${name}.hbs`,
      mediaType: { format: "raw" },
    });
    return typeof data === "string" ? data : null;
  };
}
