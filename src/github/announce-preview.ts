import { advisoryRepo } from "../announce/advisory-fields.js";
import { fenced } from "../announce/pack.js";
import { disclosureBranch, PUBLISH_STEPS, stepDone } from "../announce/publish-steps.js";
import { gatesPass, publishGates } from "../announce/publish-gates.js";
import { unifiedDiff } from "../announce/unified-diff.js";
import { neutralize } from "../render/neutralize.js";
import { renderTemplate } from "../render/templates.js";
import type { AnnounceCtx, Octokit } from "./announce-context.js";
import { changelogChanges, defaultBranch, productRepos } from "./announce-changelog.js";
import { reporterCanRead } from "./announce-issues.js";
import { upsertOwnComment } from "./announce-pack.js";

export const PREVIEW_MARKER = "<!-- embargo:announce-preview -->";

const indent = (text: string) => text.split("\n").map((l) => `   ${l}`).join("\n");
const safe = (text: string) => neutralize(text).replace(/</g, "&lt;");

/** `/announce preview`: every step publish would take, with reads only; one comment, edited in place. */
export async function runPreview(octokit: Octokit, ctx: AnnounceCtx): Promise<void> {
  const r = ctx.record;
  const gates = publishGates(r, ctx.config, ctx.now, false, undefined, ctx.advisories);
  const forcedGates = publishGates(r, ctx.config, ctx.now, true, undefined, ctx.advisories);
  const repo = advisoryRepo(r, ctx.config);
  const details: Record<string, string> = {};

  const vector = r.cvss ? `CVSS ${r.cvss.version} \`${r.cvss.vector}\`` : `severity ${r.severity ?? "not set"}`;
  const vulns = r.affected.map((a) => `${a.ecosystem}/${a.package} ${a.range}`).join("; ") || "none recorded";
  details.advisory = !ctx.advisories
    ? "Skipped: this GitHub Enterprise Server has no repository security advisories. The announcement pack carries the advisory text and its OSV and CVE JSON 5 records, to publish elsewhere."
    : repo
    ? `${r.ghsa ? `Publish draft ${r.ghsa}` : "Create the draft, then publish it"} on ${repo}: summary "${safe(r.summary ?? "")}", ${vector}, CWE ${r.cwes.join(", ") || "none"}, packages ${safe(vulns)}${r.cve ? `, ${r.cve}` : ""}.`
    : "No component has a repo: there is no GitHub advisory to publish.";

  const parts: string[] = [];
  for (const product of productRepos(r, ctx.config)) {
    const base = await defaultBranch(octokit, product);
    // Without a draft yet, the branch takes the GHSA id GitHub gives it at publish time.
    const branch = repo && !r.ghsa ? disclosureBranch(ctx.config.disclosure_branch, { ...r, ghsa: "GHSA_ID" }, ctx.issue.issue_number).replace("GHSA_ID", "<GHSA id>") : disclosureBranch(ctx.config.disclosure_branch, r, ctx.issue.issue_number);
    parts.push(`On ${product}: branch \`${branch}\` off \`${base}\`, then one pull request with:`);
    for (const change of await changelogChanges(octokit, ctx, product, base)) {
      parts.push(change.before === change.after ? `\`${change.path}\` already has the entry.` : fenced(unifiedDiff(change.path, change.before, change.after), "diff"));
    }
  }
  details.changelog = parts.length ? parts.join("\n\n") : "No product repo: no CHANGES/NEWS pull request.";

  details.unembargo = [
    `The un-embargo checklist posted here: ${ctx.advisories ? "advisory public (ticked by the app)" : "advisory published elsewhere (ticked by hand)"}; dev and users lists mailed, security page updated, distributors told, full-disclosure list mailed, blog post (ticked by hand).`,
    ctx.config.public_issue && repo ? `A public issue on ${repo} with the advisory's summary and link.` : "",
  ].filter(Boolean).join(" ");
  const reporter = r.credits.find((c) => c.type === "reporter")?.login ?? ctx.report.reporter;
  details.reporter = (await reporterCanRead(octokit, ctx, reporter))
    ? `${safe(reporter)} is told in this issue, with the advisory's links.`
    : "The reporter cannot read this repository: the text for them goes into the announcement pack for the team to send.";
  details.announced = "State → announced, label `security: announced`, this issue closed as completed.";
  details.process_review = `Issue "Process review: #${ctx.issue.issue_number}${r.cve ? ` (${r.cve})` : ""}" opened in this repository${r.triager ? `, assigned to ${safe(r.triager)}` : ""}.`;

  const { text } = await renderTemplate(
    "announce-preview",
    {
      now: ctx.now.toISOString().slice(0, 16).replace("T", " "),
      gates,
      ready: gatesPass(gates),
      forceable: !gatesPass(gates) && gatesPass(forcedGates),
      steps: PUBLISH_STEPS.map((s, i) => ({ number: i + 1, title: s.title, done: stepDone(r, s.id), details: indent(details[s.id] ?? "") })),
    },
    ctx.overrides,
  );
  await upsertOwnComment(octokit, ctx, PREVIEW_MARKER, `${PREVIEW_MARKER}\n${text}`);
}
