/**
 * Two deliveries of one linked PR handled at once, by two instances sharing one store (or by one
 * process): the older copy must not be written after the newer one. Whether a copy is the newest
 * is decided under the response's lock, where it is written: decided before it, both copies pass,
 * and whichever instance takes the lock last writes its copy, older or not.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RedisStore } from "../../src/store/redis-store.js";
import type { Store } from "../../src/store/store.js";
import { storeKinds, testRedis } from "../helpers/redis.js";
import { createTestProbot, mockConfig, mockIdentity, mockNoOverrides, mockToken, recordOf } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { CVE, HEAD, mockSyncReads, prEvent, pull, PRODUCT_YAML, reviewEvent, RUNS, runList, SEALED, SECURITY_YAML, serveComments, serveResponseById, serveRuns, serveTeam, storeResponse } from "../pr/fixtures.js";

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

const LABELS = ["security", "security: fixing", "severity: high"];
const APPROVAL = { login: "sec1", state: "APPROVED", commit_id: HEAD, submitted_at: "2026-11-22T11:00:00Z" };
/** #42 linked and waiting for its review. */
const waitingLine = { repo: "acme/product", number: 42, state: "open" as const, review: "pending" as const, base: "main", head_sha: HEAD, private: false, requested: ["owner1", "sec1", "team:core"] };
const WAITING = { id: 77, external_id: SEALED, status: "completed", conclusion: "action_required", title: "Waiting for review" };

/** The PR as GitHub sent it at `at` (its `updated_at`). */
function at(p: ReturnType<typeof pull>, updated: string) {
  p.updated_at = updated;
  return p;
}

/**
 * `store` as one instance sees it, whose per-response lock is taken only once `open` settles (the
 * other instance got there first); `waiting` is called when it first asks for it.
 */
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

describe.each(storeKinds(redis, opened, "one store shared in-process"))("an approval's delivery and the title edit after it, handled at once by two instances (%s)", (_name, make, available) => {
  it.skipIf(!available)("the approval's older copy, taking the lock last, does not open the gate on the old title: the PR naming the CVE stays blocked", async () => {
    const store = make();
    let open!: () => void;
    let waiting!: () => void;
    const atLock = new Promise<void>((r) => (waiting = r));
    const one = createTestProbot(undefined, { store: lockLater(store, new Promise<void>((r) => (open = r)), waiting), shared: true });
    const two = createTestProbot(undefined, { store, shared: true });
    const stored = await storeResponse({ state: "fixing", prs: [waitingLine] });
    const updates: any[] = [];
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => (updates.push(b), true)).optionally().times(2).reply(200, {});
    gh.api.post("/repos/acme/product/issues/42/labels").optionally().times(2).reply(200, []);

    // Both deliveries reach their instance before either has written: each reads the gate waiting.
    mockToken(gh);
    mockToken(gh);
    mockIdentity(gh);
    mockIdentity(gh);
    serveRuns(gh, "acme/product", HEAD, [WAITING]);
    serveRuns(gh, "acme/product", HEAD, [WAITING]);
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    // Instance one: sec1's 11:00 approval, its copy with the old, clean title; it waits for the lock.
    const late = one.receive(reviewEvent(at(pull(), "2026-11-22T11:00:00Z"), "sec1", "approved"));
    await atLock;

    // Instance two takes the lock first: the author's 11:05 rename after the CVE. The gate fails.
    const leaky = at(pull({ title: `Fix ${CVE}` }), "2026-11-22T11:05:00Z");
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveComments(gh, stored);
    serveTeam(gh, ["sec1"]);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: [APPROVAL], commits: [{ sha: HEAD, message: "Refactor" }], issueLabels: LABELS });
    await two.receive(prEvent("edited", leaky, { changes: { title: { from: "Tighten input handling" } } }));
    expect(updates.at(-1)).toMatchObject({ conclusion: "failure", output: { title: "Wording needs a change (2)" } });

    // Then instance one gets the lock and goes on with the approval; the gate as instance two left it.
    gh.api.get(RUNS("acme/product", HEAD)).query(true).optionally().reply(200, runList([{ ...WAITING, external_id: updates.at(-1).external_id ?? SEALED, conclusion: "failure", title: "Wording needs a change (2)" }]));
    gh.api.get("/repos/acme/product/pulls/42").optionally().reply(200, leaky);
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveResponseById(gh, stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: [APPROVAL], issueLabels: LABELS });
    open();
    await late;

    // What the public sees: the PR whose title names the CVE is never shown approved; the team's record says why.
    expect(updates.filter((u) => u.conclusion !== "failure")).toEqual([]);
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ leaks: 2 });
  });
});

