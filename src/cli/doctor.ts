import type { EmbargoConfig } from "../config/config-schema.js";
import { defaultConfig, validateConfig } from "../config/load-config.js";
import { appOctokit, installationOctokit, type AppCredentials, type CliOctokitInstance } from "./cli-octokit.js";
import { platformOf } from "../github/platform.js";
import { getApp, getInstallation, getLabel, getRepo, getTeam, listTeamMembers, readRawConfig, requiredChecks, type AppInfo } from "./doctor-probes.js";

export type Verdict = "PASS" | "WARN" | "FAIL" | "SKIP";

export interface DoctorIo {
  out: (line: string) => void;
}

const REPO = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/;

/**
 * `embargo doctor owner/security-repo`: checks an installation before an incident does. One line
 * per check, PASS or FAIL (WARN when it works but is weaker than it should be), each FAIL with
 * the fix. Exit code 1 when anything failed, 2 on bad usage.
 */
export async function runDoctor(target: string | undefined, creds: AppCredentials, io: DoctorIo): Promise<number> {
  const m = REPO.exec(target ?? "");
  if (!m) {
    io.out("usage: embargo doctor <owner/security-repo>");
    return 2;
  }
  const [owner, repo] = [m[1]!, m[2]!];
  let failed = 0;
  const line = (verdict: Verdict, what: string, fix?: string) => {
    if (verdict === "FAIL") failed++;
    io.out(`${verdict}  ${what}`);
    if (fix && verdict !== "PASS") io.out(`      fix: ${fix}`);
  };
  const done = () => {
    io.out(failed ? `${failed} check(s) failed.` : "All checks passed.");
    return failed ? 1 : 0;
  };

  const app = appOctokit(creds);
  const me = await getApp(app);
  if (!me.ok) {
    line("FAIL", `GitHub refused the app's credentials (HTTP ${me.status})`, "check APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH): the app's id and a current private key from its settings page");
    return done();
  }
  const installUrl = `${me.data.html_url}/installations/new`;
  const installation = await getInstallation(app, owner, repo);
  if (!installation.ok) {
    line("FAIL", `the app ${me.data.slug} is not installed on ${owner}/${repo}`, `install it: ${installUrl}`);
    return done();
  }
  line("PASS", `the app ${me.data.slug} is installed on ${owner}/${repo}`);
  const platform = platformOf(creds.baseUrl);
  if (!platform.advisories) {
    line("SKIP", `repository security advisories: GitHub Enterprise Server (${platform.host}) has none. \`/announce\` drafts no advisory (the announcement pack carries its text, OSV and CVE JSON, to publish elsewhere), \`/announce cve\` points to a CNA, \`/announce publish\` skips the advisory step`);
  }
  const missing = missingPermissions(me.data.permissions, installation.data.permissions as Record<string, string | undefined>);
  if (!missing.length) line("PASS", `the installation has every permission the app asks for`);
  else line("FAIL", `the installation on ${owner} has not accepted: ${missing.join(", ")}`, `an owner of ${owner} accepts the app's new permissions: ${installation.data.html_url}`);
  const installations = new Map<number, CliOctokitInstance>();
  const asInstallation = (id: number) => {
    if (!installations.has(id)) installations.set(id, installationOctokit(creds, id));
    return installations.get(id)!;
  };
  const octokit = asInstallation(installation.data.id);

  const info = await getRepo(octokit, owner, repo);
  if (info.ok && info.data.private && info.data.visibility !== "internal") line("PASS", `${owner}/${repo} is private`);
  else if (info.ok) line("FAIL", `${owner}/${repo} is ${info.data.visibility ?? "public"}: reports there are readable outside the security team`, "use a private repository for security reports (Settings → Danger zone → Change visibility)");
  else line("FAIL", `${owner}/${repo} cannot be read (HTTP ${info.status})`, "grant the app access to this repository in its installation settings");

  const config = await checkConfig(octokit, owner, repo, line);
  if (!config) return done();
  await checkTeams(octokit, config, line);
  const label = await getLabel(octokit, owner, repo, config.label);
  if (label.ok) line("PASS", `the label \`${config.label}\` exists on ${owner}/${repo}`);
  else line("FAIL", `the label \`${config.label}\` does not exist on ${owner}/${repo}: nobody can apply it to open a response`, `create it (Issues → Labels → New label) named exactly \`${config.label}\`, or set \`label\` in .github/embargo.yml to an existing one`);

  const repos = [...new Set(Object.values(config.components).flatMap((c) => (c.repo ? [c.repo] : [])))];
  if (!repos.length) line("SKIP", "no component repositories (`components.<name>.repo`): the gate on fix PRs is not checked");
  for (const full of repos) {
    const [o, r] = full.split("/") as [string, string];
    const inst = await getInstallation(app, o, r);
    if (!inst.ok) {
      line("FAIL", `the app is not installed on ${full}: fix PRs there get no gate and cannot be linked`, `install it on ${full}: ${installUrl}`);
      continue;
    }
    line("PASS", `the app is installed on ${full}`);
    await checkGate(asInstallation(inst.data.id), o, r, config, me.data, line);
  }
  return done();
}

