import { advisoryFields, advisoryRepo, changedFields, editedByHand, fieldHashes, fitDescription, DESCRIPTION_MAX_TEXT } from "../announce/advisory-fields.js";
import { advisoryDescription, unescapeHtml } from "../announce/pack.js";
import { issueKey } from "./issue-comments.js";
import { replyMarker, REPLY_MARKER_PREFIX } from "../record/markers.js";
import { responseKey } from "./repo-ids.js";
import { isRateLimited } from "./http-status.js";
import { renderTemplate } from "../render/templates.js";
import { tick } from "../response/sync-boxes.js";
import { githubMessage, httpStatus, reply, repoParams, type AnnounceCtx, type Octokit } from "./announce-context.js";

type Advisory = Record<string, any>;
export type AdvisoryResult = { ok: true; advisory?: Advisory } | { ok: false; error: string };

const MARKER_RE = /<!-- embargo:advisory ([A-Za-z0-9_-]{20,64}) -->/;

/**
 * A hidden identifier in the advisory's description, to find our draft again when GitHub's answer
 * to the create was lost. It is an HMAC of the response's key (the security repository's id and
 * the issue's number, as the record is bound: a rename or transfer keeps it): it names nothing, so
 * it may stay in the description after publishing; the summary alone could match a draft made by hand.
 */
function advisoryMarker(ctx: AnnounceCtx): string {
  return `<!-- embargo:advisory ${ctx.keys.sign("advisory", responseKey(ctx.issue))} -->`;
}

/**
 * Drafts made before markers were bound to the id were signed over the issue's name: its current
 * one, or a name the repository had then (the record keeps the names it learnt from renames).
 */
function isOurs(ctx: AnnounceCtx, description: string | null | undefined): boolean {
  const sig = MARKER_RE.exec(description ?? "")?.[1];
  if (!sig) return false;
  const named = [ctx.issue, ...(ctx.record.former_names ?? []).flatMap((n) => {
    const [owner, repo] = n.split("/");
    return owner && repo ? [{ owner, repo, issue_number: ctx.issue.issue_number }] : [];
  })];
  // The previous secret still recognises drafts made before a rotation.
  return [responseKey(ctx.issue), ...named.map(issueKey)].some((key) => ctx.keys.verify("advisory", key, sig));
}

/**
 * Ours, by its marker, when the record does not name it: made by a run whose record write was lost.
 * Every state is listed: that run may have published it too. A published one is read again by id,
 * which is GitHub's word (to the leak firewall too) that it is out.
 */
async function findOurs(octokit: Octokit, ctx: AnnounceCtx, repo: string): Promise<Advisory | undefined> {
  const list = await octokit.paginate(octokit.rest.securityAdvisories.listRepositoryAdvisories, { ...repoParams(repo), per_page: 100 });
  const found = (list as Advisory[]).find((a) => isOurs(ctx, a.description));
  if (found?.state !== "published") return found;
  return (await octokit.rest.securityAdvisories.getRepositoryAdvisory({ ...repoParams(repo), ghsa_id: found.ghsa_id })).data as Advisory;
}

function refused(error: unknown, what: string): AdvisoryResult {
  const status = httpStatus(error);
  if (status && status >= 400 && status < 500 && !isRateLimited(error)) return { ok: false, error: `GitHub refused ${what} (${status}): ${githubMessage(error)}` };
  throw error;
}

/**
 * The one advisory of the response, brought to the record's fields: created the first time (a
 * lost create is found again by its marker first), else patched with only the fields that differ,
 * and `publish` in the same PATCH. The record is changed in `ctx` only: the run writes it once.
 */
