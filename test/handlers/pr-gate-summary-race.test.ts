/**
 * Two edits of a linked PR handled at once by two instances: the run the later one read before the
 * response's lock said the same as the one the other wrote meanwhile in all but its summary (which
 * places to reword). The app's memory of what it wrote must tell them apart: taken as read, the
 * later verdict, equal to the run as read, is not written, and the gate sends the author to reword
 * a place that no longer names anything.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RedisStore } from "../../src/store/redis-store.js";
import type { Store } from "../../src/store/store.js";
import { storeKinds, testRedis } from "../helpers/redis.js";
import { commentList, createTestProbot, mockIdentity, mockToken, SECURITY_REPO_ID, type StoredComment } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { APP_ID, commentIdOf, CVE, HEAD, PRODUCT_YAML, prEvent, pull, RUNS, SEALED, SECURITY_YAML, serveTeam, storeResponse } from "../pr/fixtures.js";

const redis = await testRedis();
const opened: RedisStore[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
  await redis.stop();
});

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const CONFIG = (repo: string) => `/repos/${repo}/contents/${encodeURIComponent(".github/embargo.yml")}`;

function at(p: ReturnType<typeof pull>, updated: string) {
  p.updated_at = updated;
  return p;
}

/** Security issue #7, its response comment served and kept current, however often it is read. */
function serveResponse(stored: StoredComment[]) {
  const issue = "/repos/acme/security/issues/7";
  const labels = ["security", "security: fixing", "severity: high"];
  gh.api.get(issue).optionally().times(20).reply(200, { number: 7, title: "Report 7", state: "open", user: { login: "reporter" }, html_url: `https://github.com${issue.slice(6)}`, url: `https://api.github.com${issue}`, labels: labels.map((name) => ({ name })) });
  gh.api.get(`${issue}/comments`).query(true).optionally().times(20).reply(200, () => commentList(stored));
  gh.api
    .get(`/repos/acme/security/issues/comments/${commentIdOf(7)}`)
    .optionally()
    .times(20)
    .reply(() => [200, { ...commentList(stored)[0], issue_url: `https://api.github.com${issue}` }]);
  gh.api
    .patch(`/repos/acme/security/issues/comments/${commentIdOf(7)}`)
    .optionally()
    .times(20)
    .reply(200, (_u, b: any) => {
      stored[0]!.body = b.body;
      return { id: commentIdOf(7) };
    });
  gh.api.post(`${issue}/labels`).optionally().times(20).reply(200, []);
}

/** `store` as one instance sees it, whose per-response lock is taken only once `open` settles. */
function lockLater(store: Store, open: Promise<void>, waiting: () => void): Store {
  return new Proxy(store, {
    get(target, name) {
      const value = Reflect.get(target, name, target) as unknown;
      if (typeof value !== "function") return value;
      const bound = (value as (...a: unknown[]) => unknown).bind(target);
      if (name !== "setIfAbsent") return bound;
      return async (key: string, ...rest: unknown[]) => {
        if (key.startsWith("lock:")) {
          waiting();
          await open;
        }
        return bound(key, ...rest);
      };
    },
  });
}

