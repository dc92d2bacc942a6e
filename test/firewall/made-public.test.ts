import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/store/memory-store.js";
import { commentEvent, createTestProbot, INSTALLATION_ID, mockConfig, mockIdentity, mockNoOverrides, mockToken, mockVisibility, recordOf, type StoredComment } from "../helpers/app.js";
import { reportedEvent } from "../intake/advisory-payload.js";
import { loadWebhookExample, mockGitHub, validateWebhookPayload, type GitHubMock } from "../helpers/github-api.js";
import { CVE, expectReply, HEAD, mockLinkedPrReads, PRODUCT_REPO_ID, pull, reviewEvent, storeResponse, TITLE } from "../pr/fixtures.js";

/**
 * An event that fired while acme/product was private, delivered after it was made public (late,
 * or redelivered from GitHub's delivery log): its payload still says `private: true`. The app
 * remembers `repository.publicized` and does not take that payload's word for the repo's
 * visibility: the firewall asks GitHub, and a write that names a secret is stopped.
 */
let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

/** The PR fixtures' repository: a payload and its PR name the same repository, by the same id. */
const PRODUCT_ID = PRODUCT_REPO_ID;
const SECURITY_ID = 4343;
const ISSUE = "/repos/acme/security/issues/7";
/** The product repo's admins name the issue's title as the PR label: harmless on a private repo only. */
const PRODUCT_YAML = `security_repo: acme/security\npublic_pr:\n  priority_label: "${TITLE}"\n`;

/** `repository.publicized` / `.privatized` for acme/product, as GitHub sends it. */
function visibilityEvent(action: "publicized" | "privatized") {
  const payload = loadWebhookExample("repository", action);
  const isPrivate = action === "privatized";
  payload.repository = {
    ...payload.repository,
    id: PRODUCT_ID,
    name: "product",
    full_name: "acme/product",
    owner: { ...payload.repository.owner, login: "acme" },
    private: isPrivate,
    visibility: isPrivate ? "private" : "public",
  };
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" };
  return { id: `${action}-${Math.random()}`, name: "repository" as const, payload };
}

/** An approval by a security-team member on acme/product#42, fired while the repo was private. */
function privateApproval() {
  const event = reviewEvent(pull({ private: true }), "sec1", "approved");
  event.payload.repository.id = PRODUCT_ID;
  return event;
}

/** The in-process store, counting the reads of the made-public marker. */
class CountingStore extends MemoryStore {
  markerReads = 0;
  override async get(key: string) {
    if (key.startsWith("made-public:")) this.markerReads++;
    return super.get(key);
  }
}

/** A late approval's reads, once acme/product is public (GitHub says so when asked), and the block reply it should get. */
async function mockLateApprovalOnPublicRepo(): Promise<{ reply: { body?: string }; stored: StoredComment[] }> {
  mockIdentity(gh);
  const stored = await storeResponse({ state: "fixing" });
  mockLinkedPrReads(gh, stored, PRODUCT_YAML, { commits: true });
  mockVisibility(gh, "acme", "product", "public");
  return { reply: expectReply(gh, stored), stored };
}

const writesTo = (repo: string) => gh.requestsTo("acme", repo).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
const visibilityReads = (from = 0) => gh.requests.slice(from).filter((r) => r.method === "GET" && r.path === "/repos/acme/product").length;

describe("a repository made public, then an event that fired while it was private", () => {
  it("the payloads are GitHub's own shapes", () => {
    expect(validateWebhookPayload("webhook-repository-publicized", visibilityEvent("publicized").payload)).toEqual([]);
    expect(validateWebhookPayload("webhook-repository-privatized", visibilityEvent("privatized").payload)).toEqual([]);
  });

  it("is not believed: GitHub is asked, says public, and the write naming the issue is stopped", async () => {
    const store = new CountingStore();
    const probot = createTestProbot(undefined, { store });
    await probot.receive(visibilityEvent("publicized"));
    expect(gh.requests).toEqual([]);

    mockToken(gh);
    const { reply, stored } = await mockLateApprovalOnPublicRepo();

    await expect(probot.receive(privateApproval())).rejects.toThrow(/leak firewall blocked the writes this event decided to acme\/product \(public repository\)/);

    expect(visibilityReads()).toBe(1);
    expect(writesTo("product")).toEqual([]);
    expect(gh.leaks([TITLE, CVE], gh.requestsTo("acme", "product"))).toEqual([]);
    expect(reply.body).toContain("| **To** | acme/product (public repository) |");
    expect(reply.body).toContain("| **Rule** | repeats the security issue's title |");
    expect(recordOf(stored[0]!.body).prs).toEqual([]);
  });
});

