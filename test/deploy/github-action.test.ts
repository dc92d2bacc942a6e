import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Probot } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runGitHubAction } from "../../src/adapters/github-action.js";
import { main } from "../../src/cli/main.js";
import { INSTALLATION_ID, labeledEvent, mockVisibility } from "../helpers/app.js";
import { loadWebhookExample, mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { deployEnv, expectAppReadsConfig, probotOptions, testApp } from "./deploy-helpers.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

/** The files and variables GitHub Actions gives a step, with the app's secrets mapped in (action.yml). */
function actionEnv(eventName: string, payload: unknown, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), "embargo-action-"));
  const file = join(dir, "event.json");
  writeFileSync(file, JSON.stringify(payload));
  const env = deployEnv({
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: file,
    GITHUB_API_URL: "https://api.github.com",
    GITHUB_RUN_ID: "1234",
    GITHUB_RUN_ATTEMPT: "1",
    // The workflow's own token is in the environment of every step: it must never be used.
    GITHUB_TOKEN: "ghs_workflow_token_never_used",
    ...extra,
  });
  delete env.WEBHOOK_SECRET;
  return { ...env, EMBARGO_SECRET: "test-link-secret" };
}

describe("the GitHub Action adapter", () => {
  it("finds the app's installation, mints its token and delivers a workflow's labeled event to the app", async () => {
    const { payload } = labeledEvent();
    delete payload.installation; // workflow event files carry no installation
    gh.api.get("/repos/acme/security/installation").reply(200, { id: INSTALLATION_ID, account: { login: "acme" } });
    // A payload that says private is checked with GitHub: a re-run repeats a payload from before the repo was made public.
    mockVisibility(gh, "acme", "security");
    const seen = expectAppReadsConfig(gh);

    const outcome = await runGitHubAction({ env: actionEnv("issues", payload), appFn: testApp, probotOptions });

    expect(outcome).toEqual({ delivered: true, message: `delivered "issues" on acme/security to embargo (installation ${INSTALLATION_ID})` });
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /repos/acme/security/installation",
      `POST /app/installations/${INSTALLATION_ID}/access_tokens`,
      "GET /repos/acme/security",
      `GET /repos/acme/security/contents/${encodeURIComponent(".github/embargo.yml")}`,
    ]);
    expect(seen.authorization).toBe("token ghs_installation_token");
  });

  it("uses the installation in the payload when there is one", async () => {
    const { payload } = labeledEvent();
    mockVisibility(gh, "acme", "security");
    const seen = expectAppReadsConfig(gh);
    const outcome = await runGitHubAction({ env: actionEnv("issues", payload), appFn: testApp, probotOptions });
    expect(outcome.delivered).toBe(true);
    expect(gh.requests.some((r) => r.path.endsWith("/installation"))).toBe(false);
    expect(seen.authorization).toBe("token ghs_installation_token");
  });

  it("hands pull_request_target (how fork PRs reach a workflow with secrets) to the app as pull_request", async () => {
    const payload = loadWebhookExample("pull_request", "opened");
    payload.installation = { id: INSTALLATION_ID };
    const names: string[] = [];
    const spy = (app: Probot) => app.on("pull_request.opened", async (context) => void names.push(`${context.name}.${context.payload.action}`));
    const outcome = await runGitHubAction({ env: actionEnv("pull_request_target", payload), appFn: spy, probotOptions });
    expect(outcome.delivered).toBe(true);
    expect(names).toEqual(["pull_request.opened"]);
  });

  it("does nothing on events the app does not handle, and says so", async () => {
    const outcome = await runGitHubAction({ env: actionEnv("schedule", { schedule: "0 * * * *" }), appFn: testApp, probotOptions });
    expect(outcome.delivered).toBe(false);
    expect(outcome.message).toMatch(/does not act on "schedule" events/);
    expect(gh.requests).toEqual([]);
  });

  it("refuses to run outside a workflow step", async () => {
    const env = actionEnv("issues", {});
    delete env.GITHUB_EVENT_NAME;
    await expect(runGitHubAction({ env, appFn: testApp, probotOptions })).rejects.toThrow("GITHUB_EVENT_NAME is not set: `embargo action` runs inside a GitHub Actions step");
  });

  it("refuses to fall back to GITHUB_TOKEN when the app's private key is missing", async () => {
    const env = actionEnv("issues", labeledEvent().payload);
    delete env.PRIVATE_KEY;
    delete env.EMBARGO_SECRET;
    await expect(runGitHubAction({ env, appFn: testApp, probotOptions })).rejects.toThrow(/PRIVATE_KEY or PRIVATE_KEY_PATH: .*GITHUB_TOKEN cannot act as the app\)\n  EMBARGO_SECRET or EMBARGO_LINK_SECRET or WEBHOOK_SECRET: embargo's own secret/);
    expect(gh.requests).toEqual([]);
  });

  it("says which app is not installed on the repository", async () => {
    const { payload } = labeledEvent();
    delete payload.installation;
    gh.api.get("/repos/acme/security/installation").reply(404, { message: "Not Found" });
    await expect(runGitHubAction({ env: actionEnv("issues", payload), appFn: testApp, probotOptions })).rejects.toThrow(
      "the GitHub App with APP_ID 1 is not installed on acme/security",
    );
  });
});

describe("action.yml", () => {
  const text = readFileSync(new URL("../../action.yml", import.meta.url), "utf8");
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { bin: Record<string, string> };

  it("runs the embargo CLI's `action` command with the app's credentials, never the workflow's token", () => {
    expect(text).toContain(`run: node ${pkg.bin.embargo} action`);
    for (const line of ["APP_ID: ${{ inputs.app-id }}", "PRIVATE_KEY: ${{ inputs.private-key }}", "EMBARGO_SECRET: ${{ inputs.secret }}"]) expect(text).toContain(line);
    const code = text.split("\n").filter((l) => !l.trim().startsWith("#") && !l.trim().startsWith("description:")).join("\n");
    expect(code).not.toMatch(/github\.token|GITHUB_TOKEN|secrets\./i);
  });

  it("`embargo action`, the command it runs, delivers the workflow's event and prints what it did", async () => {
    const { payload } = labeledEvent();
    mockVisibility(gh, "acme", "security");
    const seen = expectAppReadsConfig(gh);
    const out: string[] = [];
    // The real app, with the step's environment only: EMBARGO_SECRET and no WEBHOOK_SECRET (action.yml maps no webhook secret).
    const env = actionEnv("issues", payload);
    const saved = { EMBARGO_SECRET: process.env.EMBARGO_SECRET, WEBHOOK_SECRET: process.env.WEBHOOK_SECRET };
    delete process.env.EMBARGO_SECRET;
    delete process.env.WEBHOOK_SECRET;
    try {
      const code = await main(["action"], { env: { ...env, LOG_LEVEL: "fatal" }, out: (t) => out.push(t), err: (t) => out.push(t) });
      expect({ code, out }).toEqual({ code: 0, out: [`delivered "issues" on acme/security to embargo (installation ${INSTALLATION_ID})`] });
    } finally {
      for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
    }
    expect(seen.authorization).toBe("token ghs_installation_token");
  });
});
