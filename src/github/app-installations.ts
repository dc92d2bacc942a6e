import type { Probot } from "probot";
import type { TickInstallation } from "../tick/run-tick.js";

/** Every installation of the app, each with an octokit for it (the app's JWT lists them). */
export async function appInstallations(app: Probot): Promise<TickInstallation[]> {
  const appOctokit = await app.auth();
  const installations = await appOctokit.paginate(appOctokit.rest.apps.listInstallations, { per_page: 100 });
  const out: TickInstallation[] = [];
  for (const i of installations) {
    if (i.suspended_at) continue;
    out.push({ id: i.id, octokit: await app.auth(i.id) });
  }
  return out;
}

/** An octokit for the installation that covers `owner/repo`; undefined when the app is not installed there. */
export async function repoInstallation(app: Probot, owner: string, repo: string): Promise<TickInstallation["octokit"] | undefined> {
  const appOctokit = await app.auth();
  try {
    const { data } = await appOctokit.rest.apps.getRepoInstallation({ owner, repo });
    return await app.auth(data.id);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}
