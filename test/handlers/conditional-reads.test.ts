/**
 * Issue 13: the config and the template overrides are read again only when they may have changed
 * (If-None-Match with the stored ETag; GitHub's 304 is free), a config is parsed once per content,
 * and the response is not rendered again when nothing it is made of changed.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { blobSha } from "../../src/github/conditional-read.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { BOT, createTestProbot, gitBlob, gitTree, labeledEvent, mockIdentity, mockToken, recordOf, type StoredComment } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";

// Counted, not replaced: how often a config is parsed (the plugin reads and parses the YAML) and
// how often Handlebars renders the response.
const counts = vi.hoisted(() => ({ parses: 0, renders: 0 }));
vi.mock("@probot/octokit-plugin-config", async (original) => {
  const real = await original<typeof import("@probot/octokit-plugin-config")>();
  return { ...real, composeConfigGet: (...args: Parameters<typeof real.composeConfigGet>) => (counts.parses++, real.composeConfigGet(...args)) };
});
vi.mock("../../src/render/templates.js", async (original) => {
  const real = await original<typeof import("../../src/render/templates.js")>();
  return { ...real, renderTemplate: (...args: Parameters<typeof real.renderTemplate>) => (args[0] === "response" && counts.renders++, real.renderTemplate(...args)) };
});

const ISSUE = "/repos/acme/security/issues/7";
const CONFIG = `/repos/acme/security/contents/${encodeURIComponent(".github/embargo.yml")}`;
const PARENT = "/repos/acme/security/contents/.github";
const TREES = /^\/repos\/acme\/security\/git\/trees\/(\w+)$/;
const BLOBS = /^\/repos\/acme\/security\/git\/blobs\/(\w+)$/;
const TEMPLATE = "## Our response\nState: {{state}}\n{{#each phases}}{{#each items}}- [{{#if done}}x{{else}} {{/if}}] {{text}} {{marker}}\n{{/each}}{{/each}}";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
  counts.parses = 0;
  counts.renders = 0;
});
afterEach(() => gh.done());

/** GitHub as it answers a conditional read: 304 while the ETag sent is the content's, else 200 with it. */
function conditional(etag: () => string, body: () => unknown, type: string) {
  return function (this: { req: { headers: Record<string, string | undefined> } }) {
    if (this.req.headers["if-none-match"] === etag()) return [304, ""];
    return [200, body(), { etag: etag(), "content-type": type }];
  } as never;
}

