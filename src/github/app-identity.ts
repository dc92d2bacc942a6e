import type { Probot } from "probot";

export interface AppIdentity {
  /** `<slug>[bot]`: hidden markers are trusted only in comments written by this login. */
  login: string;
  /** The app's id: only check runs created by this app are read (`app.id` of the run). */
  id: number;
}

const identities = new WeakMap<Probot, () => Promise<AppIdentity>>();

/** Who the app is, asked of GitHub (`GET /app`) once per process and shared by every reader. */
function identityOf(app: Probot): () => Promise<AppIdentity> {
  let known = identities.get(app);
  if (known) return known;
  let pending: Promise<AppIdentity> | undefined;
  known = () => {
    pending ??= app
      .auth()
      .then((octokit) => octokit.rest.apps.getAuthenticated())
      .then(({ data }) => ({ login: `${data?.slug ?? "embargo"}[bot]`, id: Number(data?.id) }))
      .catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
    return pending;
  };
  identities.set(app, known);
  return known;
}

/** The app's bot login (`<slug>[bot]`). */
export function appIdentity(app: Probot): () => Promise<string> {
  const identity = identityOf(app);
  return () => identity().then((i) => i.login);
}

/** The app's id, from the same single `GET /app`. */
export function appIdOf(app: Probot): () => Promise<number> {
  const identity = identityOf(app);
  return () => identity().then((i) => i.id);
}
