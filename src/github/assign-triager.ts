import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import type { ResponseRecord } from "../record/response-record.js";
import { rotationOrder } from "../response/pick-triager.js";
import type { KeyRing } from "../security/key-ring.js";
import { listComments, type IssueRef } from "./issue-comments.js";
import { chosenRecord } from "./response-choice.js";
import { recordScope } from "./repo-ids.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

const PREVIOUS_RESPONSES_TO_READ = 5;

/** Who triaged the most recent earlier response in this repo, to continue the rotation after them. */
async function previousRotation(octokit: Octokit, issue: IssueRef, label: string, botLogin: string, keys: KeyRing) {
  const { data } = await octokit.rest.issues.listForRepo({
    owner: issue.owner,
    repo: issue.repo,
    labels: label,
    state: "all",
    sort: "created",
    direction: "desc",
    per_page: PREVIOUS_RESPONSES_TO_READ + 1,
  });
  const earlier = data.filter((i) => i.number < issue.issue_number && !i.pull_request).slice(0, PREVIOUS_RESPONSES_TO_READ);
  for (const other of earlier) {
    const ref = { ...issue, issue_number: other.number };
    const record = chosenRecord(await listComments(octokit, ref), botLogin, keys, recordScope(ref));
    if (record && (record.triager || record.rotation_index !== undefined)) return { triager: record.triager, index: record.rotation_index };
  }
  return undefined;
}

/** Assigns the next person in the rotation whom GitHub accepts; everyone skipped is recorded. */
export async function assignTriager(octokit: Octokit, issue: IssueRef, config: EmbargoConfig, botLogin: string, record: ResponseRecord, keys: KeyRing) {
  const previous = await previousRotation(octokit, issue, config.label, botLogin, keys);
  const skipped: string[] = [];
  for (const candidate of rotationOrder(config.triage_rotation, previous)) {
    const { data } = await octokit.rest.issues.addAssignees({ ...issue, assignees: [candidate.login] });
    if ((data.assignees ?? []).some((a) => a.login.toLowerCase() === candidate.login.toLowerCase())) {
      return { ...record, triager: candidate.login, rotation_index: candidate.index, rotation_skipped: skipped };
    }
    skipped.push(candidate.login);
  }
  return { ...record, rotation_skipped: skipped };
}