describe.each(storeKinds(redis, opened, "one store shared in-process"))("three title changes in moments, the last two handled at once by two instances (%s)", (_name, make, available) => {
  it.skipIf(!available)("the newest copy, taking the lock last, fails the gate the older one opened meanwhile: the run it read before the lock is read again", async () => {
    const store = make();
    let open!: () => void;
    let waiting!: () => void;
    const atLock = new Promise<void>((r) => (waiting = r));
    const one = createTestProbot(undefined, { store: lockLater(store, new Promise<void>((r) => (open = r)), waiting), shared: true });
    const two = createTestProbot(undefined, { store, shared: true });
    // 11:00 the title named the CVE: the gate failed (the approval of this head does not open it).
    const leakyLine = { ...waitingLine, review: "approved" as const, leaks: 2 };
    const stored = await storeResponse({ state: "fixing", prs: [leakyLine] });
    const FAILED = { ...WAITING, conclusion: "failure", title: "Wording needs a change (2)" };
    const updates: any[] = [];
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => (updates.push(b), true)).optionally().times(2).reply(200, {});
    gh.api.post("/repos/acme/product/issues/42/labels").optionally().times(2).reply(200, []);
    mockToken(gh);
    mockToken(gh);
    mockIdentity(gh);
    mockIdentity(gh);
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    mockConfig(gh, "acme", "product", PRODUCT_YAML);
    serveRuns(gh, "acme/product", HEAD, [FAILED]);
    serveRuns(gh, "acme/product", HEAD, [FAILED]);

    // Instance one: 11:07, the author names the CVE again. It read the gate failed, and waits for the lock.
    const again = at(pull({ title: `Fix ${CVE}` }), "2026-11-22T11:07:00Z");
    const late = one.receive(prEvent("edited", again, { changes: { title: { from: "Tighten input handling" } } }));
    await atLock;

    // Instance two takes the lock first: 11:06, the title cleaned. The approval opens the gate.
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveComments(gh, stored);
    serveTeam(gh, ["sec1"]);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: [APPROVAL], commits: [{ sha: HEAD, message: "Refactor" }], issueLabels: LABELS });
    await two.receive(prEvent("edited", at(pull(), "2026-11-22T11:06:00Z"), { changes: { title: { from: `Fix ${CVE}` } } }));
    expect(updates.at(-1)).toMatchObject({ conclusion: "success", output: { title: "Approved" } });

    // Then instance one goes on with the newest copy.
    // The gate as instance two left it: read again only when the app knows it changed since instance one read it.
    gh.api.get(RUNS("acme/product", HEAD)).query(true).optionally().reply(200, runList([{ ...WAITING, external_id: updates.at(-1).external_id ?? SEALED, conclusion: "success", title: "Approved" }]));
    mockConfig(gh, "acme", "security", SECURITY_YAML);
    serveResponseById(gh, stored);
    mockNoOverrides(gh, "acme", "security");
    mockSyncReads(gh, { reviews: [APPROVAL], issueLabels: LABELS });
    open();
    await late;

    // What the public sees last: the PR whose title names the CVE again is blocked, not left approved.
    expect(updates.at(-1)).toMatchObject({ conclusion: "failure", output: { title: "Wording needs a change (2)" } });
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ leaks: 2 });
  });
});