function world() {
  const store = new MemoryStore();
  const w = {
    store,
    probot: createTestProbot(undefined, { store }),
    yaml: "label: vuln\n",
    yamlTag: 'W/"c1"',
    comments: [] as StoredComment[],
    patched: [] as string[],
    overrideReads: 0,
    tree: "t1",
    /** The `embargo` folder's trees by sha (a push adds one): what a read by sha answers, whenever it is made. */
    trees: { t1: { "response.hbs": TEMPLATE } } as Record<string, Record<string, string>>,
    /** Symlinks in a tree, name → target (git keeps a link's target as its blob). */
    links: {} as Record<string, Record<string, string>>,
    /** The folder a read by path gets: the default branch's tree now. */
    head: "t1",
    /** A push that lands right after the `.github` listing was answered (before anything else is read). */
    afterListing: undefined as (() => void) | undefined,
    /** GitHub cut the tree's listing short. */
    truncated: false,
  };
  mockToken(gh);
  mockIdentity(gh);
  const s = gh.scope().persist();
  s.get(CONFIG).reply(conditional(() => w.yamlTag, () => w.yaml, "text/plain; charset=utf-8"));
  // `.github` lists the config (its blob sha) and the `embargo` folder (its tree sha), which lists the override (its blob sha).
  const parent = () => [{ type: "file", name: "embargo.yml", path: ".github/embargo.yml", sha: blobSha(w.yaml) }, { type: "dir", name: "embargo", path: ".github/embargo", sha: w.tree }];
  const listing = conditional(() => `W/"${w.tree}-${blobSha(w.yaml)}"`, parent, "application/json; charset=utf-8") as (this: unknown) => unknown;
  s.get(PARENT).reply(function (this: unknown) {
    const answer = listing.call(this);
    w.afterListing?.();
    w.afterListing = undefined;
    return answer as never;
  });
  const links = (sha: string) => Object.entries(w.links[sha] ?? {}).map(([path, target]) => ({ path, mode: "120000", type: "blob", sha: blobSha(target) }));
  s.get(TREES).reply((uri) => {
    w.overrideReads++;
    const sha = TREES.exec(uri)![1]!;
    return w.trees[sha] ? [200, { ...gitTree(sha, w.trees[sha], links(sha)), truncated: w.truncated }] : [404, { message: "Not Found" }];
  });
  s.get(BLOBS).optionally().reply((uri) => {
    w.overrideReads++;
    const texts = [...Object.values(w.trees), ...Object.values(w.links)].flatMap((t) => Object.values(t));
    const text = texts.find((t) => blobSha(t) === BLOBS.exec(uri)![1]);
    return text === undefined ? [404, { message: "Not Found" }] : [200, gitBlob(text)];
  });
  // The folder and its files by path, as GitHub serves them: always the head's, whichever tree the listing named.
  s.get(`/repos/acme/security/contents/${encodeURIComponent(".github/embargo")}`).optionally().reply(() => {
    const files = Object.entries(w.trees[w.head]!).map(([name, text]) => ({ type: "file", name, path: `.github/embargo/${name}`, sha: blobSha(text), size: text.length }));
    const symlinks = Object.entries(w.links[w.head] ?? {}).map(([name, target]) => ({ type: "symlink", name, path: `.github/embargo/${name}`, sha: blobSha(target), size: target.length }));
    return [200, [...files, ...symlinks]];
  });
  s.get(/^\/repos\/acme\/security\/contents\/\.github%2Fembargo%2F(.+)$/).optionally().reply((uri) => {
    const text = w.trees[w.head]![decodeURIComponent(uri).split("/").pop()!];
    return text === undefined ? [404, { message: "Not Found" }] : [200, text, { "content-type": "text/plain; charset=utf-8" }];
  });
  s.get(`${ISSUE}/comments`).query(true).optionally().reply(200, () => w.comments.map((c) => ({ id: c.id, body: c.body, user: { login: c.user.login, id: 1, type: c.user.type } })));
  s.get("/repos/acme/security/issues/comments/555").optionally().reply(200, () => {
    const c = w.comments[0]!;
    return { id: c.id, body: c.body, user: { login: c.user.login, id: 1, type: c.user.type }, issue_url: `https://api.github.com${ISSUE}` };
  });
  s.post(`${ISSUE}/comments`).optionally().reply(201, (_u, b: any) => (w.comments.push({ id: 555, body: b.body, user: { login: BOT, type: "Bot" } }), { id: 555 }));
  s.patch("/repos/acme/security/issues/comments/555").optionally().reply(200, (_u, b: any) => (w.patched.push(b.body), (w.comments[0]!.body = b.body), { id: 555 }));
  s.post(`${ISSUE}/labels`).optionally().reply(200, []);
  return w;
}

const conditionalReads = (from: number) => gh.requests.slice(from).filter((r) => r.path === CONFIG || r.path === PARENT);

