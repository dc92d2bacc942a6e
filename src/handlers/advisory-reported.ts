import type { Context } from "probot";
import { findIntakeIssue, intakeMarker, openIntakeIssue, securityRepoFor } from "../github/advisory-intake.js";
import { neutralize } from "../render/neutralize.js";
import { renderTemplate } from "../render/templates.js";
import type { Deps } from "./response-context.js";

type Advisory = Context<"repository_advisory.reported">["payload"]["repository_advisory"];

const MAX_DESCRIPTION = 20_000;

/** Probot's types leave `author` out of this event; GitHub's description has it (the reporter). */
function reporterOf(advisory: Advisory): string | undefined {
  const login = (advisory as { author?: { login?: string } | null }).author?.login;
  return login ? `@\u200b${login}` : undefined;
}

/** The issue's text: every field comes from the reporter, so it is neutralised (no pings, no markers). */
export function intakeView(advisory: Advisory, productRepo: string) {
  const clean = (s: string | null | undefined) => neutralize(s ?? "");
  const packages = (advisory.vulnerabilities ?? []).map((v) => {
    const name = v.package ? `${v.package.ecosystem}/${v.package.name ?? "?"}` : "?";
    return clean(`${name} ${v.vulnerable_version_range ?? ""}`.trim());
  });
  const description = clean(advisory.description).slice(0, MAX_DESCRIPTION);
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
  };
}

/**
 * `repository_advisory.reported`: a private vulnerability report on a product repo opens a
 * response issue in its security repo (with the label, so `issues.opened` runs the usual intake).
 * A redelivery finds the issue again by its marker and opens nothing.
 */
export async function onAdvisoryReported(deps: Deps, context: Context<"repository_advisory.reported">): Promise<void> {
  const { payload, octokit } = context;
  const advisory = payload.repository_advisory;
  const product = { owner: payload.repository.owner.login, repo: payload.repository.name };
  const productRepo = `${product.owner}/${product.repo}`;
  const target = await securityRepoFor(octokit, product);
  if (!target.ok) {
    context.log.warn(`report ${advisory.ghsa_id} on ${productRepo}: no response opened (${target.why})`);
    return;
  }
  const botLogin = await deps.botLogin();
  await deps.queue.run(`intake:${advisory.ghsa_id.toLowerCase()}`, async () => {
    const existing = await findIntakeIssue(octokit, target.repo, advisory.ghsa_id, advisory.created_at ?? undefined, botLogin);
    if (existing) return;
    const { text } = await renderTemplate("advisory-intake", intakeView(advisory, productRepo));
    const summary = neutralize(advisory.summary ?? "").replace(/\s+/g, " ").slice(0, 180);
    await openIntakeIssue(octokit, target.repo, {
      title: `Private report on ${productRepo}: ${summary || advisory.ghsa_id}`,
      body: `${text}\n\n${intakeMarker(advisory.ghsa_id, productRepo, advisory.html_url)}`,
      label: target.config.label,
    }, { ghsa: advisory.ghsa_id, since: advisory.created_at ?? undefined, botLogin });
  });
}