/** The writes an approval makes: the labels, the gate, the record. */
function mockApprovalWrites(stored: StoredComment[]): { labels: () => string[] } {
  let labels: string[] = [];
  gh.api.post("/repos/acme/product/issues/42/labels", (b) => ((labels = b.labels), true)).reply(200, []);
  gh.api.post("/repos/acme/product/pulls/42/requested_reviewers").optionally().reply(201, {});
  gh.api.patch("/repos/acme/product/check-runs/77").reply(200, {});
  mockVisibility(gh, "acme", "security", "private");
  mockNoOverrides(gh, "acme", "security");
  gh.api.patch("/repos/acme/security/issues/comments/555").reply(200, (_u, b: any) => ((stored[0]!.body = b.body), { id: 555 }));
  return { labels: () => labels };
}

const PRIVATE_APPROVAL_CALLS = [
  "GET /app",
  "POST /app/installations/42/access_tokens",
  `GET /repos/acme/product/commits/${HEAD}/check-runs`,
  "GET /repos/acme/product/contents/.github%2Fembargo.yml",
  "GET /repos/acme/security/contents/.github%2Fembargo.yml",
  "GET /repos/acme/security/issues/7",
  "GET /repos/acme/security/issues/7/comments",
  "GET /repos/acme/product/pulls/42/reviews",
  "GET /orgs/acme/teams/sec/memberships/sec1",
  "GET /orgs/acme/teams/sec/memberships/owner1",
  "POST /repos/acme/product/issues/42/labels",
  "POST /repos/acme/product/pulls/42/requested_reviewers",
  "PATCH /repos/acme/product/check-runs/77",
  "GET /repos/acme/security/contents/.github",
  "GET /repos/acme/security",
  "PATCH /repos/acme/security/issues/comments/555",
];

describe("without the marker, a payload that says private is believed as before", () => {
  it("one store read, no visibility read of the PR's repo, the same calls", async () => {
    const store = new CountingStore();
    const probot = createTestProbot(undefined, { store });
    mockToken(gh);
    mockIdentity(gh);
    const stored = await storeResponse({ state: "fixing" });
    mockLinkedPrReads(gh, stored, PRODUCT_YAML);
    const writes = mockApprovalWrites(stored);

    await probot.receive(privateApproval());

    expect(store.markerReads).toBe(1);
    expect(visibilityReads()).toBe(0);
    expect(writes.labels()).toEqual([TITLE, "severity: high"]);
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ review: "approved" });
    // The calls this event made before the app remembered repos made public (main at e179fdc).
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual(PRIVATE_APPROVAL_CALLS);
  });

  it("an event whose payload says public does not even read the store", async () => {
    const store = new CountingStore();
    const probot = createTestProbot(undefined, { store });
    await probot.receive(visibilityEvent("publicized"));
    expect(store.markerReads).toBe(0);
  });
});

describe("repository.privatized", () => {
  it("forgets the marker once GitHub says private now: the next private payload is believed again", async () => {
    const store = new CountingStore();
    const probot = createTestProbot(undefined, { store });
    await probot.receive(visibilityEvent("publicized"));
    mockToken(gh);
    mockVisibility(gh, "acme", "product", "private");
    await probot.receive(visibilityEvent("privatized"));
    expect(await store.get(`made-public:${PRODUCT_ID}`)).toBeUndefined();

    const before = gh.requests.length;
    mockIdentity(gh);
    const stored = await storeResponse({ state: "fixing" });
    mockLinkedPrReads(gh, stored, PRODUCT_YAML);
    const writes = mockApprovalWrites(stored);
    await probot.receive(privateApproval());
    expect(visibilityReads(before)).toBe(0);
    expect(writes.labels()).toEqual([TITLE, "severity: high"]);
  });

  it("redelivered after the repo was made public again (GitHub says public): the marker stays, the write is stopped", async () => {
    const store = new CountingStore();
    const probot = createTestProbot(undefined, { store });
    mockToken(gh);
    mockVisibility(gh, "acme", "product", "public");
    await probot.receive(visibilityEvent("publicized"));
    await probot.receive(visibilityEvent("privatized"));
    expect(await store.get(`made-public:${PRODUCT_ID}`)).toBeDefined();

    const { reply, stored } = await mockLateApprovalOnPublicRepo();
    await expect(probot.receive(privateApproval())).rejects.toThrow(/leak firewall blocked the writes this event decided to acme\/product \(public repository\)/);
    expect(writesTo("product")).toEqual([]);
    expect(reply.body).toContain("| **Rule** | repeats the security issue's title |");
  });
});

