/**
 * Issue 13: one conditional listing of the repo's `.github` folder answers for the config (the blob
 * sha of `embargo.yml`) and for the template overrides (the tree sha of `embargo/`). A config that
 * was the repo's own file alone is not read again while the listing shows its sha; an edit shows a
 * new sha and is read at once; a config from the owner's `.github` repo is read each event.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { blobSha, readContent } from "../../src/github/conditional-read.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { BOT, createTestProbot, INSTALLATION_ID, labeledEvent, mockIdentity, mockToken } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";

const counts = vi.hoisted(() => ({ parses: 0 }));
vi.mock("@probot/octokit-plugin-config", async (original) => {
  const real = await original<typeof import("@probot/octokit-plugin-config")>();
  return { ...real, composeConfigGet: (...args: Parameters<typeof real.composeConfigGet>) => (counts.parses++, real.composeConfigGet(...args)) };
});

const CONFIG = `/repos/acme/security/contents/${encodeURIComponent(".github/embargo.yml")}`;
const ORG_CONFIG = `/repos/acme/.github/contents/${encodeURIComponent(".github/embargo.yml")}`;
const PARENT = "/repos/acme/security/contents/.github";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
  counts.parses = 0;
});
afterEach(() => gh.done());

/** GitHub as it answers a conditional read: 304 while the ETag sent is the content's, else 200 with it; 404 while absent. */
function conditional(body: () => unknown, type: string) {
  return function (this: { req: { headers: Record<string, string | undefined> } }) {
    const data = body();
    if (data === undefined) return [404, { message: "Not Found" }];
    const etag = `W/"${blobSha(typeof data === "string" ? data : JSON.stringify(data))}"`;
    if (this.req.headers["if-none-match"] === etag) return [304, ""];
    return [200, data, { etag, "content-type": type }];
  } as never;
}

/** The security repo with its config in its own `.github` (or, with `org`, only in the owner's `.github` repo). */
function world(options: { org?: boolean } = {}) {
  const store = new MemoryStore();
  const w = { store, probot: createTestProbot(undefined, { store }), yaml: "label: vuln\n", responses: new Map<number, string>() };
  mockToken(gh);
  mockIdentity(gh);
  const s = gh.scope().persist();
  const own = () => (options.org ? undefined : w.yaml);
  s.get(CONFIG).reply(conditional(own, "text/plain; charset=utf-8"));
  if (options.org) s.get(ORG_CONFIG).reply(conditional(() => w.yaml, "text/plain; charset=utf-8"));
  // The folder as GitHub lists it: the config's blob sha (when it is there), no overrides.
  const listing = () => [{ type: "file", name: "CODEOWNERS", path: ".github/CODEOWNERS", sha: blobSha("* @acme/sec\n") }, ...(own() === undefined ? [] : [{ type: "file", name: "embargo.yml", path: ".github/embargo.yml", sha: blobSha(own()!) }])];
  s.get(PARENT).reply(conditional(listing, "application/json; charset=utf-8"));
  s.get(/\/repos\/acme\/security\/issues\/\d+\/comments/).query(true).optionally().reply(200, []);
  s.post(/\/repos\/acme\/security\/issues\/\d+\/comments/).optionally().reply(201, (uri, b: any) => {
    w.responses.set(Number(/issues\/(\d+)/.exec(uri)![1]), b.body);
    return { id: 500 + w.responses.size, body: b.body, user: { login: BOT, type: "Bot" } };
  });
  s.post(/\/repos\/acme\/security\/issues\/\d+\/labels/).optionally().reply(200, []);
  return w;
}

/** The security-labelled issue `n` is reported with `label`. */
const report = (w: ReturnType<typeof world>, n: number, label: string) => w.probot.receive(labeledEvent({ number: n, label }));
const reads = (from: number) => gh.requests.slice(from).filter((r) => r.path.includes("/contents/")).map((r) => [r.path, r.status]);