describe.each(storeKinds(redis, opened, "one store shared in-process"))("the CVE moved from the title to the body and back, the last two edits handled at once (%s)", (_name, make, available) => {
  it.skipIf(!available)("the gate's summary names the title that names the CVE, not the description the other edit left clean", async () => {
    const store = make();
    const two = createTestProbot(undefined, { store, shared: true });
    const line = { repo: "acme/product", number: 42, state: "open" as const, review: "pending" as const, base: "main", head_sha: HEAD, private: false, requested: ["owner1", "sec1", "team:core"] };
    serveResponse(await storeResponse({ state: "fixing", prs: [line] }));
    mockToken(gh);
    mockToken(gh);
    mockIdentity(gh);
    mockIdentity(gh);
    gh.api.get(CONFIG("acme/product")).optionally().times(20).reply(200, PRODUCT_YAML, { "content-type": "text/plain; charset=utf-8" });
    gh.api.get(CONFIG("acme/security")).optionally().times(20).reply(200, SECURITY_YAML, { "content-type": "text/plain; charset=utf-8" });
    gh.api.get("/repos/acme/security/contents/.github").optionally().times(20).reply(404, { message: "Not Found" });
    gh.api.get("/repos/acme/security").optionally().times(20).reply(200, { id: SECURITY_REPO_ID, name: "security", full_name: "acme/security", private: true, visibility: "private" });
    serveTeam(gh, ["sec1"]);
    gh.api.get("/repos/acme/product/pulls/42/commits").query(true).optionally().times(20).reply(200, [{ sha: HEAD, commit: { message: "Refactor the parser" } }]);
    gh.api.get("/repos/acme/product/pulls/42/reviews").query(true).optionally().times(20).reply(200, []);
    gh.api.post("/repos/acme/product/issues/42/labels").optionally().times(20).reply(200, []);
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers").optionally().times(20).reply(201, {});
    let now = at(pull(), "2026-11-22T11:00:00Z");
    gh.api.get("/repos/acme/product/pulls/42").optionally().times(20).reply(() => [200, now]);

    // The gate run on the head as GitHub holds it: what the app last wrote, summary included.
    const gate: any[] = [{ status: "completed", conclusion: "action_required", output: { title: "Waiting for review", summary: "Waiting for a required reviewer to approve the current head commit. A new push needs a new approval." }, external_id: SEALED }];
    const listed = () => ({ total_count: 1, check_runs: [{ id: 77, name: "review gate", external_id: gate.at(-1).external_id, status: gate.at(-1).status, conclusion: gate.at(-1).conclusion, output: gate.at(-1).output, app: { id: APP_ID, slug: "embargo" } }] });
    gh.api.get(RUNS("acme/product", HEAD)).query(true).optionally().times(20).reply(() => [200, listed()]);
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => (gate.push({ ...gate.at(-1), ...b }), true)).optionally().times(20).reply(200, {});

    // 11:05 the author names the CVE in the title: the gate fails and says where.
    now = at(pull({ title: `Fix ${CVE}` }), "2026-11-22T11:05:00Z");
    await two.receive(prEvent("edited", now, { changes: { title: { from: "Tighten input handling" } } }));
    const inTitle = gate.at(-1);
    expect(inTitle).toMatchObject({ conclusion: "failure" });
    expect(inTitle.output.summary).toMatch(/the title:/);

    // Instance one: 11:07, the title names it again and the description is clean; it read the gate as above, and waits for the lock.
    let open!: () => void;
    let waiting!: () => void;
    const atLock = new Promise<void>((r) => (waiting = r));
    const one = createTestProbot(undefined, { store: lockLater(store, new Promise<void>((r) => (open = r)), waiting), shared: true });
    const last = at(pull({ title: `Fix ${CVE}` }), "2026-11-22T11:07:00Z");
    const late = one.receive(prEvent("edited", last, { changes: { body: { from: `Fixes ${CVE}.` } } }));
    await atLock;

    // Instance two first: 11:06, the title cleaned and the CVE put in the description. The gate fails, naming it.
    await two.receive(prEvent("edited", at(pull({ body: `Fixes ${CVE}.` }), "2026-11-22T11:06:00Z"), { changes: { title: { from: `Fix ${CVE}` } } }));
    expect(gate.at(-1)).toMatchObject({ conclusion: "failure", output: { title: inTitle.output.title } });
    expect(gate.at(-1).output.summary).toMatch(/the description:/);

    now = last;
    open();
    await late;

    // What the author sees last: the place that names the CVE now, the title.
    expect(gate.at(-1)).toMatchObject({ conclusion: "failure", output: { title: inTitle.output.title } });
    expect(gate.at(-1).output.summary).toMatch(/the title:/);
    expect(gate.at(-1).output.summary).not.toMatch(/the description:/);
  });
});
