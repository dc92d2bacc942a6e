import { advisoryRepo } from "../announce/advisory-fields.js";
import { markStep, stepDone } from "../announce/publish-steps.js";
import { renderTemplate } from "../render/templates.js";
import { tick } from "../response/sync-boxes.js";
import { publishAdvisory } from "./announce-advisory.js";
import { openChangelogPr, productRepos } from "./announce-changelog.js";
import { reply, saveRecord, type AnnounceCtx, type Octokit } from "./announce-context.js";
import { openProcessReview, openPublicIssue, reporterCanRead } from "./announce-issues.js";
import { updatePack } from "./announce-pack.js";
import { notifyResponse } from "../notify/notify-response.js";

export type PublishResult = { ok: true } | { ok: false; error: string };

async function done(octokit: Octokit, ctx: AnnounceCtx, id: string, ticks: string[] = [], patch: Partial<AnnounceCtx["record"]> = {}, close = false) {
  const record = tick(markStep({ ...ctx.record, ...patch }, id, ctx.now), ticks, ctx.now);
  await saveRecord(octokit, ctx, record, close ? { close: "completed" } : {});
}

/** The announced record, with the chat message sent (or left pending) in the same write. */
function announcedRecord(ctx: AnnounceCtx): Promise<AnnounceCtx["record"]> {
  const target = { repo: `${ctx.issue.owner}/${ctx.issue.repo}`, number: ctx.issue.issue_number, url: ctx.facts.issueUrl };
  return notifyResponse(ctx.notify, ctx.config, target, { ...ctx.record, state: "announced" }, [{ kind: "announced" }], ctx.report.title);
}

/** The reporter: a `reporter` credit if there is one (a mailed report), else the issue's author. */
function reporterOf(ctx: AnnounceCtx): string {
  return ctx.record.credits.find((c) => c.type === "reporter")?.login ?? ctx.report.reporter;
}

/**
 * `/announce publish` after its gates, and steps 2–6 when GitHub says the advisory was published
 * by hand. Each step is recorded as soon as it is done, so a run that GitHub broke off is finished
 * by running it again, and nothing is done twice.
 */
export async function runPublish(octokit: Octokit, ctx: AnnounceCtx): Promise<PublishResult> {
  if (!stepDone(ctx.record, "advisory")) {
    const published = await publishAdvisory(octokit, ctx);
    if (!published.ok) return published;
    const at = (published.advisory?.published_at as string | undefined) ?? ctx.now.toISOString();
    const advisory = ctx.record.advisory ? { ...ctx.record.advisory, published_at: at } : undefined;
    await done(octokit, ctx, "advisory", ["disclosure.published"], advisory ? { advisory } : {});
  }
  ctx.facts = { ...ctx.facts, advisoryUrl: ctx.record.advisory?.url, publishedAt: ctx.record.advisory?.published_at ?? ctx.record.publish_steps?.advisory };

  const prs: string[] = [];
  for (const repo of productRepos(ctx.record, ctx.config)) {
    const id = `changelog:${repo.toLowerCase()}`;
    const url = ctx.record.publish_steps?.[`${id}:url`] ?? (await openChangelogPr(octokit, ctx, repo));
    prs.push(url);
    if (!stepDone(ctx.record, id)) await done(octokit, ctx, id, [], { publish_steps: { ...ctx.record.publish_steps, [`${id}:url`]: url } });
  }
  if (!stepDone(ctx.record, "changelog")) await done(octokit, ctx, "changelog", prs.length ? ["disclosure.changes"] : []);

  if (!stepDone(ctx.record, "unembargo")) {
    const repo = advisoryRepo(ctx.record, ctx.config);
    const publicIssue = ctx.config.public_issue && repo ? await openPublicIssue(octokit, ctx, repo) : undefined;
    const { text } = await renderTemplate("unembargo", { advisory_url: ctx.facts.advisoryUrl, pull_requests: prs, public_issue: publicIssue }, ctx.overrides);
    await reply(octokit, ctx, `unembargo-${ctx.issue.issue_number}`, text);
    await done(octokit, ctx, "unembargo");
  }

  let reporterText: string | undefined;
  const reporter = reporterOf(ctx);
  const canRead = await reporterCanRead(octokit, ctx, reporter);
  const { text: told } = await renderTemplate("reporter-published", { reporter: canRead ? reporter : undefined, advisory_url: ctx.facts.advisoryUrl, cve: ctx.record.cve }, ctx.overrides);
  if (!canRead) reporterText = told;
  if (!stepDone(ctx.record, "reporter")) {
    if (canRead) await reply(octokit, ctx, `reporter-published-${ctx.issue.issue_number}`, told);
    else await reply(octokit, ctx, `reporter-in-pack-${ctx.issue.issue_number}`, `The reporter${reporter ? ` (${reporter.replace(/@/g, "")})` : ""} cannot read this repository, so the app did not tell them here: the text for them is in the announcement pack. Send it yourselves.`);
    await done(octokit, ctx, "reporter");
  }

  if (!stepDone(ctx.record, "announced")) await done(octokit, ctx, "announced", ["follow-up.closed"], await announcedRecord(ctx), true);
  // The label and the close ride on the same write as the record: a failure between them is
  // mended on every run (nothing is written when the issue already is so).
  else await saveRecord(octokit, ctx, ctx.record, { close: "completed" });

  if (!stepDone(ctx.record, "process_review")) {
    const url = await openProcessReview(octokit, ctx);
    // The pack goes before the last step is recorded: a publish cut short here is not "all done",
    // so its redelivery (or `/announce publish` again) still brings the pack up to date.
    await updatePack(octokit, ctx, { reporterText });
    await done(octokit, ctx, "process_review", ["follow-up.process_review"], { publish_steps: { ...ctx.record.publish_steps, "process_review:url": url } });
  } else await updatePack(octokit, ctx, { reporterText });
  return { ok: true };
}
