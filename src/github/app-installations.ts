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
