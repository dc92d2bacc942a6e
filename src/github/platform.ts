/**
 * Which GitHub the app talks to, from the REST API base URL of its Octokit. That URL is the
 * operator's (Probot's `GHE_HOST`/`GHE_PROTOCOL`, `--base-url`, or the CLI's `GHE_HOST`), never a
 * payload's, so what follows from it can be trusted.
 *
 * GitHub Enterprise Server serves its REST API at `<protocol>://<host>/api/v3` and has no
 * repository security advisories: its REST description (@octokit/openapi `ghes-3.17` to `ghes-3.19`)
 * has no `/repos/{owner}/{repo}/security-advisories` paths and no `repository_advisory` webhook.
 * api.github.com and GitHub Enterprise Cloud (`api.github.com`, or `api.<subdomain>.ghe.com` with
 * data residency) have both.
 */
export interface Platform {
  kind: "github.com" | "ghec" | "ghes";
  /** The API host, for messages (`ghes.example.com`). */
  host: string;
  /** Repository security advisories (drafts, publishing, CVE requests, the `repository_advisory` event). */
  advisories: boolean;
}

const DOTCOM: Platform = { kind: "github.com", host: "api.github.com", advisories: true };

/** Pure: the platform behind a REST API base URL. Anything that is not a GHES URL is treated as GitHub.com. */
export function platformOf(baseUrl: string | undefined): Platform {
  if (!baseUrl) return DOTCOM;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return DOTCOM;
  }
  const host = url.hostname.toLowerCase();
  // `GHE_HOST` written with a trailing slash makes `//api/v3`; a proxy may serve GHES's API under a
  // prefix of its own. Either is still GHES's REST API: GitHub.com's never ends in `/api/v3`.
  if (/\/api\/v3$/i.test(url.pathname.replace(/\/{2,}/g, "/").replace(/\/+$/, ""))) return { kind: "ghes", host: url.host, advisories: false };
  if (/^api\.[a-z0-9-]+\.ghe\.com$/.test(host)) return { kind: "ghec", host: url.host, advisories: true };
  return { ...DOTCOM, host: url.host };
}

/** The platform an Octokit instance talks to (its `baseUrl` default, set when it was made). */
export function octokitPlatform(octokit: { request: { endpoint: { DEFAULTS: { baseUrl?: string } } } }): Platform {
  return platformOf(octokit.request.endpoint.DEFAULTS.baseUrl);
}
