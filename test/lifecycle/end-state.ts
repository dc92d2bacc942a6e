/**
 * What anyone could see on the fake GitHub after a run, without the ids GitHub hands out (a
 * failed-and-redelivered run may use different ones): the response record, every comment,
 * labels, check runs, advisories, issues and PRs. Two runs with the same `EndState` left GitHub
 * in the same state.
 */
import { decodeRecord, RESPONSE_MARKER } from "../../src/record/markers.js";
import type { ResponseRecord } from "../../src/record/response-record.js";
import { TEST_KEYS } from "../helpers/app.js";
import { BOT_LOGIN } from "../sweep/fake-json.js";
import type { LifecycleGitHub } from "./lifecycle-github.js";

export interface EndState {
  record: ResponseRecord | undefined;
  /** "owner/repo#n" → comments in order (author: body); the record's signature line dropped. */
  comments: Record<string, string[]>;
  labels: Record<string, string[]>;
  checkRuns: { repo: string; head_sha: string; name: string; status: string; conclusion: string | null; title: string | null; summary: string | null }[];
  advisories: Record<string, unknown>[];
  issues: { key: string; title: string; state: string; state_reason: string | null; assignees: string[]; pull: boolean }[];
  pulls: { key: string; title: string; state: string; merged: boolean; head_ref: string; base_ref: string; requested_reviewers: string[]; requested_teams: string[] }[];
  files: Record<string, string>;
}

/** The hidden record and render lines: the record is compared decoded, the render line is its signature. */
const withoutMachineLines = (body: string) => body.replace(/\n?<!-- embargo:(record:v\d|render) [^>]*-->/g, "");

/**
 * The wording check's memo is a cache keyed by the secrets it was computed against: a run whose
 * last PR sync came after the CVE was recorded keys it differently, with the same findings. The
 * write count (`seq`) is history, not state: a run with repeats or failures writes more times.
 */
function withoutMemo({ seq: _seq, ...record }: ResponseRecord): ResponseRecord {
  return { ...record, prs: record.prs.map(({ wording, ...pr }) => ({ ...pr, ...(wording ? { wording: { ...wording, key: "memo" } } : {}) })) };
}

export function endState(fake: LifecycleGitHub): EndState {
  const state: EndState = { record: undefined, comments: {}, labels: {}, checkRuns: [], advisories: [], issues: [], pulls: [], files: {} };
  const repos = [...fake.state.repos.values()].sort((a, b) => `${a.owner}/${a.name}`.localeCompare(`${b.owner}/${b.name}`));
  for (const repo of repos) {
    const full = `${repo.owner}/${repo.name}`;
    for (const issue of [...repo.issues.values()].sort((a, b) => a.number - b.number)) {
      const key = `${full}#${issue.number}`;
      state.issues.push({ key, title: issue.title, state: issue.state, state_reason: issue.state_reason, assignees: [...issue.assignees].sort(), pull: issue.isPull });
      state.labels[key] = [...issue.labels].sort();
      state.comments[key] = issue.comments.map((c) => `${c.login}: ${withoutMachineLines(c.body)}`);
      const response = issue.comments.find((c) => c.login === BOT_LOGIN && c.body.includes(RESPONSE_MARKER));
      if (response && !state.record) {
        const byId = decodeRecord(response.body, TEST_KEYS, { owner: repo.owner, repo: repo.name, issue_number: issue.number, repo_id: repo.id });
        const decoded = byId.found ? byId : decodeRecord(response.body, TEST_KEYS, key);
        if (decoded.found) state.record = withoutMemo(decoded.record);
      }
    }
    for (const pull of [...repo.pulls.values()].sort((a, b) => a.number - b.number)) {
      state.pulls.push({ key: `${full}#${pull.number}`, title: pull.title, state: pull.state, merged: pull.merged, head_ref: pull.head_ref, base_ref: pull.base_ref, requested_reviewers: [...pull.requested_reviewers].sort(), requested_teams: [...pull.requested_teams].sort() });
    }
    for (const run of repo.checkRuns) state.checkRuns.push({ repo: full, head_sha: run.head_sha, name: run.name, status: run.status, conclusion: run.conclusion, title: run.title, summary: run.summary });
    for (const a of repo.advisories.values()) state.advisories.push({ repo: full, ...a });
    for (const [branch, files] of fake.files.get(full.toLowerCase()) ?? []) for (const [path, text] of files) state.files[`${full}@${branch}:${path}`] = text;
  }
  return state;
}
