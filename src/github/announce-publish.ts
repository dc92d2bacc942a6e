import { advisoryRepo } from "../announce/advisory-fields.js";
import { reporterInPackView } from "../announce/announce-view.js";
import { markStep, stepDone } from "../announce/publish-steps.js";
import { renderTemplate } from "../render/templates.js";
import { tick } from "../response/sync-boxes.js";
import { publishAdvisory } from "./announce-advisory.js";
import { openChangelogPr, productRepos } from "./announce-changelog.js";
import { reply, type AnnounceCtx, type Octokit } from "./announce-context.js";
import { openProcessReview, openPublicIssue, reporterCanRead } from "./announce-issues.js";
import { updatePack } from "./announce-pack.js";
import { releaseDisclosed } from "./event-scope.js";

export type PublishResult = { ok: true } | { ok: false; error: string };

/**
 * A step done, in the record the run holds: the run writes it once, at its end or when it fails.
 * A re-run that finds a step unrecorded finds its work again by reads it makes anyway (the
 * advisory's state, the PR by its branch, the replies among the comments, the review issue in the
 * list), so nothing is done twice.
 */
function done(ctx: AnnounceCtx, id: string, ticks: string[] = [], patch: Partial<AnnounceCtx["record"]> = {}): void {
  ctx.record = tick(markStep({ ...ctx.record, ...patch }, id, ctx.now), ticks, ctx.now);
}

/** The reporter: a `reporter` credit if there is one (a mailed report), else the issue's author. */
function reporterOf(ctx: AnnounceCtx): string {
  return ctx.record.credits.find((c) => c.type === "reporter")?.login ?? ctx.report.reporter;
}

/**
 * `/announce publish` after its gates, and steps 2–6 when GitHub says the advisory was published
 * by hand. The steps change the record in `ctx`; the caller writes it once (src/github/announce-run.ts),
 * also when a step fails, so the response shows what was done. A run that GitHub broke off is
 * finished by running it again, and nothing is done twice.
 */
export async function runPublish(octokit: Octokit, ctx: AnnounceCtx): Promise<PublishResult> {
  if (!stepDone(ctx.record, "advisory") && !ctx.advisories) {
    // GHES: no advisory to publish. The step still marks when disclosure began (and that the gates
    // were passed); "Advisory published" stays the team's to tick, once they published it elsewhere.
    done(ctx, "advisory");
    releaseDisclosed(ctx.issue);
  } else if (!stepDone(ctx.record, "advisory")) {
    const published = await publishAdvisory(octokit, ctx);
    if (!published.ok) return published;
    const at = (published.advisory?.published_at as string | undefined) ?? ctx.now.toISOString();
    const advisory = ctx.record.advisory ? { ...ctx.record.advisory, published_at: at } : undefined;
    done(ctx, "advisory", ["disclosure.published"], advisory ? { advisory } : {});
  }
  ctx.facts = { ...ctx.facts, advisoryUrl: ctx.record.advisory?.url, publishedAt: ctx.record.advisory?.published_at ?? ctx.record.publish_steps?.advisory };

  const prs: string[] = [];
  for (const repo of productRepos(ctx.record, ctx.config)) {
    const id = `changelog:${repo.toLowerCase()}`;
    let url = ctx.record.publish_steps?.[`${id}:url`];
    if (!url) {
      const made = await openChangelogPr(octokit, ctx, repo);
      if (!("url" in made)) return { ok: false, error: (await renderTemplate("changelog-branch-taken", { repo, ...made }, ctx.overrides)).text };
      url = made.url;
    }
    prs.push(url);
    if (!stepDone(ctx.record, id)) done(ctx, id, [], { publish_steps: { ...ctx.record.publish_steps, [`${id}:url`]: url } });
  }
  if (!stepDone(ctx.record, "changelog")) done(ctx, "changelog", prs.length ? ["disclosure.changes"] : []);

  if (!stepDone(ctx.record, "unembargo")) {
    const repo = advisoryRepo(ctx.record, ctx.config);
    const publicIssue = ctx.config.public_issue && repo ? await openPublicIssue(octokit, ctx, repo) : undefined;
    const { text } = await renderTemplate("unembargo", { advisory_url: ctx.facts.advisoryUrl, no_advisories: !ctx.advisories, pull_requests: prs, public_issue: publicIssue }, ctx.overrides);
    await reply(octokit, ctx, `unembargo-${ctx.issue.issue_number}`, text);
    done(ctx, "unembargo");
  }

  let reporterText: string | undefined;
  const reporter = reporterOf(ctx);
  const canRead = await reporterCanRead(octokit, ctx, reporter);
  const { text: told } = await renderTemplate("reporter-published", { reporter: canRead ? reporter : undefined, advisory_url: ctx.facts.advisoryUrl, no_advisories: !ctx.advisories, cve: ctx.record.cve }, ctx.overrides);
  if (!canRead) reporterText = told;
  if (!stepDone(ctx.record, "reporter")) {
    if (canRead) await reply(octokit, ctx, `reporter-published-${ctx.issue.issue_number}`, told);
    else await reply(octokit, ctx, `reporter-in-pack-${ctx.issue.issue_number}`, (await renderTemplate("reporter-in-pack", reporterInPackView(reporter, ctx.botLogin), ctx.overrides)).text);
    done(ctx, "reporter");
  }

  if (!stepDone(ctx.record, "announced")) {
    done(ctx, "announced", ["follow-up.closed"], { state: "announced" });
    // Sent just before the run's one write, which records it: nothing can find a chat message again.
    ctx.notices = [...(ctx.notices ?? []), { kind: "announced" }];
    // The close rides on the run's one write, before the record: a step recorded is a close made.
    // Not on a later run: an announced issue the team reopened since stays open.
    ctx.close = true;
  }

  if (!stepDone(ctx.record, "process_review")) {
    const url = await openProcessReview(octokit, ctx);
    // The pack goes before the last step is recorded: a publish cut short here is not "all done",
    // so its redelivery (or `/announce publish` again) still brings the pack up to date.
    await updatePack(octokit, ctx, { reporterText });
    done(ctx, "process_review", ["follow-up.process_review"], { publish_steps: { ...ctx.record.publish_steps, "process_review:url": url } });
  } else await updatePack(octokit, ctx, { reporterText });
  return { ok: true };
}
