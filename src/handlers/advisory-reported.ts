import type { Context, ProbotOctokit } from "probot";
import { findIntakeIssue, intakeMarker, openIntakeIssue, securityRepoFor, type Report } from "../github/advisory-intake.js";
import { neutralize } from "../render/neutralize.js";
import { renderTemplate } from "../render/templates.js";
import type { Deps } from "./response-context.js";

type Advisory = Report;
type Octokit = InstanceType<typeof ProbotOctokit>;

const MAX_DESCRIPTION = 20_000;
/** GitHub refuses an issue body over 65,536 characters and a title over 256. */
const BODY_LIMIT = 65_536;
const TITLE_LIMIT = 256;

/** Probot's types leave `author` out of this event; GitHub's description has it (the reporter). */
function reporterOf(advisory: Advisory): string | undefined {
  const login = (advisory as { author?: { login?: string } | null }).author?.login;
  return login ? `@\u200b${login}` : undefined;
}

/** At most `max` UTF-16 units, never half a surrogate pair at the cut: a lone one is not valid UTF-8, and GitHub may refuse the issue. */
function cut(text: string, max: number): string {
  return text.slice(0, /[\ud800-\udbff]/.test(text[max - 1] ?? "") ? max - 1 : max);
}

/** The issue's text: every field comes from the reporter, so it is neutralised (no pings, no markers). */
export function intakeView(advisory: Advisory, productRepo: string, maxDescription = MAX_DESCRIPTION) {
  const clean = (s: string | null | undefined) => neutralize(s ?? "");
  const packages = (advisory.vulnerabilities ?? []).map((v) => {
    const name = v.package ? `${v.package.ecosystem}/${v.package.name ?? "?"}` : "?";
    return clean(`${name} ${v.vulnerable_version_range ?? ""}`.trim());
  });
  const whole = clean(advisory.description);
  const description = cut(whole, maxDescription);
  return {
    repo: productRepo,
    ghsa: advisory.ghsa_id,
    advisory_url: advisory.html_url,
    state: advisory.state,
    reporter: reporterOf(advisory),
    summary: clean(advisory.summary),
    packages,
    severity: advisory.severity ?? undefined,
    cvss: advisory.cvss?.vector_string ?? undefined,
    cwes: (advisory.cwe_ids ?? []).map(clean),
    description: description ? description.split(/\r?\n/) : undefined,
    cut: description.length < whole.length,
  };
}

/**
 * `repository_advisory.reported`: a private vulnerability report on a product repo opens a
 * response issue in its security repo (with the label, so `issues.opened` runs the usual intake).
 * A redelivery finds the issue again by its marker and opens nothing.
 */
export async function onAdvisoryReported(deps: Deps, context: Context<"repository_advisory.reported">): Promise<void> {
  const { payload } = context;
  const product = { owner: payload.repository.owner.login, repo: payload.repository.name };
  await intakeReport(deps, context.octokit, product, payload.repository_advisory, (m) => context.log.warn(m));
}

/**
 * A report whose intake issue the app opened or found, by security repo: the tick's catch-up
 * (src/tick/missed-reports.ts) leaves it alone, though no open response names it any more (its issue
 * closed, relabelled, or transferred out of the security repo, where the marker lookup cannot see
 * it and would open a second one). Past this, the tick looks for it once more.
 */
export const INTAKE_SEEN_TTL_MS = 90 * 24 * 3_600_000;
export const intakeSeenKey = (security: string, ghsa: string) => `intake-seen:${security}:${ghsa}`.toLowerCase();

export type IntakeOutcome = "opened" | "found" | "refused" | "elsewhere";

/**
 * What the webhook and the tick's catch-up (src/tick/missed-reports.ts) both run for one report:
 * its security repo is the one the product repo's config names and whose own config names it
 * back, private now (`securityRepoFor`); there, under the report's queue, the issue is opened
 * unless the app opened it already (its marker). `into`: the tick works on one security repo
 * and leaves a report that goes elsewhere to that repo's tick.
 */
export async function intakeReport(deps: Deps, octokit: Octokit, product: { owner: string; repo: string }, advisory: Advisory, log: (m: string) => void, into?: string): Promise<IntakeOutcome> {
  const productRepo = `${product.owner}/${product.repo}`;
  const target = await securityRepoFor(octokit, product);
  if (!target.ok) {
    log(`report ${advisory.ghsa_id} on ${productRepo}: no response opened (${target.why})`);
    return "refused";
  }
  if (into && target.repo.toLowerCase() !== into.toLowerCase()) return "elsewhere";
  const botLogin = await deps.botLogin();
  const seen = intakeSeenKey(target.repo, advisory.ghsa_id);
  return deps.queue.run(`intake:${advisory.ghsa_id.toLowerCase()}`, async () => {
    const existing = await findIntakeIssue(octokit, target.repo, advisory.ghsa_id, advisory.created_at ?? undefined, botLogin);
    if (existing) {
      await deps.store.set(seen, "1", INTAKE_SEEN_TTL_MS);
      return "found";
    }
    const marker = intakeMarker(advisory.ghsa_id, productRepo, advisory.html_url);
    const body = await fittedBody(advisory, productRepo, marker);
    const prefix = `Private report on ${productRepo}: `;
    const summary = cut(neutralize(advisory.summary ?? "").replace(/\s+/g, " "), Math.min(180, TITLE_LIMIT - prefix.length));
    await openIntakeIssue(octokit, target.repo, {
      title: `${prefix}${summary || advisory.ghsa_id}`,
      body,
      label: target.config.label,
    }, { ghsa: advisory.ghsa_id, since: advisory.created_at ?? undefined, botLogin });
    await deps.store.set(seen, "1", INTAKE_SEEN_TTL_MS);
    return "opened";
  });
}

/**
 * The issue's body under GitHub's limit: escaping can make a description several times longer
 * (`"` is written `&quot;`), so it is cut further until the body fits, and the issue says so.
 */
async function fittedBody(advisory: Advisory, productRepo: string, marker: string): Promise<string> {
  let max = MAX_DESCRIPTION;
  for (;;) {
    const { text } = await renderTemplate("advisory-intake", intakeView(advisory, productRepo, max));
    const body = `${text}\n\n${marker}`;
    if (body.length <= BODY_LIMIT || max === 0) return body;
    max = Math.max(0, Math.min(max - 1, Math.floor((max * (BODY_LIMIT - 1_000)) / body.length)));
  }
}