describe("config and overrides are read only when they may have changed", () => {
  it("a second event sends If-None-Match, gets 304, parses nothing, renders nothing, and behaves the same", async () => {
    const w = world();
    await w.probot.receive(labeledEvent({ label: "vuln" }));
    expect(w.comments).toHaveLength(1);
    expect(w.comments[0]!.body).toContain("## Our response\nState: Triage");
    expect(counts).toEqual({ parses: 1, renders: 1 });
    expect(w.overrideReads).toBe(2);

    const mark = gh.requests.length;
    await w.probot.receive(labeledEvent({ label: "vuln", labels: ["vuln", "security: triage"] }));
    const reads = conditionalReads(mark);
    // One listing answers for both: the config's blob sha there is the one last read, so the file is not asked for.
    expect(reads.map((r) => [r.path, r.ifNoneMatch, r.status])).toEqual([[PARENT, `W/"t1-${blobSha(w.yaml)}"`, 304]]);
    // The label is still the file's (the validated config was used), nothing was parsed or rendered again,
    // the override folder and file were not fetched again, and nothing was written: the response was already right.
    expect(counts).toEqual({ parses: 1, renders: 1 });
    expect(w.overrideReads).toBe(2);
    expect(gh.requests.slice(mark).filter((r) => TREES.test(r.path) || BLOBS.test(r.path))).toEqual([]);
    expect(w.patched).toEqual([]);
    expect(w.comments).toHaveLength(1);
  });

  it("a changed override is listed and read again at once, and the response follows it", async () => {
    const w = world();
    await w.probot.receive(labeledEvent({ label: "vuln" }));
    w.trees.t2 = { "response.hbs": TEMPLATE.replace("## Our response", "## Our new response") };
    w.tree = "t2";
    await w.probot.receive(labeledEvent({ label: "vuln", labels: ["vuln", "security: triage"] }));
    expect(w.overrideReads).toBe(4);
    expect(w.patched).toHaveLength(1);
    expect(w.comments[0]!.body).toContain("## Our new response\nState: Triage");
  });

  it("a changed file (200 with a new ETag) is used at once", async () => {
    const w = world();
    await w.probot.receive(labeledEvent({ label: "vuln" }));
    w.yaml = "label: vuln\nseverity_labels: false\n";
    w.yamlTag = 'W/"c2"';
    const mark = gh.requests.length;
    await w.probot.receive(labeledEvent({ label: "vuln", labels: ["vuln", "security: triage"] }));
    // The listing shows the new blob sha: the file is read (conditionally) and parsed at once.
    expect(conditionalReads(mark).map((r) => [r.path, r.status])).toEqual([
      [PARENT, 200],
      [CONFIG, 200],
    ]);
    expect(conditionalReads(mark)[1]).toMatchObject({ ifNoneMatch: 'W/"c1"' });
    expect(counts.parses).toBe(2);
    expect(await w.store.get("content:acme/security:.github/embargo.yml")).toContain('W/\\"c2\\"');
    // The new file is the one in force: a label the old file named is not ours any more.
    w.yaml = "label: other\n";
    w.yamlTag = 'W/"c3"';
    const before = gh.requests.length;
    await w.probot.receive(labeledEvent({ label: "vuln", labels: ["vuln", "security: triage"] }));
    expect(gh.requests.slice(before).filter((r) => r.method !== "GET" || r.path.includes("/comments"))).toEqual([]);
  });

  it("a person's edit of the response's text is repaired: the render runs again", async () => {
    const w = world();
    await w.probot.receive(labeledEvent({ label: "vuln" }));
    const written = w.comments[0]!.body;
    w.comments[0]!.body = written.replace("State: Triage", "State: Fixed (nothing to see)");
    await w.probot.receive(labeledEvent({ label: "vuln", labels: ["vuln", "security: triage"] }));
    expect(counts.renders).toBe(2);
    // The text as written, and the same record written once more.
    const visible = (body: string) => body.replace(/<!-- embargo:(record|render)[^>]*-->/g, "");
    expect(w.patched.map(visible)).toEqual([visible(written)]);
    expect(recordOf(w.comments[0]!.body)).toEqual({ ...recordOf(written), seq: 2 });
  });
});

describe("overrides are read by sha: a push between reads changes nothing", () => {
  const PUSHED = TEMPLATE.replace("## Our response", "## Pushed response");

  it("a push right after the `.github` listing: the listed tree's override is used, and the pushed one is not kept under its sha", async () => {
    const w = world();
    w.trees.t2 = { "response.hbs": PUSHED };
    w.afterListing = () => (w.tree = w.head = "t2");
    await w.probot.receive(labeledEvent({ label: "vuln" }));
    expect(w.comments[0]!.body).toContain("## Our response\nState: Triage");
    expect(w.comments[0]!.body).not.toContain("## Pushed response");

    // The next event sees the push, and follows it.
    await w.probot.receive(labeledEvent({ label: "vuln", labels: ["vuln", "security: triage"] }));
    expect(w.comments[0]!.body).toContain("## Pushed response\nState: Triage");

    // A revert brings tree t1 back: its own override, not what was on the branch when it was first read.
    w.tree = w.head = "t1";
    await w.probot.receive(labeledEvent({ label: "vuln", labels: ["vuln", "security: triage"] }));
    expect(w.comments[0]!.body).toContain("## Our response\nState: Triage");
    expect(w.comments[0]!.body).not.toContain("## Pushed response");
  });

  it("a symlink in the folder is not an override: the built-in template is used", async () => {
    const w = world();
    w.trees.t1 = {};
    w.links.t1 = { "response.hbs": "../../SECURITY.md" };
    await w.probot.receive(labeledEvent({ label: "vuln" }));
    expect(w.comments[0]!.body).toContain("### Security response");
    expect(w.comments[0]!.body).not.toContain("SECURITY.md");
  });

  it("a tree GitHub lists only in part is not taken as the whole: the event fails (and is retried) rather than render without an override", async () => {
    const w = world();
    w.truncated = true;
    await expect(w.probot.receive(labeledEvent({ label: "vuln" }))).rejects.toThrow(/too large for GitHub to list/);
    expect(w.comments).toEqual([]);
  });
});
