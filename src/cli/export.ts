import { advisoryRepo } from "../announce/advisory-fields.js";
import type { AnnounceFacts } from "../announce/announce-view.js";
import { cveRecord } from "../announce/cve-export.js";
import { osvRecord } from "../announce/osv-export.js";
import { advisoryDescription, exportFacts, unescapeHtml } from "../announce/pack.js";
import { secretsFromEnv } from "../adapters/probot-from-env.js";
import { findOwnComment, listComments, type IssueRef } from "../github/issue-comments.js";
import { chooseResponse } from "../github/response-choice.js";
import { resolveRepoId } from "../github/repo-ids.js";
import { readConfigFrom } from "../github/read-config.js";
import { repoOverrides } from "../github/template-overrides.js";
import { decodeRecord, RESPONSE_MARKER } from "../record/markers.js";
import { KeyRing } from "../security/key-ring.js";
import { appOctokit, credentialsFromEnv, installationOctokit } from "./cli-octokit.js";
import { getApp, getInstallation } from "./doctor-probes.js";

export interface ExportIo {
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
  /** The export's `modified` time; default now. */
  now?: () => Date;
}

const FORMATS = ["osv", "cve5"] as const;
type Format = (typeof FORMATS)[number];
export const EXPORT_USAGE = "usage: embargo export <owner/repo#number> --format osv|cve5";
const TARGET = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)#(\d+)$/;

function parseArgs(args: string[]): { issue: IssueRef; format: Format } | { problem: string } {
  let target: string | undefined;
  let format: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--format") format = args[++i];
    else if (a.startsWith("--format=")) format = a.slice("--format=".length);
    else if (!target) target = a;
    else return { problem: `unexpected argument \`${a}\`` };
  }
  const m = TARGET.exec(target ?? "");
  if (!m) return { problem: target ? `\`${target}\` is not an issue: write it as owner/repo#number` : "name the security issue" };
  if (!FORMATS.includes(format as Format)) return { problem: format ? `unknown format \`${format}\` (osv or cve5)` : "give --format osv or --format cve5" };
  return { issue: { owner: m[1]!, repo: m[2]!, issue_number: Number(m[3]) }, format: format as Format };
}

/**
 * `embargo export owner/repo#n --format osv|cve5`: the response's OSV or CVE JSON 5 record, as
 * the announcement pack carries it, printed as JSON. The record is read from the app's own
 * response comment and its signature checked with the app's keys, exactly as the app does: a
 * record someone else wrote or edited is refused. Exit 0 printed, 1 not possible, 2 bad usage.
 */
export async function runExport(args: string[], io: ExportIo): Promise<number> {
  const parsed = parseArgs(args);
  if ("problem" in parsed) {
    io.err(`${parsed.problem}\n${EXPORT_USAGE}`);
    return 2;
  }
  const creds = credentialsFromEnv(io.env);
  if ("problem" in creds) {
    io.err(`embargo export needs the app's credentials: ${creds.problem}`);
    return 2;
  }
  const secrets = secretsFromEnv(io.env);
  if (!secrets) {
    io.err("embargo export needs the app's secret to check the response record's signature: set EMBARGO_SECRET (or WEBHOOK_SECRET) as for npm start");
    return 2;
  }
  const { issue, format } = parsed;
  const where = `${issue.owner}/${issue.repo}#${issue.issue_number}`;
  const app = appOctokit(creds);
  const me = await getApp(app);
  if (!me.ok) {
    io.err(`GitHub refused the app's credentials (HTTP ${me.status}): check APP_ID and PRIVATE_KEY`);
    return 1;
  }
  const installation = await getInstallation(app, issue.owner, issue.repo);
  if (!installation.ok) {
    io.err(`the app ${me.data.slug} is not installed on ${issue.owner}/${issue.repo} (HTTP ${installation.status})`);
    return 1;
  }
  // The CLI's Octokit has the same REST methods and config plugin as Probot's.
  const cli = installationOctokit(creds, installation.data.id);
  const octokit = cli as never;
  const config = await readConfigFrom(octokit, issue.owner, issue.repo);
  if (!config.ok) {
    io.err(`.github/embargo.yml of ${issue.owner}/${issue.repo} is invalid (run \`embargo doctor ${issue.owner}/${issue.repo}\`):\n  ${config.problems.join("\n  ")}`);
    return 1;
  }
  const comments = await listComments(octokit, issue);
  if (!findOwnComment(comments, `${me.data.slug}[bot]`, RESPONSE_MARKER)) {
    io.err(`${where} has no response comment of the app: it is not a security response (or the label was never applied)`);
    return 1;
  }
  // Records are signed over the repository's id (v3), older ones over its name (v2).
  const repoId = await resolveRepoId(octokit, issue);
  const keys = new KeyRing(secrets.secret, secrets.previousSecret);
  const scope = { ...issue, ...(repoId !== undefined ? { repo_id: repoId } : {}) };
  // Two response comments (a create retried by an older version): the one the app goes on with.
  const { own } = chooseResponse(comments, `${me.data.slug}[bot]`, (body) => {
    const d = decodeRecord(body, keys, scope);
    return d.found ? d.record : undefined;
  });
  const decoded = decodeRecord(own!.body, keys, scope);
  if (!decoded.found) {
    io.err(
      decoded.forged
        ? `the response record on ${where} is not signed with this app's secret (edited by hand, or EMBARGO_SECRET is not the app's): refused`
        : `the response record on ${where} is missing or damaged: run any \`/triage\` command there to restore it`,
    );
    return 1;
  }
  const record = decoded.record;
  const { data: issueData } = await cli.rest.issues.get({ ...issue });
  const repo = advisoryRepo(record, config.config);
  const facts: AnnounceFacts = {
    project: repo ? repo.split("/")[1]! : issue.owner,
    vendor: repo ? repo.split("/")[0]! : issue.owner,
    issueUrl: issueData.html_url,
    issueNumber: issue.issue_number,
    htmlBase: new URL(issueData.html_url).origin,
    advisoryUrl: record.advisory?.url,
    publishedAt: record.advisory?.published_at,
    reporter: issueData.user?.login,
  };
  const description = await advisoryDescription(record, config.config, facts, repoOverrides(octokit, issue.owner, issue.repo));
  const ef = exportFacts(record, facts, unescapeHtml(description), (io.now ?? (() => new Date()))());
  if (format === "osv") {
    io.out(JSON.stringify(osvRecord(record, config.config.osv_prefix, ef), null, 2));
    return 0;
  }
  const cve = cveRecord(record, config.config.cna_org_id, facts.vendor, ef);
  if (!cve.ok) {
    io.err(`no CVE JSON 5 record for ${where} yet: it needs ${cve.missing.join(", ")}`);
    return 1;
  }
  io.out(JSON.stringify(cve.json, null, 2));
  return 0;
}