const LEVEL: Record<string, number> = { read: 1, write: 2, admin: 3 };

/** Permissions the app asks for that an installation has not granted (new ones wait for an owner to accept them). */
function missingPermissions(wanted: Record<string, string>, granted: Record<string, string | undefined>): string[] {
  return Object.entries(wanted)
    .filter(([name, level]) => (LEVEL[granted[name] ?? ""] ?? 0) < (LEVEL[level] ?? 1))
    .map(([name, level]) => `${name}: ${level}`);
}

type Line = (verdict: Verdict, what: string, fix?: string) => void;

async function checkConfig(octokit: CliOctokitInstance, owner: string, repo: string, line: Line): Promise<EmbargoConfig | undefined> {
  let raw: unknown;
  try {
    raw = await readRawConfig(octokit, owner, repo);
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    const why = typeof status === "number" ? `HTTP ${status}` : (error as Error).message.replace(/^\[@probot\/octokit-plugin-config\] /, "");
    line("FAIL", `.github/embargo.yml cannot be read: ${why}`, "fix the file (valid YAML, `_extends` pointing at a readable repository)");
    return undefined;
  }
  const result = validateConfig(raw);
  if (!result.ok) {
    for (const problem of result.problems) line("FAIL", `.github/embargo.yml: ${problem}`, "edit .github/embargo.yml on the default branch (every key is in the README)");
    return undefined;
  }
  line("PASS", raw == null ? "no .github/embargo.yml: the defaults apply" : ".github/embargo.yml is valid");
  return result.config;
}

async function checkTeams(octokit: CliOctokitInstance, config: EmbargoConfig, line: Line): Promise<void> {
  if (!config.team) {
    line("WARN", "no `team`: repository admins and maintainers may run commands", "set `team: org/team-slug` to the security team");
  } else {
    const [org, slug] = config.team.split("/") as [string, string];
    const team = await getTeam(octokit, org, slug);
    if (!team.ok) {
      line("FAIL", `the team \`${config.team}\` (config \`team\`) does not exist or cannot be seen (HTTP ${team.status})`, `create the team in ${org}, fix \`team\`, or accept the app's members:read permission in ${org}'s installation settings`);
    } else {
      const members = await listTeamMembers(octokit, org, slug);
      if (!members.ok) line("FAIL", `the app cannot read the members of \`${config.team}\` (HTTP ${members.status}): every command would be refused`, `accept the app's members:read permission in ${org}'s installation settings`);
      else if (!members.data.length) line("WARN", `the team \`${config.team}\` has no members: nobody can run commands`, "add the security team's members to it");
      else line("PASS", `the team \`${config.team}\` exists and the app can read its members`);
    }
  }
  const reviewTeam = config.public_pr.review_team;
  if (reviewTeam) {
    const [org, slug] = reviewTeam.split("/") as [string, string];
    const team = await getTeam(octokit, org, slug);
    if (team.ok) line("PASS", `the review team \`${reviewTeam}\` exists`);
    else line("FAIL", `the review team \`${reviewTeam}\` (config \`public_pr.review_team\`) does not exist or cannot be seen`, "create it or fix `public_pr.review_team`");
  }
}

/**
 * The product repo's own config, as the app reads it for that repo's PRs (the gate's name, whether
 * unlinked PRs get the passing run); the defaults when it is broken, as the app then judges. Its
 * problems are said: a broken config keeps every fix PR's gate at "Configuration needs a fix".
 */
