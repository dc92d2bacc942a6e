import { announceView } from "../announce/announce-view.js";
import { insertEntry } from "../announce/changelog-insert.js";
import { unescapeHtml } from "../announce/pack.js";
import { disclosureBranch } from "../announce/publish-steps.js";
import type { EmbargoConfig } from "../config/config-schema.js";
import type { ResponseRecord } from "../record/response-record.js";
import { renderTemplate } from "../render/templates.js";
import { httpStatus, repoParams, type AnnounceCtx, type Octokit } from "./announce-context.js";

/** Every product repo of the response (components with a `repo`), each once. */
export function productRepos(record: ResponseRecord, config: EmbargoConfig): string[] {
  const repos = record.components.map((c) => config.components[c]?.repo).filter((r): r is string => Boolean(r));
  return [...new Map(repos.map((r) => [r.toLowerCase(), r])).values()];
}

export interface FileChange {
  path: string;
  before: string | null;
  after: string;
  /** `latin1`: the file is not UTF-8, so its text is its bytes one character each, and is written back so. */
  encoding?: "latin1";
}

// `ignoreBOM` keeps a leading byte order mark in the text (by default it is dropped): written
// back without it, the PR would change the file's first line as well as add the entry.
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * A file that is not UTF-8 (an old Latin-1 NEWS) keeps its bytes: decoded as UTF-8, each byte that
 * is not would come back as U+FFFD. Its text is then its bytes, and the entry goes in as UTF-8 bytes.
 */
function decode(bytes: Buffer): { text: string; encoding?: "latin1" } {
  try {
    return { text: UTF8.decode(bytes) };
  } catch {
    return { text: bytes.toString("latin1"), encoding: "latin1" };
  }
}

async function readFile(octokit: Octokit, repo: string, path: string, ref: string): Promise<{ text: string; sha: string; encoding?: "latin1" } | null> {
  try {
    const { data } = await octokit.rest.repos.getContent({ ...repoParams(repo), path, ref });
    if (Array.isArray(data) || data.type !== "file") return null;
    let content = (data as { content?: string }).content ?? "";
    // Over 1 MB GitHub sends no content (encoding "none"): read as empty, the file would be replaced by the entry.
    if ((data as { encoding?: string }).encoding === "none") content = (await octokit.rest.git.getBlob({ ...repoParams(repo), file_sha: data.sha })).data.content;
    return { ...decode(Buffer.from(content, "base64")), sha: data.sha };
  } catch (error) {
    if (httpStatus(error) === 404) return null;
    throw error;
  }
}

/**
 * A `changelog` template that is neither built in nor overridden falls back to `changes-entry`.
 * The entry is a file's plain text, as the pack's mails are: Handlebars' escaping is undone, or
 * the public file would read `uploader&#x27;s` for the summary's `uploader's`.
 */
async function renderEntry(template: string, view: object, ctx: AnnounceCtx): Promise<string> {
  try {
    return unescapeHtml((await renderTemplate(template, view, ctx.overrides)).text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return unescapeHtml((await renderTemplate("changes-entry", view, ctx.overrides)).text);
  }
}

/**
 * The entries by file, in config order. Two entries for one file go into one write: written one
 * after the other, the second would carry the file's sha from before the first, and GitHub refuses it.
 */
async function entries(ctx: AnnounceCtx): Promise<Map<string, string[]>> {
  const view = announceView(ctx.record, ctx.config, ctx.facts);
  const out = new Map<string, string[]>();
  for (const c of ctx.config.changelog) {
    if (c.path.split("/").includes("..")) continue;
    const entry = await renderEntry(c.template, view, ctx);
    out.set(c.path, [...(out.get(c.path) ?? []), entry]);
  }
  return out;
}

/** What the CHANGES/NEWS files would become on `ref`: the preview's diffs, and the PR's commits. */
export async function changelogChanges(octokit: Octokit, ctx: AnnounceCtx, repo: string, ref: string): Promise<(FileChange & { sha?: string })[]> {
  const out: (FileChange & { sha?: string })[] = [];
  for (const [path, list] of await entries(ctx)) {
    const file = await readFile(octokit, repo, path, ref);
    const encoding = file?.encoding;
    // Each entry goes in right under the heading: the last first, so the file reads in config order.
    const added = [...list].reverse().reduce<string | null>((text, entry) => insertEntry(text, encoding ? Buffer.from(entry, "utf8").toString(encoding) : entry), file?.text ?? null)!;
    out.push({ path, before: file?.text ?? null, after: added, sha: file?.sha, ...(encoding ? { encoding } : {}) });
  }
  return out;
}

export async function defaultBranch(octokit: Octokit, repo: string): Promise<string> {
  return (await octokit.rest.repos.get(repoParams(repo))).data.default_branch;
}

interface BranchPulls {
  /** The PR the app opened from this branch: an earlier run's, its answer perhaps lost. */
  ours?: string;
  /** Open PRs from it that someone else opened. */
  others: string[];
}

/**
 * The PRs from the disclosure branch, told apart by who opened them. The branch's name is
 * predictable (the issue number on GHES; the GHSA id, which the reporter knows): a PR someone else
 * opened from it is theirs, not the changelog PR, whatever its title says.
 */
async function branchPulls(octokit: Octokit, ctx: AnnounceCtx, repo: string, branch: string): Promise<BranchPulls> {
  const { owner } = repoParams(repo);
  const { data } = await octokit.rest.pulls.list({ ...repoParams(repo), head: `${owner}:${branch}`, state: "all", per_page: 100 });
  const ours = data.find((p) => p.user?.login.toLowerCase() === ctx.botLogin.toLowerCase());
  return { ours: ours?.html_url, others: data.filter((p) => p !== ours && p.state === "open").map((p) => p.html_url) };
}

/**
 * What on `branch` the app would not have written, against the default branch's head `baseSha`: the
 * files beyond the changelog's, or (none ahead, some behind) that it is an older point of the
 * default branch. Undefined when its changes are the changelog's alone.
 */
async function foreignChanges(octokit: Octokit, ctx: AnnounceCtx, repo: string, baseSha: string, branch: string): Promise<string[] | undefined> {
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...repoParams(repo), basehead: `${baseSha}...${branch}`, per_page: 1 });
  const ours = new Set(ctx.config.changelog.map((c) => c.path));
  const other = (data.files ?? []).map((f) => f.filename).filter((f) => !ours.has(f));
  if (other.length) return other;
  return data.ahead_by === 0 && data.behind_by > 0 ? [] : undefined;
}

