import { readFileSync } from "node:fs";
import { visibilityOf } from "../github/event-scope.js";
import { readVisibility } from "../github/leak-firewall.js";
import { APP_CREDENTIALS, appFromEnv, probotFromEnv, requireEnv, SECRET_VARIABLES, type AdapterOptions } from "./probot-from-env.js";

/**
 * The events embargo subscribes to (app.yml) that a workflow can be triggered by. A workflow on a
 * fork's pull request gets no secrets; `pull_request_target` runs in the base repository with
 * them and carries the same payload, so it is handed to the app as `pull_request`.
 */
const EVENT_NAMES: Record<string, string> = {
  issues: "issues",
  issue_comment: "issue_comment",
  pull_request: "pull_request",
  pull_request_target: "pull_request",
  pull_request_review: "pull_request_review",
};

export interface ActionOutcome {
  delivered: boolean;
  message: string;
}

interface EventPayload {
  installation?: { id: number; node_id?: string };
  repository?: { name: string; owner: { login: string }; private?: boolean; visibility?: string };
}

/**
 * Runs embargo once, in a GitHub Actions step, on the event that triggered the workflow
 * (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH). It authenticates as the embargo GitHub App with
 * APP_ID and PRIVATE_KEY and never with the workflow's GITHUB_TOKEN: under that token the gate's
 * check runs would belong to GitHub Actions, and team membership and advisories are out of reach.
 * Workflow payloads usually carry no `installation`, so the app's installation on the repository
 * is looked up (one call as the app) and the installation token is minted here, in the step.
 */
export async function runGitHubAction(options: AdapterOptions = {}): Promise<ActionOutcome> {
  const env = options.env ?? process.env;
  const eventName = env.GITHUB_EVENT_NAME ?? "";
  if (!eventName) throw new Error("GITHUB_EVENT_NAME is not set: `embargo action` runs inside a GitHub Actions step (see action.yml)");
  const name = EVENT_NAMES[eventName];
  if (!name) {
    return { delivered: false, message: `embargo does not act on "${eventName}" events; nothing to do (it handles: ${Object.keys(EVENT_NAMES).join(", ")})` };
  }
  requireEnv(env, [
    ...APP_CREDENTIALS.map(([names, why]): [string[], string] => [names, `${why}, from the workflow's secrets (GITHUB_TOKEN cannot act as the app)`]),
    [SECRET_VARIABLES, "embargo's own secret (the action's `secret` input), the same value everywhere the app runs"],
    [["GITHUB_EVENT_PATH"], "set by GitHub Actions: run this inside a workflow step"],
  ]);
  const payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH!, "utf8")) as EventPayload;
  const repository = payload.repository;
  if (!repository) return { delivered: false, message: `the "${eventName}" event has no repository; nothing to do` };

  const probot = probotFromEnv(env, {
    ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}),
    ...options.probotOptions,
  });
  // The secret given to the step, not process.env's: a workflow maps only EMBARGO_SECRET (action.yml).
  await probot.load(options.appFn ?? appFromEnv(env)!, { cwd: process.cwd(), addHandler: () => undefined });

  const full = `${repository.owner.login}/${repository.name}`;
  if (!payload.installation?.id) {
    const appOctokit = await probot.auth();
    try {
      const { data } = await appOctokit.rest.apps.getRepoInstallation({ owner: repository.owner.login, repo: repository.name });
      payload.installation = { id: data.id };
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
      throw new Error(`the GitHub App with APP_ID ${env.APP_ID} is not installed on ${full}: install it on this repository, or check that APP_ID and PRIVATE_KEY are embargo's`);
    }
  }
  // A re-run repeats its run's payload: one from before the repository was made public still says
  // private (no `repository.publicized` reaches a workflow). GitHub's word now decides, for the log
  // and for the app alike: one call, on a private-looking repository only.
  if (visibilityOf(repository) === "private") {
    const now = await readVisibility(await probot.auth(payload.installation.id), { owner: repository.owner.login, repo: repository.name });
    if (now !== "private") Object.assign(repository, { private: now === "internal", visibility: now === "internal" ? "internal" : "public" });
  }
  // A rerun of the workflow is a new attempt of the same run: the id says which.
  const id = `action-${env.GITHUB_RUN_ID ?? "local"}-${env.GITHUB_RUN_ATTEMPT ?? "1"}`;
  // Anyone can read a public (or, enterprise-wide, an internal) repository's workflow log and the
  // step's error. What the app logs and throws names the security issue a PR is linked to and why
  // a write was stopped ("repeats the security issue's title"), whatever `log-level` says: there,
  // nothing is logged and a failure says only that it failed. The security issue gets its reply.
  // An internal repository's payload says `private: true` too: only `visibility` tells it apart.
  const publicLog = visibilityOf(repository) !== "private";
  if (publicLog) probot.log.level = "silent";
  try {
    await probot.receive({ id, name: name as never, payload: payload as never });
  } catch (error) {
    if (!publicLog) throw error;
    throw new Error(`the "${eventName}" event on ${full} failed; ${full} is not private, so its workflow log is not either: the details are not printed here (run embargo as a server, or in a private repository, to see them)`);
  }
  return { delivered: true, message: `delivered "${eventName}" on ${full} to embargo (installation ${payload.installation.id})` };
}
