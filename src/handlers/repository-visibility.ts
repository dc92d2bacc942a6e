import type { Context } from "probot";
import { forgetMadePublic, rememberMadePublic } from "../github/made-public.js";
import type { Deps } from "./response-context.js";

/**
 * `repository.publicized` / `repository.privatized`: keeps the store's list of repos made public,
 * so that an older event whose payload still says private is not believed (src/github/made-public.ts).
 * Both are idempotent: a redelivered `publicized` writes the same marker again (its expiry moves
 * on, which only keeps the doubt longer); a `privatized` forgets it only if GitHub says private now.
 */
export async function onRepositoryVisibility(deps: Deps, context: Context<"repository.publicized"> | Context<"repository.privatized">): Promise<void> {
  const { repository } = context.payload;
  if (context.payload.action === "publicized") {
    await rememberMadePublic(deps.store, repository.id, deps.now());
    context.log.info(`${repository.full_name} was made public: payloads that say private are checked with GitHub from now on`);
    return;
  }
  const forgotten = await forgetMadePublic(context.octokit, deps.store, repository.id, { owner: repository.owner.login, repo: repository.name });
  if (!forgotten) context.log.info(`${repository.full_name}: privatized, but GitHub does not say private now; payloads that say private stay checked`);
}
