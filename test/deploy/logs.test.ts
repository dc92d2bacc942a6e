/**
 * What a deployment's log holds when a delivery fails: the failure (which request, which status,
 * which delivery), never the embargoed text the delivery was about. Logs are read by more people
 * than the security team (log stores, Sentry, and in the GitHub Action the workflow log, public on
 * a public repository). Each entry point the deployments use: the Lambda handler, the Node
 * middleware (`probot run` serves the same @octokit/webhooks middleware) and the Action.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { pino } from "pino";
import type { Options, Probot } from "probot";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createLambdaHandler } from "../../src/adapters/aws-lambda.js";
import { runGitHubAction } from "../../src/adapters/github-action.js";
import { embargoMiddleware } from "../../src/adapters/node-middleware.js";
import { createApp } from "../../src/index.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { mockIdentity, mockToken, mockVisibility, NOW, TEST_SECRET } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { fakeSecurityIssue, RESPONSE_ID, sendCommand } from "../helpers/security-issue.js";
import { expectReply, mockLinkedPrReads, pull, reviewEvent, storeResponse, TITLE } from "../pr/fixtures.js";
import { deployEnv, probotOptions, sign } from "./deploy-helpers.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

type Delivery = { id: string; name: string; payload: unknown };
/** Hands one delivery to an entry point, as GitHub or a workflow would. */
type EntryPoint = (options: { appFn: ReturnType<typeof createApp>; probotOptions: Options }) => Promise<(d: Delivery) => Promise<void>>;

/** The step's environment for a workflow triggered by `d` (action.yml maps no webhook secret). */
function actionEnv(d: Delivery): NodeJS.ProcessEnv {
  const file = join(mkdtempSync(join(tmpdir(), "embargo-log-")), "event.json");
  writeFileSync(file, JSON.stringify(d.payload));
  return { ...deployEnv({ GITHUB_EVENT_NAME: d.name, GITHUB_EVENT_PATH: file, GITHUB_RUN_ID: "9", EMBARGO_SECRET: TEST_SECRET }), WEBHOOK_SECRET: "" };
}

function captureLog() {
  const lines: string[] = [];
  return { lines, log: pino({ level: "info" }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) })) };
}

const ENTRY_POINTS: Record<string, EntryPoint> = {
  "the Lambda handler": async (o) => {
    const lambda = createLambdaHandler({ env: deployEnv(), ...o });
    return async (d) => {
      const body = JSON.stringify(d.payload);
      const headers = { "x-github-event": d.name, "x-github-delivery": d.id, "x-hub-signature-256": sign(body) };
      expect((await lambda({ headers, body: Buffer.from(body).toString("base64"), isBase64Encoded: true, requestContext: { http: { method: "POST" } } })).statusCode).toBe(500);
    };
  },
  "the Node middleware": async (o) => {
    const middleware = await embargoMiddleware({ env: deployEnv(), ...o });
    return async (d) => {
      const body = JSON.stringify(d.payload);
      const headers = { "content-type": "application/json", "x-github-event": d.name, "x-github-delivery": d.id, "x-hub-signature-256": sign(body) };
      const req = Object.assign(Readable.from([Buffer.from(body)]), { method: "POST", url: "/api/github/webhooks", headers });
      const res = { status: 0, writeHead: (s: number) => ((res.status = s), res), end: () => res };
      await middleware(req as never, res as never);
      expect(res.status).toBeGreaterThanOrEqual(500);
    };
  },
  "the GitHub Action": async (o) => async (d) => {
    // The step asks GitHub whether the repository its payload calls private still is.
    mockVisibility(gh, "acme", "security");
    await expect(runGitHubAction({ env: actionEnv(d), ...o })).rejects.toThrow("Bad Gateway");
  },
};