async function writeAdvisory(octokit: Octokit, ctx: AnnounceCtx, repo: string, publish: boolean): Promise<AdvisoryResult & { overwritten?: string[]; cveFound?: string; cveUnasked?: string }> {
  const params = repoParams(repo);
  let record = ctx.record;
  const current = record.ghsa ? ((await octokit.rest.securityAdvisories.getRepositoryAdvisory({ ...params, ghsa_id: record.ghsa })).data as Advisory) : await findOurs(octokit, ctx, repo);
  const onDraft = !record.cve && current?.cve_id ? (current.cve_id as string) : undefined;
  // The draft's CVE field is anyone's with access to it (a collaborator, such as the reporter, can
  // edit its metadata): it is GitHub's answer only once the team asked GitHub for one.
  const cveFound = onDraft && askedGitHub(ctx) ? onDraft : undefined;
  const cveUnasked = onDraft && !cveFound ? onDraft : undefined;
  if (cveFound) record = tick({ ...record, cve: cveFound }, ["triage.cve"], ctx.now);
  const overwritten = current ? editedByHand(record.advisory?.written, current) : [];
  // Published as written (the Advisory Database and OSV copy it as it is), not as escaped for a comment:
  // `&#x60;` breaks the team's code spans and shows in the copies.
  const note = unescapeHtml((await renderTemplate("advisory-cut", { limit: DESCRIPTION_MAX_TEXT }, ctx.overrides)).text);
  const description = fitDescription(unescapeHtml(await advisoryDescription(record, ctx.config, ctx.facts, ctx.overrides)), advisoryMarker(ctx), note);
  const fields = advisoryFields(record, ctx.config, description);
  let data = current;
  try {
    if (!data) data = (await octokit.rest.securityAdvisories.createRepositoryAdvisory({ ...params, ...(fields as any) })).data as Advisory;
    const changes = current ? changedFields(fields, current) : {};
    // A published advisory keeps its state: the PATCH only carries the app's fields.
    const state = publish && data.state !== "published" ? { state: "published" as const } : {};
    if (Object.keys(changes).length || state.state) {
      data = (await octokit.rest.securityAdvisories.updateRepositoryAdvisory({ ...params, ghsa_id: data.ghsa_id, ...(changes as any), ...state })).data as Advisory;
    }
  } catch (error) {
    return refused(error, publish && current ? `to publish ${current.ghsa_id}` : `the advisory on ${repo}`);
  }
  // A draft found by its marker but not in the record was made by a run whose record write was lost: this one's.
  const createdBy = current && record.ghsa ? record.advisory?.created_by : ctx.key;
  ctx.record = { ...record, ghsa: data.ghsa_id, advisory: { ...record.advisory, repo, url: data.html_url, written: fieldHashes(fields), ...(createdBy ? { created_by: createdBy } : {}) } };
  ctx.facts = { ...ctx.facts, advisoryUrl: data.html_url };
  return { ok: true, advisory: data, overwritten, cveFound, cveUnasked };
}

/** The reply key of `/announce cve` (per command comment), posted once GitHub took the request. */
const CVE_REQUEST = "cve-request-";

/** `/announce cve` was answered by GitHub on this issue: its reply is posted only once GitHub took the request. */
function askedGitHub(ctx: AnnounceCtx): boolean {
  return ctx.state.comments.some((c) => c.login === ctx.botLogin && c.body.includes(`${REPLY_MARKER_PREFIX}${CVE_REQUEST}`));
}

/** `/announce`: the draft created or updated, and a reply naming it. */
export async function ensureDraft(octokit: Octokit, ctx: AnnounceCtx): Promise<AdvisoryResult> {
  const repo = advisoryRepo(ctx.record, ctx.config);
  if (!repo || !ctx.advisories) return { ok: true };
  const written = await writeAdvisory(octokit, ctx, repo, false);
  if (!written.ok || !written.advisory) return written;
  const data = written.advisory;
  const created = ctx.record.advisory?.created_by === ctx.key;
  const { text } = await renderTemplate(
    "announce-draft-reply",
    { created, ghsa: data.ghsa_id, repo, advisory_url: data.html_url, overwritten: written.overwritten, cve_found: written.cveFound, cve_unasked: written.cveUnasked, release_managers: created ? ctx.config.release_managers : [] },
    ctx.overrides,
  );
  await reply(octokit, ctx, `advisory-${ctx.key}`, text);
  return { ok: true, advisory: data };
}

/** `/announce cve`: GitHub reviews the request; the id shows up on the advisory later. */
export async function requestCve(octokit: Octokit, ctx: AnnounceCtx): Promise<AdvisoryResult> {
  const repo = advisoryRepo(ctx.record, ctx.config);
  if (!repo || !ctx.record.ghsa) return { ok: false, error: "there is no draft advisory yet: run `/announce` first" };
  const key = `${CVE_REQUEST}${ctx.key}`;
  // Its reply is posted once GitHub accepted the request: a redelivery (the response write lost) asks no second time.
  if (ctx.state.comments.some((c) => c.login === ctx.botLogin && c.body.includes(replyMarker(key)))) return { ok: true };
  try {
    await octokit.rest.securityAdvisories.createRepositoryAdvisoryCveRequest({ ...repoParams(repo), ghsa_id: ctx.record.ghsa });
  } catch (error) {
    return refused(error, "the CVE request");
  }
  await reply(octokit, ctx, key, (await renderTemplate("cve-requested", { ghsa: ctx.record.ghsa }, ctx.overrides)).text);
  return { ok: true };
}

/** Publish step 1: the advisory made public, with any field that differs, unless it is already (published by hand). */
export async function publishAdvisory(octokit: Octokit, ctx: AnnounceCtx): Promise<AdvisoryResult> {
  const repo = advisoryRepo(ctx.record, ctx.config);
  if (!repo || !ctx.advisories) return { ok: true };
  return writeAdvisory(octokit, ctx, repo, true);
}
