import { PACK_MARKER, renderPack, type PackExtras } from "../announce/pack.js";
import { findOwnComment } from "./issue-comments.js";
import { createOwnComment } from "./own-comment-create.js";
import type { AnnounceCtx, Octokit } from "./announce-context.js";

/** One comment per marker in the security issue, created once (a 5xx answer included) and then edited in place. */
export async function upsertOwnComment(octokit: Octokit, ctx: AnnounceCtx, marker: string, body: string): Promise<void> {
  const existing = findOwnComment(ctx.state.comments, ctx.botLogin, marker);
  if (!existing) {
    const made = await createOwnComment(octokit, ctx.issue, body, marker, ctx.botLogin, true);
    ctx.state.comments.push({ id: made.id, body, login: ctx.botLogin });
  } else if (existing.body !== body) {
    await octokit.rest.issues.updateComment({ owner: ctx.issue.owner, repo: ctx.issue.repo, comment_id: existing.id, body });
    existing.body = body;
  }
}

export async function updatePack(octokit: Octokit, ctx: AnnounceCtx, extras: PackExtras = {}): Promise<void> {
  const body = await renderPack(ctx.record, ctx.config, ctx.facts, ctx.now, ctx.overrides, extras);
  await upsertOwnComment(octokit, ctx, PACK_MARKER, body);
}
