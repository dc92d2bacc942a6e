import type { Context } from "probot";
import { applyEffects } from "../github/apply-effects.js";
import { listComments, type IssueRef } from "../github/issue-comments.js";
import { chooseResponse } from "../github/response-choice.js";
import { privateNow } from "../github/made-public.js";
import { recordScope, responseKey } from "../github/repo-ids.js";
import { rememberResponseComment } from "../github/response-comment.js";
import { listOpenResponses } from "../github/tick-github.js";
import { decodeRecord, seqOf } from "../record/markers.js";
import { judgeSeq, readMark, readPastLag, watchWrites } from "../github/record-mark.js";
import { renderResponse } from "../response/render-response.js";
import { syncBoxes } from "../response/sync-boxes.js";
import { repoOverrides } from "../github/template-overrides.js";
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
 * `repository.renamed` / `repository.transferred` of a security repository: each open response
 * records the former name (`former_names`, shown in the response), which GitHub still redirects,
 * so that a public fix PR naming the issue by it fails the wording check; a record still signed
 * over the issue's former name (v2, written before records were bound to the repository's id) is
 * read under that name and written bound to the id, else it would read as damaged from now on.
 * A redelivery finds the name recorded and writes nothing.
 */
export async function onRepositoryRenamed(deps: Deps, context: RenamedContext): Promise<void> {
  const { repository } = context.payload;
  const former = formerName(context);
  // Responses live in private repositories only (a public one's reports are notices or moved).
  if (!former || !(await privateNow(context.octokit, repository))) return;
  const config = await readConfig(context, deps.store);
  if (!config.ok) {
    context.log.warn(`${repository.full_name} (was ${former}): its config is invalid, so its responses' label is unknown; they were not told the former name, and records signed by it were not signed again`);
    return;
  }
  const octokit = context.octokit;
  const botLogin = await deps.botLogin();
  const open = await listOpenResponses(octokit, repository.owner.login, repository.name, config.config.label);
  let written = 0;
  for (const listed of open) {
    const issue: IssueRef = { owner: repository.owner.login, repo: repository.name, issue_number: listed.number };
    await deps.queue.run(responseKey(issue), async () => {
      const mark = await readMark(deps.store, issue);
      const scopes = [recordScope(issue), `${former}#${issue.issue_number}`];
      const decode = (body: string) => scopes.map((scope) => decodeRecord(body, deps.keys, scope)).find((d) => d.found);
      const { own, comments } = chooseResponse(await listComments(octokit, issue), botLogin, (body) => {
        const d = decode(body);
        return d?.found ? d.record : undefined;
      });
      if (!own) return;
      const now = deps.now();
      let decoded = decode(own.body);
      if (!decoded?.found) return;
      // A listing can lag the app's last write (a command just before the rename): read alone once more.
      if (mark !== undefined && seqOf(decoded.record) < mark) {
        const again = await readPastLag(octokit, issue, own, botLogin, seqOf(decoded.record), (body) => {
          const d = decode(body);
          return d?.found ? d.record : undefined;
        });
        if (again) {
          own.body = again.body;
          decoded = { found: true, record: again.record };
        }
      }
      // An older version put back is left as every reader leaves it: damaged, for a person to repair.
      if ((await judgeSeq(deps.store, issue, mark, seqOf(decoded.record))) === "behind") return;
      watchWrites(issue, deps.store, deps.keys);
      const name = former.toLowerCase();
      const known = decoded.record.former_names ?? [];
      // Bound to the id already and told the name: a redelivery.
      if (known.includes(name) && decodeRecord(own.body, deps.keys, recordScope(issue)).found) return;
      // Boxes a person ticked since the last write are kept, as every handler keeps them.
      const record = { ...syncBoxes(decoded.record, own.body, now, config.config), former_names: [...known.filter((n) => n !== name), name].slice(-FORMER_KEPT) };
      const body = await renderResponse(record, config.config, { title: listed.title, reporter: listed.author }, repoOverrides(octokit, issue.owner, issue.repo, deps.store), { keys: deps.keys, issue, now });
      const state = { comments, botLogin, labels: listed.labels, assignees: listed.assignees, open: true };
      await applyEffects(octokit, issue, state, { ...noEffects(), responseBody: body });
      await rememberResponseComment(deps.store, issue, own.id);
      written++;
    });
  }
  context.log.info(`${repository.full_name} (was ${former}): ${written} response(s) told the former name and bound to the repository's id`);
}

/** Former names kept per response: a repository renamed more often than this during one response is an odd one. */
const FORMER_KEPT = 5;