async function productConfig(octokit: CliOctokitInstance, owner: string, repo: string, line: Line): Promise<EmbargoConfig> {
  let raw: unknown;
  try {
    raw = await readRawConfig(octokit, owner, repo);
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    line("FAIL", `${owner}/${repo}'s .github/embargo.yml cannot be read (${typeof status === "number" ? `HTTP ${status}` : (error as Error).message.split("\n")[0]}): the app cannot read it either, for any PR there`, "fix the file (valid YAML, `_extends` pointing at a readable repository)");
    return defaultConfig();
  }
  const result = validateConfig(raw);
  if (result.ok) return result.config;
  line("FAIL", `${owner}/${repo}'s .github/embargo.yml: ${result.problems[0] ?? "invalid"}: its fix PRs' gate says "Configuration needs a fix" and blocks`, `edit .github/embargo.yml on ${owner}/${repo}'s default branch`);
  return defaultConfig();
}

async function checkGate(octokit: CliOctokitInstance, owner: string, repo: string, config: EmbargoConfig, app: AppInfo, line: Line): Promise<void> {
  const full = `${owner}/${repo}`;
  let branches = config.supported_branches;
  if (!branches.length) {
    const info = await getRepo(octokit, owner, repo);
    if (!info.ok) return line("FAIL", `${full} cannot be read (HTTP ${info.status})`, "grant the app access to it in its installation settings");
    branches = [info.data.default_branch];
  }
  // The gate on this repo's PRs is named, and given to unlinked PRs or not, by this repo's own config.
  const own = await productConfig(octokit, owner, repo, line);
  const name = own.public_pr.check_name;
  const everyPr = own.public_pr.gate_every_pr;
  const backfill = `npm run embargo -- backfill ${full}`;
  // Making the gate required with `gate_every_pr: false` blocks every PR no response is linked to.
  const removeOff = `remove \`public_pr.gate_every_pr: false\` from ${full}'s .github/embargo.yml (or its owner's)`;
  const offFirst = everyPr ? "" : `first ${removeOff}, then `;
  const required: string[] = [];
  const unknown: string[] = [];
  for (const branch of branches) {
    const found = await requiredChecks(octokit, owner, repo, branch);
    if (!found.ok) {
      line("FAIL", `the rules of ${full}@${branch} cannot be read (HTTP ${found.status})`, "grant the app access to it in its installation settings");
      continue;
    }
    if (found.data === null) {
      line("FAIL", `${full} has no branch \`${branch}\` (config \`supported_branches\`)`, "fix `supported_branches`, or create the branch");
      continue;
    }
    const ours = found.data.checks.filter((c) => c.context === name);
    const fix = `${offFirst}add a ruleset (Settings → Rules → Rulesets) or a branch protection rule on \`${branch}\` with "Require status checks to pass": \`${name}\`, source: ${app.slug}; then \`${backfill}\` gives the PRs already open their passing run`;
    if (ours.length) required.push(branch);
    if (!ours.length && found.data.classicUnread) {
      unknown.push(branch);
      line("WARN", `could not tell whether \`${name}\` is required on ${full}@${branch}: a branch protection rule protects it, and GitHub shows the app none of its status checks (their settings need the administration permission, which the app does not ask for)`, `look in ${full}'s Settings → Branches, or require the check with a ruleset (rulesets are readable): ${fix}`);
    } else if (!ours.length) line("FAIL", `the check \`${name}\` is not required on ${full}@${branch}: a fix PR can merge before the security team approves`, fix);
    else if (ours.some((c) => c.appId === app.id)) line("PASS", `\`${name}\` is required on ${full}@${branch} (${ours.find((c) => c.appId === app.id)!.source}), from ${app.slug} only`);
    else if (ours.every((c) => c.appId !== undefined && c.appId !== app.id)) line("FAIL", `\`${name}\` is required on ${full}@${branch} from another app (id ${ours[0]!.appId}): ${app.slug}'s check can never satisfy it`, fix);
    else line("WARN", `\`${name}\` is required on ${full}@${branch} (${ours[0]!.source}), but from any source: anyone who can post a status named \`${name}\` can pass the gate`, `pick ${app.slug} as the check's source in the rule`);
  }
  if (everyPr) return;
  const off = `\`public_pr.gate_every_pr\` is false on ${full}`;
  const allow = `${removeOff}, then run \`${backfill}\` so the PRs already open get their passing run`;
  if (required.length) line("FAIL", `\`${name}\` is required on ${full} (${required.join(", ")}) but ${off}: every PR no response is linked to gets no run of the gate and waits for it for good`, allow);
  else if (unknown.length) line("WARN", `${off}: if \`${name}\` is required on ${full} (${unknown.join(", ")}), every PR no response is linked to waits for it for good`, `if it is required there, ${allow}`);
}
