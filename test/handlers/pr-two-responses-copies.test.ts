/**
 * A PR linked from two responses, a late delivery of its older copy: the copy it reads from GitHub
 * under the first response's lock must not be reused under the second's once a newer copy was
 * handled there meanwhile (another delivery, handled at once): reused, it writes the older copy's
 * verdict last, and an approval opens the gate on a title that names the CVE.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RedisStore } from "../../src/store/redis-store.js";
import type { Store } from "../../src/store/store.js";
import { storeKinds, testRedis } from "../helpers/redis.js";
import { commentList, createTestProbot, mockIdentity, mockToken, SECURITY_REPO_ID, type StoredComment } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { commentIdOf, CVE, HEAD, PRODUCT_REPO_ID, PRODUCT_YAML, prEvent, pull, reviewEvent, RUNS, runList, sealer, SECURITY_YAML, serveTeam, storeResponse } from "../pr/fixtures.js";

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

/** The PR as GitHub sent it at `updated` (its `updated_at`). */
function at(p: ReturnType<typeof pull>, updated: string) {
  p.updated_at = updated;
  return p;
}

/** Security issue #n, its response comment served and kept current, however often it is read. */
function serveResponse(n: number, stored: StoredComment[]) {
  const issue = `/repos/acme/security/issues/${n}`;
  const labels = ["security", "security: fixing", "severity: high"];
  gh.api.get(issue).optionally().times(20).reply(200, { number: n, title: `Report ${n}`, state: "open", user: { login: "reporter" }, html_url: `https://github.com${issue.slice(6)}`, url: `https://api.github.com${issue}`, labels: labels.map((name) => ({ name })) });
  gh.api.get(`${issue}/comments`).query(true).optionally().times(20).reply(200, () => commentList(stored));
  gh.api
    .get(`/repos/acme/security/issues/comments/${commentIdOf(n)}`)
    .optionally()
    .times(20)
    .reply(() => [200, { ...commentList(stored)[0], issue_url: `https://api.github.com${issue}` }]);
  gh.api
    .patch(`/repos/acme/security/issues/comments/${commentIdOf(n)}`)
    .optionally()
    .times(20)
    .reply(200, (_u, b: any) => {
      stored[0]!.body = b.body;
      return { id: commentIdOf(n) };
    });
  gh.api.post(`${issue}/labels`).optionally().times(20).reply(200, []);
}

/** `store` as one instance sees it: the lock of the second response it asks for is taken only once `open` settles. */
function secondLockLater(store: Store, open: Promise<void>, waiting: () => void): Store {
  const locks = new Set<string>();
  return new Proxy(store, {
    get(target, name) {
      const value = Reflect.get(target, name, target) as unknown;
      if (typeof value !== "function") return value;
      const bound = (value as (...a: unknown[]) => unknown).bind(target);
      if (name !== "setIfAbsent") return bound;
      return async (key: string, ...rest: unknown[]) => {
        if (key.startsWith("lock:") && !locks.has(key)) {
          locks.add(key);
          if (locks.size === 2) {
            waiting();
            await open;
          }
        }
        return bound(key, ...rest);
      };
    },
  });
}

describe.each(storeKinds(redis, opened, "one store shared in-process"))("a PR linked from two responses, an approval's late delivery and a title edit handled at once (%s)", (_name, make, available) => {
  it.skipIf(!available)("the copy read for the first response is not reused for the second after the edit: the PR naming the CVE is not left approved", async () => {
    const store = make();
    let open!: () => void;
    let waiting!: () => void;
    const atLock = new Promise<void>((r) => (waiting = r));
    const one = createTestProbot(undefined, { store: secondLockLater(store, new Promise<void>((r) => (open = r)), waiting), shared: true });
    const two = createTestProbot(undefined, { store, shared: true });
    const both = sealer.seal({ key: "acme/product#42", repoId: PRODUCT_REPO_ID }, [7, 8].map((n) => ({ key: `acme/security#${n}`, repoId: SECURITY_REPO_ID })));
    const line = { repo: "acme/product", number: 42, state: "open" as const, review: "pending" as const, base: "main", head_sha: HEAD, private: false, requested: ["owner1", "sec1", "team:core"] };
    serveResponse(7, await storeResponse({ state: "fixing", prs: [line] }, 7));
    serveResponse(8, await storeResponse({ state: "fixing", prs: [line] }, 8));
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
    gh.api.get("/repos/acme/product/pulls/42/reviews").query(true).optionally().times(20).reply(200, [{ id: 1, user: { login: "sec1" }, state: "APPROVED", commit_id: HEAD, body: "", submitted_at: "2026-11-22T11:00:00Z" }]);
    gh.api.post("/repos/acme/product/issues/42/labels").optionally().times(20).reply(200, []);
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers").optionally().times(20).reply(201, {});

    // GitHub's gate run on the head, as the app last wrote it.
    const gate: any[] = [{ conclusion: "action_required", output: { title: "Waiting for review" }, external_id: both }];
    gh.api
      .get(RUNS("acme/product", HEAD))
      .query(true)
      .optionally()
      .times(20)
      .reply(() => [200, runList([{ id: 77, external_id: gate.at(-1).external_id ?? both, status: "completed", conclusion: gate.at(-1).conclusion, title: gate.at(-1).output.title }])]);
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => (gate.push({ ...gate.at(-1), ...b }), true)).optionally().times(20).reply(200, {});
    // The PR as GitHub has it now.
    const clean = at(pull(), "2026-11-22T11:00:00Z");
    let now = clean;
    gh.api.get("/repos/acme/product/pulls/42").optionally().times(20).reply(() => [200, now]);

    // 11:00 sec1 approves the head: the gate opens.
    await two.receive(reviewEvent(clean, "sec1", "approved"));
    expect(gate.at(-1)).toMatchObject({ conclusion: "success", output: { title: "Approved" } });

    // The approval delivered again: its copy no newer than one handled, the PR is read from GitHub
    // (still clean) under #7's lock; then the instance waits for #8's.
    const late = one.receive(reviewEvent(at(pull(), "2026-11-22T11:00:00Z"), "sec1", "approved"));
    await atLock;

    // Meanwhile 11:05, the author names the CVE in the title: handled for both responses, the gate fails.
    now = at(pull({ title: `Fix ${CVE}` }), "2026-11-22T11:05:00Z");
    await two.receive(prEvent("edited", now, { changes: { title: { from: "Tighten input handling" } } }));
    expect(gate.at(-1)).toMatchObject({ conclusion: "failure", output: { title: "Wording needs a change (2)" } });
    const failedAt = gate.length;

    open();
    await late;

    // What the public sees from then on: the PR whose title names the CVE is never shown approved.
    expect(gate.slice(failedAt).filter((g) => g.conclusion !== "failure")).toEqual([]);
    expect(gate.at(-1)).toMatchObject({ conclusion: "failure" });
  });
});
