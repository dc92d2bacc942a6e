import { createServer } from "node:net";
import { readFileSync } from "node:fs";
import nock from "nock";
import { run } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GHES_MISSING, manifestForGhes, patchSetupManifest, setupNeedsGhesManifest } from "../../src/setup/ghes-manifest.js";
import { GHES_HOST } from "../helpers/github-api.js";

/**
 * `npm start` without credentials is `probot run ./lib/index.js` in setup mode: Probot serves a
 * page whose "Register GitHub App" button posts the manifest built from `app.yml`. The manifest
 * sits in an HTML attribute quoted with `'` that Probot does not escape, so this reads the page the
 * way a browser does: the attribute value ends at the next `'`, and entities in it are decoded.
 * Probot's `run` is called in this process (to hand it a fake smee); setup mode loads no app, so
 * that is what the page depends on. `quick-start.test.ts` runs `npm start`'s own command line.
 */

const ENV_KEYS = ["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_SECRET", "WEBHOOK_PROXY_URL", "NO_SMEE_SETUP", "PROJECT_DOMAIN", "GHE_HOST", "GH_ORG", "PORT", "HOST", "LOG_LEVEL", "NODE_ENV"];
let saved: Record<string, string | undefined>;
let stop: (() => Promise<void>) | undefined;

beforeEach(() => {
  saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
});

afterEach(async () => {
  await stop?.();
  stop = undefined;
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  nock.cleanAll();
  nock.enableNetConnect();
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/** HTML attribute decoding as a browser does it; an entity this does not know fails the test. */
function decodeAttribute(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);?/gi, (whole, name: string) => {
    if (name[0] === "#") return String.fromCodePoint(name[1]?.toLowerCase() === "x" ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
    const known = NAMED[name.toLowerCase()];
    if (known === undefined) throw new Error(`the manifest contains ${whole}, which a browser would decode`);
    return known;
  });
}

/** The value the form submits as `manifest`, exactly as a browser parses the button's attributes. */
function submittedManifest(html: string): string {
  const button = /<button\b[^>]*\bname="manifest"[^>]*>/.exec(html);
  expect(button, "the setup page has a manifest button").not.toBeNull();
  const value = /\bvalue='([^']*)'/.exec(button![0]);
  expect(value, "the manifest button has a value").not.toBeNull();
  return decodeAttribute(value![1]!);
}

/** The form's target: where the browser posts the manifest (Probot's setup uses GHE_HOST). */
function formAction(html: string): string | undefined {
  return /<form\b[^>]*\baction="([^"]*)"/.exec(html)?.[1];
}

/** Starts the setup mode as `npm start` does (no APP_ID, no key), with a fake smee. */
async function startSetup(smee: string | undefined): Promise<string> {
  const port = await freePort();
  process.env.PORT = String(port);
  process.env.HOST = "127.0.0.1";
  process.env.LOG_LEVEL = "fatal";
  if (smee === undefined) process.env.NO_SMEE_SETUP = "true";
  const written: NodeJS.ProcessEnv[] = [];
  const server = await run(["./lib/index.js"], {
    env: { ...process.env },
    // Probot writes the smee channel into .env; here it only goes into process.env.
    updateEnv: (env: NodeJS.ProcessEnv) => (written.push(env), Object.assign(process.env, env), env),
    SmeeClient: { createChannel: async () => smee },
  });
  stop = () => server.stop();
  return `http://127.0.0.1:${port}`;
}

const EXPECTED_PERMISSIONS = {
  metadata: "read",
  issues: "write",
  pull_requests: "write",
  checks: "write",
  merge_queues: "read",
  contents: "write",
  members: "read",
  repository_advisories: "write",
};
const EXPECTED_EVENTS = ["issues", "issue_comment", "pull_request", "pull_request_review", "merge_group", "repository_advisory", "repository"];

