import type { ProbotOctokit } from "probot";
import { repoParams } from "./announce-context.js";
import { isOutOfReach } from "./http-status.js";
import type { Report } from "./advisory-intake.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * A product repo's private vulnerability reports still in triage (the newest 100; one call).
 * Undefined when the app cannot read them there (404, 403: not installed on it, or no
 * permission); any other failure is thrown.
 */
export async function triageReports(octokit: Octokit, productRepo: string): Promise<Report[] | undefined> {
  try {
    const { data } = await octokit.rest.securityAdvisories.listRepositoryAdvisories({ ...repoParams(productRepo), state: "triage", per_page: 100 });
    return data;
  } catch (error) {
    if (isOutOfReach(error)) return undefined;
    throw error;
  }
}
