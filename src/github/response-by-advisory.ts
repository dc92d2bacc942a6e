import { decodeRecord, RESPONSE_MARKER } from "../record/markers.js";
import type { KeyRing } from "../security/key-ring.js";
import { repoParams, type Octokit } from "./announce-context.js";
import { findOwnComment, listComments } from "./issue-comments.js";
import { recordScope } from "./repo-ids.js";

/** The security issue whose record names this advisory: open responses labelled in the security repo. */
export async function findResponseByAdvisory(octokit: Octokit, securityRepo: string, label: string, ghsa: string, botLogin: string, keys: KeyRing) {
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repoParams(securityRepo), labels: label, state: "all", per_page: 100 });
  for (const issue of issues) {
    if (issue.pull_request) continue;
    const ref = { ...repoParams(securityRepo), issue_number: issue.number };
    const own = findOwnComment(await listComments(octokit, ref), botLogin, RESPONSE_MARKER);
    const decoded = own ? decodeRecord(own.body, keys, recordScope(ref)) : undefined;
    if (decoded?.found && decoded.record.ghsa?.toUpperCase() === ghsa.toUpperCase()) return issue;
  }
  return undefined;
}