describe("Probot's setup page (npm start without credentials)", () => {
  it("submits a manifest that parses, with the app's name, permissions, events and the smee channel as webhook URL", async () => {
    const base = await startSetup("https://smee.io/embargo-test-channel");
    const res = await fetch(`${base}/probot`);
    expect(res.status).toBe(200);
    const manifest = JSON.parse(submittedManifest(await res.text()));

    expect(manifest.name).toBe("embargo");
    expect(manifest.description).toMatch(/security response/);
    expect(manifest.default_permissions).toEqual(EXPECTED_PERMISSIONS);
    expect(manifest.default_events).toEqual(EXPECTED_EVENTS);
    expect(manifest.hook_attributes).toEqual({ url: "https://smee.io/embargo-test-channel" });
    expect(manifest.redirect_url).toBe(`${base}/probot/setup`);
    expect(manifest.public).toBe(false);
  });

  it("without smee, points the webhook at the base URL Probot derives (set the real one in production)", async () => {
    const base = await startSetup(undefined);
    const manifest = JSON.parse(submittedManifest(await (await fetch(`${base}/probot`)).text()));
    expect(manifest.hook_attributes).toEqual({ url: `${base}/` });
  });

  it("app.yml has nothing that cuts the attribute short or that a browser would decode", () => {
    const yaml = readFileSync(new URL("../../app.yml", import.meta.url), "utf8");
    const values = yaml
      .split("\n")
      .filter((line) => !/^\s*#/.test(line))
      .map((line) => line.replace(/\s+#.*$/, ""));
    expect(values.filter((line) => /['&]/.test(line))).toEqual([]);
    expect(yaml).not.toMatch(/^hook_attributes:/m);
  });
});

/**
 * GitHub Enterprise Server has no repository security advisories: no `repository_advisory` event
 * and no `/repos/{o}/{r}/security-advisories` paths in its REST description (@octokit/openapi
 * ghes-3.17 to 3.19), and GitHub refuses a manifest subscribing to an event it does not support.
 * `npm start` (src/setup/start.ts) has the page leave them out when GHE_HOST is set.
 */
describe("the setup page with GHE_HOST (GitHub Enterprise Server)", () => {
  let undo: (() => void) | undefined;
  afterEach(() => {
    undo?.();
    undo = undefined;
  });

  it("posts to the GHES host a manifest without the advisory event and permission, the rest as app.yml has it", async () => {
    undo = await patchSetupManifest(process.env);
    process.env.GHE_HOST = GHES_HOST;
    const base = await startSetup("https://smee.io/embargo-test-channel");
    const html = await (await fetch(`${base}/probot`)).text();
    expect(formAction(html)).toBe(`https://${GHES_HOST}/settings/apps/new`);
    const manifest = JSON.parse(submittedManifest(html));
    const { repository_advisories, ...permissions } = EXPECTED_PERMISSIONS;
    expect(repository_advisories).toBe("write");
    expect(manifest.default_permissions).toEqual(permissions);
    expect(manifest.default_events).toEqual(EXPECTED_EVENTS.filter((e) => e !== "repository_advisory"));
    expect(manifest.name).toBe("embargo");
    expect(manifest.hook_attributes).toEqual({ url: "https://smee.io/embargo-test-channel" });
    expect(manifest.redirect_url).toBe(`${base}/probot/setup`);
  });

  it("without GHE_HOST the same page (patched, as `npm start` runs it) submits app.yml's manifest unchanged", async () => {
    undo = await patchSetupManifest(process.env);
    const base = await startSetup("https://smee.io/embargo-test-channel");
    const html = await (await fetch(`${base}/probot`)).text();
    expect(formAction(html)).toBe("https://github.com/settings/apps/new");
    const manifest = JSON.parse(submittedManifest(html));
    expect(manifest.default_permissions).toEqual(EXPECTED_PERMISSIONS);
    expect(manifest.default_events).toEqual(EXPECTED_EVENTS);
  });

  it("`npm start` wraps the page only in setup mode with GHE_HOST: every other start is `probot run`'s", () => {
    expect(setupNeedsGhesManifest({ GHE_HOST: GHES_HOST })).toBe(true);
    expect(setupNeedsGhesManifest({ GHE_HOST: GHES_HOST, APP_ID: "1" })).toBe(true);
    expect(setupNeedsGhesManifest({ GHE_HOST: GHES_HOST, APP_ID: "1", PRIVATE_KEY_PATH: "key.pem" })).toBe(false);
    expect(setupNeedsGhesManifest({ GHE_HOST: GHES_HOST, APP_ID: "1", PRIVATE_KEY: "-----BEGIN" })).toBe(false);
    expect(setupNeedsGhesManifest({})).toBe(false);
  });

  it("manifestForGhes drops exactly what GHES lacks", () => {
    const json = JSON.stringify({ name: "x", default_events: ["issues", "repository_advisory"], default_permissions: { issues: "write", repository_advisories: "write" } });
    expect(JSON.parse(manifestForGhes(json))).toEqual({ name: "x", default_events: ["issues"], default_permissions: { issues: "write" } });
    expect(GHES_MISSING).toEqual({ events: ["repository_advisory"], permissions: ["repository_advisories"] });
  });
});

