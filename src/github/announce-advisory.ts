import { advisoryFields, advisoryRepo, editedByHand, fieldHashes } from "../announce/advisory-fields.js";
import { advisoryDescription } from "../announce/pack.js";
import { issueKey } from "./issue-comments.js";
import { isRateLimited } from "./http-status.js";
import { renderTemplate } from "../render/templates.js";
import { tick } from "../response/sync-boxes.js";
import { githubMessage, httpStatus, reply, repoParams, saveRecord, type AnnounceCtx, type Octokit } from "./announce-context.js";

type Advisory = Record<string, any>;
export type AdvisoryResult = { ok: true; advisory?: Advisory } | { ok: false; error: string };

const MARKER_RE = /<!-- embargo:advisory ([A-Za-z0-9_-]{20,64}) -->/;

/**
 * A hidden identifier in the advisory's description, to find our draft again when GitHub's answer
 * to the create was lost. It is an HMAC of the issue key: it names nothing, so it may stay in the
 * description after publishing; the summary alone could match a draft made by hand.
 */
function advisoryMarker(ctx: AnnounceCtx): string {
  return `<!-- embargo:advisory ${ctx.keys.sign("advisory", issueKey(ctx.issue))} -->`;
}

function isOurs(ctx: AnnounceCtx, description: string | null | undefined): boolean {
  const sig = MARKER_RE.exec(description ?? "")?.[1];
  // The previous secret still recognises drafts made before a rotation.
  return Boolean(sig && ctx.keys.verify("advisory", issueKey(ctx.issue), sig));
}

async function findDraft(octokit: Octokit, ctx: AnnounceCtx, repo: string): Promise<Advisory | undefined> {
  const list = await octokit.paginate(octokit.rest.securityAdvisories.listRepositoryAdvisories, { ...repoParams(repo), state: "draft", per_page: 100 });
  return (list as Advisory[]).find((a) => isOurs(ctx, a.description));
}

/**
 * `/announce` (and publish step 1's precondition): the one advisory of the response, created the
 * first time, updated after; a lost create is found again by its marker before creating.
 */
export async function ensureDraft(octokit: Octokit, ctx: AnnounceCtx, announce = true): Promise<AdvisoryResult> {
  const repo = advisoryRepo(ctx.record, ctx.config);
  if (!repo) return { ok: true };
  const params = repoParams(repo);
  let record = ctx.record;
  let current: Advisory | undefined;
  if (record.ghsa) {
    current = (await octokit.rest.securityAdvisories.getRepositoryAdvisory({ ...params, ghsa_id: record.ghsa })).data as Advisory;
  } else {
    current = await findDraft(octokit, ctx, repo);
  }
  const cveFound = !record.cve && current?.cve_id ? (current.cve_id as string) : undefined;
  if (cveFound) record = tick({ ...record, cve: cveFound }, ["triage.cve"], ctx.now);
  const overwritten = current ? editedByHand(record.advisory?.written, current) : [];
  const description = `${await advisoryDescription(record, ctx.config, ctx.facts, ctx.overrides)}\n\n${advisoryMarker(ctx)}`;
  const fields = advisoryFields(record, ctx.config, description);
  let data: Advisory;
  try {
    if (current) {
      // A published advisory keeps its state: the PATCH only carries the app's fields.
      data = (await octokit.rest.securityAdvisories.updateRepositoryAdvisory({ ...params, ghsa_id: current.ghsa_id, ...(fields as any) })).data as Advisory;
    } else {
      data = (await octokit.rest.securityAdvisories.createRepositoryAdvisory({ ...params, ...(fields as any) })).data as Advisory;
    }
  } catch (error) {
    const status = httpStatus(error);
    if (status && status >= 400 && status < 500 && !isRateLimited(error)) return { ok: false, error: `GitHub refused the advisory on ${repo} (${status}): ${githubMessage(error)}` };
    throw error;
  }
  // A draft found by its marker but not in the record was made by a run whose record write was lost: this one's.
  const createdBy = current && record.ghsa ? record.advisory?.created_by : ctx.key;
  record = { ...record, ghsa: data.ghsa_id, advisory: { ...record.advisory, repo, url: data.html_url, written: fieldHashes(fields), ...(createdBy ? { created_by: createdBy } : {}) } };
  await saveRecord(octokit, ctx, record);
  ctx.facts = { ...ctx.facts, advisoryUrl: data.html_url };
  if (announce) {
    const created = record.advisory?.created_by === ctx.key;
    const { text } = await renderTemplate(
      "announce-draft-reply",
      { created, ghsa: data.ghsa_id, repo, advisory_url: data.html_url, overwritten, cve_found: cveFound, release_managers: created ? ctx.config.release_managers : [] },
      ctx.overrides,
    );
    await reply(octokit, ctx, `advisory-${ctx.key}`, text);
  }
  return { ok: true, advisory: data };
}

/** `/announce cve`: GitHub reviews the request; the id shows up on the advisory later. */
export async function requestCve(octokit: Octokit, ctx: AnnounceCtx): Promise<AdvisoryResult> {
  const repo = advisoryRepo(ctx.record, ctx.config);
  if (!repo || !ctx.record.ghsa) return { ok: false, error: "there is no draft advisory yet: run `/announce` first" };
  try {
    await octokit.rest.securityAdvisories.createRepositoryAdvisoryCveRequest({ ...repoParams(repo), ghsa_id: ctx.record.ghsa });
  } catch (error) {
    const status = httpStatus(error);
    if (status && status >= 400 && status < 500 && !isRateLimited(error)) return { ok: false, error: `GitHub refused the CVE request (${status}): ${githubMessage(error)}` };
    throw error;
  }
  await reply(octokit, ctx, `cve-request-${ctx.key}`, `Asked GitHub to assign a CVE to ${ctx.record.ghsa}. GitHub reviews the request; once it assigns one, the next \`/announce\` records it.`);
  return { ok: true };
}

/** Publish step 1: the advisory made public, unless it is already (published by hand). */
export async function publishAdvisory(octokit: Octokit, ctx: AnnounceCtx): Promise<AdvisoryResult> {
  const drafted = await ensureDraft(octokit, ctx, false);
  if (!drafted.ok || !drafted.advisory) return drafted;
  if (drafted.advisory.state === "published") return drafted;
  const repo = advisoryRepo(ctx.record, ctx.config)!;
  try {
    const { data } = await octokit.rest.securityAdvisories.updateRepositoryAdvisory({ ...repoParams(repo), ghsa_id: drafted.advisory.ghsa_id, state: "published" });
    return { ok: true, advisory: data as Advisory };
  } catch (error) {
    const status = httpStatus(error);
    if (status && status >= 400 && status < 500 && !isRateLimited(error)) return { ok: false, error: `GitHub refused to publish ${drafted.advisory.ghsa_id} (${status}): ${githubMessage(error)}` };
    throw error;
  }
}
