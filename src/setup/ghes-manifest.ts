import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * What app.yml asks for that GitHub Enterprise Server does not have: repository security
 * advisories. GHES's REST description (@octokit/openapi `ghes-3.17` to `ghes-3.19`) has no
 * `repository_advisory` webhook and no `/repos/{owner}/{repo}/security-advisories` paths, and GitHub
 * refuses a whole manifest that subscribes to an event it does not support ("Default events
 * unsupported: …"), so the setup page would register nothing. The permission goes with its event.
 */
export const GHES_MISSING = { events: ["repository_advisory"], permissions: ["repository_advisories"] } as const;

/** Pure: the manifest JSON Probot built from app.yml, without what GHES does not have. */
export function manifestForGhes(json: string): string {
  const manifest = JSON.parse(json) as { default_events?: string[]; default_permissions?: Record<string, string> };
  const events = (manifest.default_events ?? []).filter((e) => !(GHES_MISSING.events as readonly string[]).includes(e));
  const permissions = Object.fromEntries(Object.entries(manifest.default_permissions ?? {}).filter(([p]) => !(GHES_MISSING.permissions as readonly string[]).includes(p)));
  return JSON.stringify({ ...manifest, default_events: events, default_permissions: permissions });
}

/**
 * Only Probot's setup mode (no app id or key yet) builds a manifest, and only GitHub Enterprise
 * Server needs it changed: every other start is left exactly as `probot run` makes it.
 */
export function setupNeedsGhesManifest(env: NodeJS.ProcessEnv): boolean {
  // Whether a key is set, by name only: its value is never read here.
  const credentials = Boolean(env.APP_ID) && ["PRIVATE_KEY", "PRIVATE_KEY_PATH"].some((name) => Boolean(env[name]));
  return Boolean(env.GHE_HOST) && !credentials;
}

type ManifestBuilder = { prototype: { getManifest: (this: unknown, options: unknown) => string } };

/**
 * Probot's setup page (`npm start` without credentials) builds its manifest from app.yml in
 * `ManifestCreation#getManifest`, which it neither exports nor lets a caller change. This wraps
 * that method so that, when `GHE_HOST` is set as the page is served (Probot's setup then posts to
 * `https://<GHE_HOST>/settings/apps/new`), the manifest leaves out what GHES does not have. With
 * `GHE_HOST` unset it is app.yml's as before. Throws when Probot's internals moved (an upgrade):
 * then the page would silently register a manifest GHES refuses. Returns the undo.
 */
export async function patchSetupManifest(env: NodeJS.ProcessEnv = process.env): Promise<() => void> {
  const probotLib = dirname(createRequire(import.meta.url).resolve("probot"));
  const mod = (await import(pathToFileURL(join(probotLib, "manifest-creation.js")).href)) as { ManifestCreation?: ManifestBuilder };
  const proto = mod.ManifestCreation?.prototype;
  const original = proto?.getManifest;
  if (!proto || typeof original !== "function") throw new Error("probot's ManifestCreation#getManifest was not found: the setup page cannot leave out what GitHub Enterprise Server lacks (see README, GitHub Enterprise Server)");
  proto.getManifest = function (this: unknown, options: unknown) {
    const json = original.call(this, options);
    return env.GHE_HOST ? manifestForGhes(json) : json;
  };
  return () => {
    proto.getManifest = original;
  };
}
