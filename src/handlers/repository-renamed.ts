import type { Context } from "probot";
import { applyEffects } from "../github/apply-effects.js";
import { findOwnComment, listComments, type IssueRef } from "../github/issue-comments.js";
import { privateNow } from "../github/made-public.js";
import { recordScope, responseKey } from "../github/repo-ids.js";
import { rememberResponseComment } from "../github/response-comment.js";
import { listOpenResponses } from "../github/tick-github.js";
import { resignRecord, RESPONSE_MARKER } from "../record/markers.js";
import { noEffects } from "../response/effects.js";
import { readConfig, type Deps } from "./response-context.js";

type RenamedContext = Context<"repository.renamed"> | Context<"repository.transferred">;

/** The repository's full name before this event, as its `changes` say. */
function formerName(context: RenamedContext): string | undefined {
  const { payload } = context;
  const repo = payload.repository;
  if (payload.action === "renamed") return `${repo.owner.login}/${payload.changes.repository.name.from}`;
  const from = payload.changes.owner.from as { organization?: { login?: string }; user?: { login?: string } };
  const owner = from.organization?.login ?? from.user?.login;
  return owner ? `${owner}/${repo.name}` : undefined;
}

/**
 * `repository.renamed` / `repository.transferred` of a security repository: the open responses
 * whose record is still signed over the issue's former name (v2, written before records were bound
 * to the repository's id) are signed again over the id, the record itself unchanged: without it,
 * each would read as damaged from now on. Records already bound to the id need nothing (a rename
 * keeps the id), so a redelivery finds nothing left to do.
 */
export async function onRepositoryRenamed(deps: Deps, context: RenamedContext): Promise<void> {
  const { repository } = context.payload;
  const former = formerName(context);
  // Responses live in private repositories only (a public one's reports are notices or moved).
  if (!former || !(await privateNow(context.octokit, repository))) return;
  const config = await readConfig(context, deps.store);
  if (!config.ok) {
    context.log.warn(`${repository.full_name} (was ${former}): its config is invalid, so its responses' label is unknown; records signed by the former name were not signed again`);
    return;
  }
  const octokit = context.octokit;
  const botLogin = await deps.botLogin();
  const open = await listOpenResponses(octokit, repository.owner.login, repository.name, config.config.label);
  let resigned = 0;
  for (const listed of open) {
    const issue: IssueRef = { owner: repository.owner.login, repo: repository.name, issue_number: listed.number };
    await deps.queue.run(responseKey(issue), async () => {
      const comments = await listComments(octokit, issue);
      const own = findOwnComment(comments, botLogin, RESPONSE_MARKER);
      const body = own && resignRecord(own.body, deps.keys, `${former}#${issue.issue_number}`, recordScope(issue));
      if (!own || !body) return;
      const state = { comments, botLogin, labels: listed.labels, assignees: listed.assignees, open: true };
      await applyEffects(octokit, issue, state, { ...noEffects(), responseBody: body });
      await rememberResponseComment(deps.store, issue, own.id);
      resigned++;
    });
  }
  context.log.info(`${repository.full_name} (was ${former}): ${resigned} response record(s) signed again by the repository's id`);
}
