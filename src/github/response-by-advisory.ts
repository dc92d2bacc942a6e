import type { KeyRing } from "../security/key-ring.js";
import { repoParams, type Octokit } from "./announce-context.js";
import { listComments } from "./issue-comments.js";
import { chosenRecord } from "./response-choice.js";
import { recordScope } from "./repo-ids.js";

/** The security issue whose record names this advisory: open responses labelled in the security repo. */
export async function findResponseByAdvisory(octokit: Octokit, securityRepo: string, label: string, ghsa: string, botLogin: string, keys: KeyRing) {
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repoParams(securityRepo), labels: label, state: "all", per_page: 100 });
  for (const issue of issues) {
    if (issue.pull_request) continue;
    const ref = { ...repoParams(securityRepo), issue_number: issue.number };
    const record = chosenRecord(await listComments(octokit, ref), botLogin, keys, recordScope(ref));
    if (record?.ghsa?.toUpperCase() === ghsa.toUpperCase()) return issue;
  }
  return undefined;
}
