import type { Probot } from "probot";

/**
 * The app's bot login (`<slug>[bot]`), asked of GitHub once per process: the app trusts hidden
 * markers only in comments written by this login, so nobody else can forge a response record.
 */
export function appIdentity(app: Probot): () => Promise<string> {
  let login: Promise<string> | undefined;
  return () => {
    login ??= app
      .auth()
      .then((octokit) => octokit.rest.apps.getAuthenticated())
      .then(({ data }) => `${data?.slug ?? "embargo"}[bot]`)
      .catch((error: unknown) => {
        login = undefined;
        throw error;
      });
    return login;
  };
}
