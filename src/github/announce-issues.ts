import { announceView } from "../announce/announce-view.js";
import { renderTemplate } from "../render/templates.js";
import { repoParams, type AnnounceCtx, type Octokit } from "./announce-context.js";
import { createOnce, NO_RETRY } from "./create-once.js";
import { cut } from "../util/cut.js";
import { forcedGates } from "../announce/publish-gates.js";

/** GitHub refuses an issue title over 256 characters; a summary may have 1,024. */
const TITLE_LIMIT = 256;

function issueTitle(text: string): string {
  return text.length > TITLE_LIMIT ? `${cut(text, TITLE_LIMIT - 1)}…` : text;
}

/** An issue the app opened earlier whose body carries `needle`: found again after a lost answer (a redelivery, or a create answered 5xx: create-once.ts). */
async function findOwnIssue(octokit: Octokit, ctx: AnnounceCtx, repo: string, needle: string): Promise<{ html_url: string; number: number } | undefined> {
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repoParams(repo), creator: ctx.botLogin, state: "all", per_page: 100 });
  return issues.find((i) => !i.pull_request && (i.body ?? "").includes(needle));
}

/** Step 6: the process-review issue in the security repo, assigned to the response's owner. */
export async function openProcessReview(octokit: Octokit, ctx: AnnounceCtx): Promise<string> {
  const marker = `<!-- embargo:process-review ${ctx.issue.owner}/${ctx.issue.repo}#${ctx.issue.issue_number} -->`;
  const security = `${ctx.issue.owner}/${ctx.issue.repo}`;
  const found = await findOwnIssue(octokit, ctx, security, marker);
  if (found) return found.html_url;
  const r = ctx.record;
  const confirmed = r.ticks["triage.decision"]?.at.slice(0, 10);
  const fixMerged = r.ticks["fix.patch"]?.at.slice(0, 10) ?? Object.entries(r.ticks).filter(([k]) => k.startsWith("fix.branch:")).map(([, t]) => t.at.slice(0, 10)).sort().pop();
  const published = (r.advisory?.published_at ?? r.publish_steps?.advisory ?? ctx.now.toISOString()).slice(0, 10);
  const view = {
    ...announceView(r, ctx.config, ctx.facts),
    confirmed,
    fix_merged: fixMerged,
    published,
    forced: r.forced,
    ...forcedGates(r.forced),
    held: Boolean(r.embargo_end && published >= r.embargo_end),
  };
  const { text } = await renderTemplate("process-review", view, ctx.overrides);
  const made = await createOnce(
    async () =>
      (
        await octokit.rest.issues.create({
          ...repoParams(security),
          title: `Process review: #${ctx.issue.issue_number}${r.cve ? ` (${r.cve})` : ""}`,
          body: `${text}\n\n${marker}`,
          ...(r.triager ? { assignees: [r.triager] } : {}),
          ...NO_RETRY,
        })
      ).data,
    () => findOwnIssue(octokit, ctx, security, marker),
  );
  return made.html_url;
}

/** Step 3 with `public_issue: true`: the published advisory's summary and link on the product repo. */
export async function openPublicIssue(octokit: Octokit, ctx: AnnounceCtx, repo: string): Promise<string | undefined> {
  const url = ctx.facts.advisoryUrl;
  if (!url) return undefined;
  const found = await findOwnIssue(octokit, ctx, repo, url);
  if (found) return found.html_url;
  const { text } = await renderTemplate("public-issue", announceView(ctx.record, ctx.config, ctx.facts), ctx.overrides);
  const made = await createOnce(
    async () => (await octokit.rest.issues.create({ ...repoParams(repo), title: issueTitle(`Security advisory: ${ctx.record.summary ?? ctx.record.ghsa}`), body: text, ...NO_RETRY })).data,
    () => findOwnIssue(octokit, ctx, repo, url),
  );
  return made.html_url;
}

/** Whether the reporter can read the security issue (a private report or a mail: they cannot). */
export async function reporterCanRead(octokit: Octokit, ctx: AnnounceCtx, login: string): Promise<boolean> {
  if (!login || login.endsWith("[bot]")) return false;
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repoParams(`${ctx.issue.owner}/${ctx.issue.repo}`), username: login });
    return data.permission !== "none";
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}
