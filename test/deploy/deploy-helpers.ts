import { createHmac } from "node:crypto";
import { ProbotOctokit, type Options } from "probot";
import { createApp } from "../../src/index.js";
import { INSTALLATION_ID, NOW } from "../helpers/app.js";
import { testPrivateKey, type GitHubMock } from "../helpers/github-api.js";

export const WEBHOOK_SECRET = "whsec-for-tests";

/** The environment a deployment sets (.env.example), with the test key. */
export function deployEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { APP_ID: "1", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET, LOG_LEVEL: "fatal", ...extra };
}

/** As in test/helpers/app.ts: no retries or throttling between the app and nock. */
export const probotOptions: Options = {
  Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
    ...o,
    retry: { enabled: false },
    throttle: { ...(o.throttle as object), enabled: false },
  })),
};

export const testApp = createApp({ now: () => NOW, secret: "test-link-secret" });

export function sign(body: string, secret = WEBHOOK_SECRET): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/**
 * What the app does first with a labeled issue: read `.github/embargo.yml` with the installation
 * token. The file names another label, so the app stops there: one request proves it ran, as
 * the installation, whatever the handlers do after it.
 */
export function expectAppReadsConfig(gh: GitHubMock, owner = "acme", repo = "security"): { authorization?: string } {
  const seen: { authorization?: string } = {};
  gh.api.post(`/app/installations/${INSTALLATION_ID}/access_tokens`).reply(201, {
    token: "ghs_installation_token",
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    permissions: { issues: "write" },
    repository_selection: "all",
  });
  gh.api
    .get(`/repos/${owner}/${repo}/contents/${encodeURIComponent(".github/embargo.yml")}`)
    .reply(function () {
      seen.authorization = String(this.req.headers.authorization);
      return [200, "label: incident\n", { "content-type": "text/plain; charset=utf-8" }];
    });
  return seen;
}