describe("repository.publicized redelivered", () => {
  it("keeps one marker, makes no call, and the late private event is still checked", async () => {
    const store = new CountingStore();
    const probot = createTestProbot(undefined, { store });
    const publicized = visibilityEvent("publicized");
    await probot.receive(publicized);
    const first = await store.get(`made-public:${PRODUCT_ID}`);
    await probot.receive(publicized);
    expect(await store.get(`made-public:${PRODUCT_ID}`)).toBe(first);
    expect(gh.requests).toEqual([]);

    mockToken(gh);
    const { reply, stored } = await mockLateApprovalOnPublicRepo();
    await expect(probot.receive(privateApproval())).rejects.toThrow(/leak firewall blocked/);
    expect(visibilityReads()).toBe(1);
    expect(writesTo("product")).toEqual([]);
    expect(reply.body).toContain("| **To** | acme/product (public repository) |");
  });
});

describe("the handlers' own choices follow the repo as it is now", () => {
  it("a late approval on a PR whose repo was made public is handled as a public PR: no severity label, the wording checked, one visibility read", async () => {
    const store = new CountingStore();
    const probot = createTestProbot(undefined, { store });
    await probot.receive(visibilityEvent("publicized"));
    mockToken(gh);
    mockIdentity(gh);
    const stored = await storeResponse({ state: "fixing" });
    mockVisibility(gh, "acme", "product", "public");
    mockLinkedPrReads(gh, stored, "security_repo: acme/security\n", { commits: true });
    const writes = mockApprovalWrites(stored);

    await probot.receive(privateApproval());

    expect(writes.labels()).toEqual(["priority: high"]);
    expect(visibilityReads()).toBe(1);
    expect(gh.leaks([TITLE, CVE, "acme/security#7", "security/issues/7"], gh.requestsTo("acme", "product").filter((r) => r.method !== "GET"))).toEqual([]);
  });

  it("a late /triage command on a security repo made public since is not run: GitHub is asked once, nothing is written", async () => {
    const probot = createTestProbot(undefined, { store: new CountingStore() });
    const publicized = visibilityEvent("publicized");
    publicized.payload.repository = { ...publicized.payload.repository, id: SECURITY_ID, name: "security", full_name: "acme/security" };
    await probot.receive(publicized);
    mockToken(gh);
    mockVisibility(gh, "acme", "security", "public");
    const command = commentEvent({ commentBody: `/triage cve ${CVE}`, sender: "sec1" });
    command.payload.repository.id = SECURITY_ID;

    await probot.receive(command);

    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /app/installations/42/access_tokens", "GET /repos/acme/security"]);
  });
});

describe("an advisory published on a repo made public since", () => {
  it("is not taken for the security repo's own advisory: GitHub is asked once, no response is looked for", async () => {
    const probot = createTestProbot(undefined, { store: new CountingStore() });
    const publicized = visibilityEvent("publicized");
    publicized.payload.repository = { ...publicized.payload.repository, id: SECURITY_ID, name: "security", full_name: "acme/security" };
    await probot.receive(publicized);
    const event = reportedEvent({ product: "acme/security" });
    event.payload.action = "published";
    event.payload.repository = { ...event.payload.repository, id: SECURITY_ID, private: true, visibility: "private" };
    event.payload.repository_advisory = { ...event.payload.repository_advisory, state: "published", published_at: "2026-11-22T10:00:00Z" };
    expect(validateWebhookPayload("webhook-repository-advisory-published", event.payload)).toEqual([]);
    mockToken(gh);
    mockConfig(gh, "acme", "security", "team: acme/security-team\n");
    mockVisibility(gh, "acme", "security", "public");

    await probot.receive(event);

    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /app/installations/42/access_tokens",
      "GET /repos/acme/security/contents/.github%2Fembargo.yml",
      "GET /repos/acme/security",
    ]);
  });
});