for (const [name, entry] of Object.entries(ENTRY_POINTS)) {
  it(`${name}: a failed delivery is logged by its id and status, without the report nor the text of the write that failed`, async () => {
    const { lines, log } = captureLog();
    const store = new MemoryStore();
    const deliver = await entry({ appFn: createApp({ now: () => NOW, secret: TEST_SECRET, dashboard: false, tickMinutes: 0, store }), probotOptions: { ...probotOptions, log } });
    // GitHub fails the response comment's update: the delivery fails, after the app has read everything.
    gh.api.patch(`/repos/acme/security/issues/comments/${RESPONSE_ID}`).reply(502, { message: "Bad Gateway" });
    const f = await fakeSecurityIssue(gh, { yaml: "label: security\n", probot: { receive: deliver } as unknown as Probot });
    f.store = store;
    const event = await sendCommand(gh, f, "/triage description heap overflow in parse_header() via a 70000-byte Host line", { title: "RCE in the HTTP parser" });

    const logged = lines.map((l) => JSON.parse(l) as { level: number; id?: string; err?: { status?: number; aggregateErrors?: Array<{ status?: number }> } });
    // The Action names a delivery by its workflow run (no X-GitHub-Delivery there).
    const failure = logged.find((l) => l.level === 50 && (l.id === event.id || l.id === "action-9-1"));
    expect(failure?.err?.status ?? failure?.err?.aggregateErrors?.[0]?.status, "the failure is logged").toBe(502);
    const text = lines.join("");
    for (const secret of ["heap overflow in parse_header()", "RCE in the HTTP parser"]) expect(text).not.toContain(secret);
  });
}

// A public repository's workflow logs are public, and so is the step's failure message: whatever the
// app logs or throws there must not tie the PR to a security response. Here the product repo's
// config makes the app try to put the security issue's title on the public PR (test/firewall/app-leaks).
// An internal repository is readable by every member of the enterprise, workflow logs included:
// GitHub's payload says `private: true` for it, and only `visibility` tells it apart.
for (const [where, visibility] of [["a public", { private: false }], ["an internal", { private: true, visibility: "internal" }]] as const) {
  it(`the GitHub Action on ${where} repository: a failed run's log and message do not tie the PR to the security issue`, async () => {
    const { lines, log } = captureLog();
    mockToken(gh);
    mockIdentity(gh);
    const stored = await storeResponse({ state: "fixing" });
    mockLinkedPrReads(gh, stored, `security_repo: acme/security\npublic_pr:\n  priority_label: "${TITLE}"\n`, { commits: true });
    const reply = expectReply(gh, stored);
    const appFn = createApp({ now: () => NOW, secret: TEST_SECRET, dashboard: false, tickMinutes: 0 });
    const p = pull();
    p.base.repo = { ...p.base.repo, ...visibility };

    const failure = await runGitHubAction({ env: actionEnv(reviewEvent(p, "sec1", "approved")), appFn, probotOptions: { ...probotOptions, log } }).then(
      () => undefined,
      (error: Error) => error.message,
    );

    expect(failure, "the step still fails").toMatch(/acme\/product/);
    expect(reply.body, "the security team is told, in the security issue").toContain("**The leak firewall stopped a write**");
    const published = `${lines.join("")}\n${failure}`;
    for (const secret of [TITLE, "acme/security", "security#7", "security issue"]) expect(published).not.toContain(secret);
  });
}

// A workflow re-run ("Re-run jobs") hands the step the payload of the run it repeats: one whose
// event fired while the repository was private says `private: true` after it was made public. Its
// log is as public as the repository is now, and so is the PR the app writes to.
it("the GitHub Action re-run on a repository made public since: GitHub's word now, not the old payload's", async () => {
  const { lines, log } = captureLog();
  mockToken(gh);
  mockIdentity(gh);
  const stored = await storeResponse({ state: "fixing" });
  mockLinkedPrReads(gh, stored, `security_repo: acme/security\npublic_pr:\n  priority_label: "${TITLE}"\n`, { commits: true });
  mockVisibility(gh, "acme", "product", "public");
  const reply = expectReply(gh, stored);
  const appFn = createApp({ now: () => NOW, secret: TEST_SECRET, dashboard: false, tickMinutes: 0 });

  const failure = await runGitHubAction({ env: actionEnv(reviewEvent(pull({ private: true }), "sec1", "approved")), appFn, probotOptions: { ...probotOptions, log } }).then(
    () => undefined,
    (error: Error) => error.message,
  );

  expect(gh.requestsTo("acme", "product").filter((r) => r.method !== "GET"), "nothing is written to the public PR").toEqual([]);
  expect(reply.body, "the security team is told, in the security issue").toContain("**The leak firewall stopped a write**");
  const published = `${lines.join("")}\n${failure}`;
  for (const secret of [TITLE, "acme/security", "security#7", "security issue"]) expect(published).not.toContain(secret);
});