describe("one listing of .github answers for the config and the overrides", () => {
  it("a second event whose listing answers 304 reads no config file, parses nothing, and the config is still in force", async () => {
    const w = world();
    await report(w, 7, "vuln");
    expect(w.responses.has(7)).toBe(true);
    expect(counts.parses).toBe(1);

    const mark = gh.requests.length;
    await report(w, 8, "vuln");
    expect(reads(mark)).toEqual([[PARENT, 304]]);
    expect(counts.parses).toBe(1);
    // `label: vuln` is the file's: the app answers an issue labelled with it.
    expect(w.responses.has(8)).toBe(true);
  });

  it("an edited config (a new blob sha in the listing) is read and applied at once", async () => {
    const w = world();
    await report(w, 7, "vuln");
    await report(w, 8, "vuln");
    w.yaml = "label: embargoed\n";

    const mark = gh.requests.length;
    await report(w, 9, "vuln");
    expect(reads(mark)).toEqual([
      [PARENT, 200],
      [CONFIG, 200],
    ]);
    expect(gh.requests.slice(mark).find((r) => r.path === CONFIG)?.ifNoneMatch).toBe(`W/"${blobSha("label: vuln\n")}"`);
    expect(w.responses.has(9)).toBe(false);
    await report(w, 10, "embargoed");
    expect(w.responses.has(10)).toBe(true);
  });

  it("a config from the owner's .github repo still works and is re-checked each event, the listing notwithstanding", async () => {
    const w = world({ org: true });
    await report(w, 7, "vuln");
    expect(w.responses.has(7)).toBe(true);

    const mark = gh.requests.length;
    await report(w, 8, "vuln");
    expect(reads(mark)).toEqual([
      [CONFIG, 404],
      [ORG_CONFIG, 304],
      [PARENT, 304],
    ]);
    expect(w.responses.has(8)).toBe(true);

    w.yaml = "label: embargoed\n";
    await report(w, 9, "vuln");
    await report(w, 10, "embargoed");
    expect([w.responses.has(9), w.responses.has(10)]).toEqual([false, true]);
  });

  it("a listing an older version stored (folders only) is not trusted: the folder is read afresh", async () => {
    const w = world();
    await report(w, 7, "vuln");
    const key = "content:acme/security:.github";
    const stored = JSON.parse((await w.store.get(key))!);
    await w.store.set(key, JSON.stringify({ ...stored, data: { embargo: "t0" } }), 60_000);

    const mark = gh.requests.length;
    await report(w, 8, "vuln");
    expect(reads(mark)).toEqual([
      [CONFIG, 304],
      [PARENT, 200],
    ]);
    expect(gh.requests.slice(mark).find((r) => r.path === PARENT)?.ifNoneMatch).toBeUndefined();
    expect(w.responses.has(8)).toBe(true);
  });
});

describe("blobSha is git's blob sha of the raw text", () => {
  // From `git hash-object`: the sha GitHub's folder listing gives the same file.
  it.each([
    ["", "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"],
    ["hello\n", "ce013625030ba8dba906f756967f9e9ca394464a"],
    ["team: acme/sec\r\nlabel: sécurité ✓\n", "5307283e5dab0b6392ff6b86c530f5868283a30a"],
  ])("%j", (text, sha) => {
    expect(blobSha(text)).toBe(sha);
  });

  it("the sha a raw read remembers for the file is that sha", async () => {
    const text = "team: acme/sec\r\nlabel: sécurité ✓\n";
    mockToken(gh);
    const probot = createTestProbot();
    const octokit = await probot.auth(INSTALLATION_ID);
    gh.api.get(CONFIG).reply(200, text, { "content-type": "text/plain; charset=utf-8", etag: 'W/"x"' });
    const read = await readContent(octokit, new MemoryStore(), { owner: "acme", repo: "security", path: ".github/embargo.yml", mediaType: { format: "raw" } }, (d) => d);
    expect(read.sha).toBe(blobSha(text));
  });
});
