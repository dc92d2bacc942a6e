import type { ProbotOctokit } from "probot";
import { loadConfig, type ConfigResult } from "../config/load-config.js";
import { mergeConfigs } from "../config/merge-configs.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * The one way embargo reads `.github/embargo.yml` for any repository: the repo's own file on the
 * default branch, else the owner's `.github` repo, then each `_extends` (Probot's config plugin
 * finds the files), merged by `mergeConfigs` and validated. Every path uses this, so the issue's
 * repo and a PR's repo never see one file two ways.
 */
export async function readConfigFrom(octokit: Octokit, owner: string, repo: string): Promise<ConfigResult> {
  return loadConfig(async (file) => {
    const { config, files } = await octokit.config.get({
      owner,
      repo,
      path: `.github/${file}`,
      defaults: (configs: object[]) => mergeConfigs(configs),
    });
    return files.some((f) => f.config !== null) ? config : null;
  });
}