/**
 * The changelog PR, or why the step stops on this repo: someone else's open PR from the branch
 * (`taken`), or a branch of that name with changes the app never makes (`foreign`: files beyond
 * the changelog's, or an older point of the default branch: a project branch the name matched).
 */
export type ChangelogPr = { url: string } | { branch: string; taken?: string[]; foreign?: string[] };

/**
 * Publish step 2 on one repo: a branch off the default branch, the entries committed, one PR.
 * Each part is found again on a re-run (the app's PR by its head, the entry already in the file).
 * A branch by that name that is there without the app's PR is compared with the default branch
 * (one call, only then): changing the changelog's files alone (an earlier run cut short before its
 * PR), it is set back to the default branch's head and written again; anything else (commits a
 * product repo's writer put there in advance, or a project branch a custom `disclosure_branch`
 * matched) stops the step, untouched, as does someone else's open PR from it.
 */
export async function openChangelogPr(octokit: Octokit, ctx: AnnounceCtx, repo: string): Promise<ChangelogPr> {
  const branch = disclosureBranch(ctx.config.disclosure_branch, ctx.record, ctx.issue.issue_number);
  const pulls = await branchPulls(octokit, ctx, repo, branch);
  if (pulls.ours) return { url: pulls.ours };
  if (pulls.others.length) return { taken: pulls.others, branch };
  const base = await defaultBranch(octokit, repo);
  const { data: head } = await octokit.rest.git.getRef({ ...repoParams(repo), ref: `heads/${base}` });
  try {
    await octokit.rest.git.createRef({ ...repoParams(repo), ref: `refs/heads/${branch}`, sha: head.object.sha });
  } catch (error) {
    if (httpStatus(error) !== 422) throw error;
    const foreign = await foreignChanges(octokit, ctx, repo, head.object.sha, branch);
    if (foreign) return { branch, foreign };
    await octokit.rest.git.updateRef({ ...repoParams(repo), ref: `heads/${branch}`, sha: head.object.sha, force: true });
  }
  const id = ctx.record.cve ?? ctx.record.ghsa ?? "the security advisory";
  for (const change of await changelogChanges(octokit, ctx, repo, branch)) {
    if (change.before === change.after) continue;
    await octokit.rest.repos.createOrUpdateFileContents({
      ...repoParams(repo),
      path: change.path,
      branch,
      message: `${change.path}: ${id}`,
      content: Buffer.from(change.after, change.encoding ?? "utf8").toString("base64"),
      ...(change.sha ? { sha: change.sha } : {}),
    });
  }
  const body = `Adds ${id} to ${ctx.config.changelog.map((c) => c.path).join(" and ")}, now that the advisory is public${ctx.facts.advisoryUrl ? `: ${ctx.facts.advisoryUrl}` : ""}.`;
  try {
    const { data } = await octokit.rest.pulls.create({ ...repoParams(repo), title: `Changelog: ${id}`, head: branch, base, body });
    return { url: data.html_url };
  } catch (error) {
    // A PR made by an earlier run whose answer was lost.
    const again = httpStatus(error) === 422 ? (await branchPulls(octokit, ctx, repo, branch)).ours : undefined;
    if (again) return { url: again };
    throw error;
  }
}
