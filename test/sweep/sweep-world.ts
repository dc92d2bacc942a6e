/**
 * The sweep's world: which example payloads exist for the subscribed events, how each is driven
 * into the app's paths (private security repo, configured team, `security` label, commands,
 * linked PRs), and the stored GitHub those deliveries meet.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Probot } from "probot";
import { expect } from "vitest";
import { MemoryStore } from "../../src/store/memory-store.js";
import { createTestProbot, INSTALLATION_ID } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { FakeGitHub } from "./fake-github.js";

/** The events app.yml subscribes to. */
export const SUBSCRIBED = ["issues", "issue_comment", "pull_request", "pull_request_review", "merge_group", "repository_advisory", "repository"] as const;

export const SECURITY = "acme/security";
export const PRODUCT = "acme/product";
export const ISSUE = 7;
export const TITLE = "SQL injection in the login form";
/** product#42: public fix PR linked by `/triage pr`; security#43: private PR linked by "Fixes #7". */
export const PUBLIC_PR = 42;
export const PRIVATE_PR = 43;
export const HEAD = "1111111111111111111111111111111111111111";
export const PRIVATE_HEAD = "2222222222222222222222222222222222222222";
export const PUSHED = "3333333333333333333333333333333333333333";
export const SECURITY_YAML = "team: acme/sec\ntriage_rotation: [sec1, alice]\nsupported_branches: [main]\ncomponents:\n  api:\n    repo: acme/product\n    owners: [owner1]\n";
export const PRODUCT_YAML = "security_repo: acme/security\n";
export const CVSS = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";

export interface Example {
  event: string;
  action: string;
  /** "issues.labeled #2": the n-th example of that event and action. */
  label: string;
  payload: any;
}

let cache: Example[] | undefined;

/** Every example payload of the subscribed events, in the package's order. */
export function subscribedExamples(): Example[] {
  if (cache) return cache;
  const require = createRequire(import.meta.url);
  const all = JSON.parse(readFileSync(require.resolve("@octokit/webhooks-examples"), "utf8")) as { name: string; examples: any[] }[];
  const out: Example[] = [];
  for (const event of SUBSCRIBED) {
    const seen = new Map<string, number>();
    for (const payload of all.find((d) => d.name === event)?.examples ?? []) {
      const action = String(payload.action ?? "");
      const n = (seen.get(action) ?? 0) + 1;
      seen.set(action, n);
      out.push({ event, action, label: `${event}.${action} #${n}`, payload });
    }
  }
  cache = out;
  return out;
}

/**
 * `repository_advisory` has no example in @octokit/webhooks-examples: these follow GitHub's
 * documented payload for its two actions, so the event is swept all the same.
 */
export function advisoryPayloads(): Example[] {
  return (["reported", "published"] as const).map((action) => ({
    event: "repository_advisory",
    action,
    label: `repository_advisory.${action} (documented shape)`,
    payload: {
      action,
      repository_advisory: {
        ghsa_id: "GHSA-abcd-1234-efgh",
        cve_id: action === "published" ? "CVE-2026-4242" : null,
        url: "https://api.github.com/repos/Codertocat/Hello-World/security-advisories/GHSA-abcd-1234-efgh",
        html_url: "https://github.com/Codertocat/Hello-World/security/advisories/GHSA-abcd-1234-efgh",
        summary: "Path traversal in the file server",
        description: "A crafted path reads files outside the root.",
        severity: "high",
        state: action === "published" ? "published" : "triage",
        author: null,
        publisher: null,
        identifiers: [{ type: "GHSA", value: "GHSA-abcd-1234-efgh" }],
        created_at: "2026-11-20T09:30:00Z",
        updated_at: "2026-11-22T11:00:00Z",
        published_at: action === "published" ? "2026-11-22T11:00:00Z" : null,
        closed_at: null,
        withdrawn_at: null,
        submission: action === "reported" ? { accepted: false } : null,
        vulnerabilities: [{ package: { ecosystem: "npm", name: "hello-world" }, vulnerable_version_range: "< 1.2.3", patched_versions: "1.2.3", vulnerable_functions: [] }],
        cvss: { vector_string: CVSS, score: 9.8 },
        cwes: [{ cwe_id: "CWE-22", name: "Path Traversal" }],
        credits: [],
        credits_detailed: [],
        collaborating_users: null,
        collaborating_teams: null,
        private_fork: null,
      },
      repository: structuredClone(subscribedExamples().find((e) => e.event === "issues")!.payload.repository),
      sender: { login: "Codertocat", id: 21031067, type: "User" },
    },
  }));
}

// ---------------------------------------------------------------------------------------------
// The stored GitHub
// ---------------------------------------------------------------------------------------------

/** Repos, team and people, before the app has done anything. */
export function seededFake(): FakeGitHub {
  const fake = new FakeGitHub();
  const security = fake.repo(SECURITY, { private: true });
  security.config = SECURITY_YAML;
  security.collaborators.set("alice", "admin");
  security.collaborators.set("sec1", "maintain");
  const product = fake.repo(PRODUCT, { private: false });
  product.config = PRODUCT_YAML;
  product.collaborators.set("owner1", "write");
  product.collaborators.set("dev1", "write");
  fake.team("acme/sec", ["alice", "sec1"]);
  fake.issue(SECURITY, ISSUE, { title: TITLE, body: "The login form passes the user name to SQL unescaped.", author: "reporter", labels: [] });
  fake.issue(SECURITY, 3, { title: "Rotate the mailing list password", author: "sec1", labels: [] });
  fake.pull(PRODUCT, PUBLIC_PR, { title: "Tighten input handling", body: "Refactors the parser.", head_sha: HEAD, head_ref: "tidy-parser", commits: [{ sha: HEAD, message: "Tighten input handling" }] });
  fake.pull(SECURITY, PRIVATE_PR, { title: "Escape the user name", body: "Fixes #7", head_sha: PRIVATE_HEAD, head_ref: "fix-login" });
  return fake;
}

/** One test's connection: the harness, the fake behind it, a fresh Probot. */
export interface Session {
  gh: GitHubMock;
  fake: FakeGitHub;
  probot: Probot;
  deliver(name: string, payload: any): Promise<void>;
  /** Harness checks (validation, unmatched, pending) and no request the fake could not answer. */
  finish(): void;
}

let deliveries = 0;
let shared: Probot | undefined;

/**
 * The shared app's memory. Each session's world is a clone of a snapshot the app may since have
 * seen later states of: the records' high-water marks (src/github/record-mark.ts) belong to that
 * later world, so each session starts without them, as an app meeting this world for the first
 * time would. The rest of the memory is hints the app checks on use, kept as a process keeps it.
 */
class SessionStore extends MemoryStore {
  readonly #marks = new Set<string>();
  override async set(key: string, value: string, ttlMs: number) {
    if (key.startsWith("record-seq:")) this.#marks.add(key);
    await super.set(key, value, ttlMs);
  }
  forgetMarks() {
    // MemoryStore deletes at once (its promise only reports it).
    for (const key of this.#marks) void this.del(key);
    this.#marks.clear();
  }
}
const store = new SessionStore();

export function session(fake: FakeGitHub): Session {
  const gh = mockGitHub();
  fake.install(gh);
  store.forgetMarks();
  shared ??= createTestProbot(undefined, { store });
  const probot = shared;
  return {
    gh,
    fake,
    probot,
    async deliver(name, payload) {
      fake.absorb(payload);
      try {
        await probot.receive({ id: `sweep-${++deliveries}`, name, payload } as never);
      } catch (error) {
        // Probot wraps handler errors (with the whole payload) in an AggregateError: keep what a reader needs.
        const inner = error instanceof AggregateError ? error.errors : [error];
        const lines = inner.map((e: any) => `${e?.status ? `HTTP ${e.status} ` : ""}${e?.message ?? String(e)}${e?.request ? ` (${e.request.method} ${e.request.url})` : ""}`);
        throw new Error(`${name}.${payload.action} threw: ${lines.join("; ")}`);
      }
    },
    finish() {
      gh.done();
      expect(fake.unknown, "requests the fake GitHub has no route for").toEqual([]);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Payloads driven into the app's paths
// ---------------------------------------------------------------------------------------------

function person(login: string | null, base: any = {}) {
  if (login === null) return null;
  return { ...base, login, id: login.length * 1000 + 7, node_id: `U_${login}`, type: "User" };
}

/** The payload's repository becomes `fullName` as stored, under the app's installation. */
export function inRepo(payload: any, fake: FakeGitHub, fullName: string): any {
  const p = structuredClone(payload);
  const repo = fake.repo(fullName);
  p.repository = {
    ...p.repository,
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: fullName,
    private: repo.private,
    visibility: repo.private ? "private" : "public",
    owner: { ...p.repository.owner, login: repo.owner, type: "Organization" },
    html_url: `https://github.com/${fullName}`,
    // As the REST answers give it (fake-json.ts): a webhook and a read agree on the default branch.
    default_branch: "main",
  };
  p.organization = { ...(p.organization ?? {}), login: repo.owner };
  p.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" };
  return p;
}

/** The payload's issue becomes the stored issue `number` (a snapshot: labels, state, title). */
export function withIssue(p: any, fake: FakeGitHub, fullName: string, number: number): any {
  const stored = fake.issue(fullName, number);
  const labels = stored.labels.map((name, i) => ({ id: 1000 + i, node_id: `L${i}`, url: "", name, color: "ededed", default: false, description: null }));
  p.issue = {
    ...p.issue,
    number,
    node_id: `I_${fullName.split("/")[1]}_${number}`,
    title: stored.title,
    body: stored.body,
    state: stored.state,
    labels,
    user: person(stored.author, p.issue?.user),
    assignees: stored.assignees.map((a) => person(a, p.issue?.user)),
    assignee: person(stored.assignees[0] ?? null, p.issue?.user),
    html_url: `https://github.com/${fullName}/${stored.isPull ? "pull" : "issues"}/${number}`,
  };
  if (stored.isPull) p.issue.pull_request = { url: `https://api.github.com/repos/${fullName}/pulls/${number}`, html_url: `https://github.com/${fullName}/pull/${number}` };
  else delete p.issue.pull_request;
  return p;
}

/**
 * An `issues` example on a stored issue. The event's own change is applied to the store first, as
 * GitHub has applied it when it delivers (a `labeled` issue carries the label, a `closed` one is closed).
 */
export function issuesEvent(example: any, fake: FakeGitHub, fullName: string, number: number, sender = "alice"): any {
  const stored = fake.issue(fullName, number);
  const action = example.action as string;
  if (action === "labeled" || action === "opened") {
    if (!stored.labels.some((l) => l.toLowerCase() === "security")) stored.labels.push("security");
  }
  if (action === "unlabeled") stored.labels = stored.labels.filter((l) => l.toLowerCase() !== "security");
  if (action === "closed") stored.state = "closed";
  if (action === "reopened") stored.state = "open";
  const p = withIssue(inRepo(example, fake, fullName), fake, fullName, number);
  if (action === "labeled" || action === "unlabeled") p.label = { ...(p.label ?? {}), name: "security" };
  p.sender = person(sender, p.sender);
  return p;
}

/** An `issue_comment` example carrying `body` by `author` on a stored issue or PR conversation. */
export function commentEvent(example: any, fake: FakeGitHub, fullName: string, number: number, body: string, author = "alice"): any {
  const p = withIssue(inRepo(example, fake, fullName), fake, fullName, number);
  const stored = fake.issue(fullName, number);
  const id = example.action === "created" ? 90_000 + stored.comments.length : (stored.comments.find((c) => c.login === author)?.id ?? 90_000);
  if (example.action === "created" && !stored.comments.some((c) => c.id === id)) stored.comments.push({ id, body, login: author, type: "User" });
  const existing = stored.comments.find((c) => c.id === id);
  if (existing && example.action !== "deleted") existing.body = body;
  if (example.action === "deleted") stored.comments = stored.comments.filter((c) => c.id !== id);
  p.comment = { ...p.comment, id, body, user: person(author, p.comment?.user), html_url: `https://github.com/${fullName}/issues/${number}#issuecomment-${id}` };
  p.sender = person(author, p.sender);
  if (example.action === "edited") p.changes = { body: { from: "/triage status" } };
  return p;
}

/** A `pull_request` or `pull_request_review` example on the stored PR, after the event's change. */
export function pullEvent(example: any, fake: FakeGitHub, fullName: string, number: number, sender = "dev1", merged = false): any {
  const stored = fake.pull(fullName, number);
  const action = example.action as string;
  const p = inRepo(example, fake, fullName);
  if (example.review === undefined) {
    if (action === "synchronize") {
      p.before = stored.head_sha;
      stored.head_sha = PUSHED;
      stored.commits = [...stored.commits, { sha: PUSHED, message: "Address review" }];
      p.after = PUSHED;
    }
    if (action === "closed") {
      stored.state = "closed";
      stored.merged = merged || Boolean(example.pull_request?.merged);
    }
    if (action === "reopened") stored.state = "open";
  }
  const repo = fake.repo(fullName);
  const labels = fake.issue(fullName, number).labels.map((name, i) => ({ id: i, node_id: `L${i}`, url: "", name, color: "ededed", default: false, description: null }));
  p.number = number;
  p.pull_request = {
    ...p.pull_request,
    number,
    title: stored.title,
    body: stored.body,
    state: stored.state,
    merged: stored.merged,
    merged_at: stored.merged ? "2026-11-22T11:00:00Z" : null,
    user: person(stored.author, p.pull_request.user),
    labels,
    // GitHub's pending review requests as the event carries them.
    requested_reviewers: stored.requested_reviewers.map((l) => person(l, p.pull_request.user)),
    requested_teams: stored.requested_teams.map((slug, i) => ({ id: 900 + i, node_id: `T${i}`, slug, name: slug })),
    html_url: `https://github.com/${fullName}/pull/${number}`,
    head: { ...p.pull_request.head, sha: stored.head_sha, ref: stored.head_ref, repo: p.repository },
    base: { ...p.pull_request.base, ref: stored.base_ref, repo: { ...p.pull_request.base.repo, ...p.repository, private: repo.private } },
  };
  p.sender = person(sender, p.sender);
  return p;
}

/** A review example by `reviewer` (null: a deleted account) on the stored PR; the review is stored too. */
export function reviewEvent(example: any, fake: FakeGitHub, fullName: string, number: number, reviewer: string | null = "alice", reviewState?: string): any {
  const stored = fake.pull(fullName, number);
  // Submitting a review ends the reviewer's pending request (GitHub's "re-request review" asks again).
  stored.requested_reviewers = stored.requested_reviewers.filter((l) => l.toLowerCase() !== (reviewer ?? "").toLowerCase());
  const p = pullEvent(example, fake, fullName, number, reviewer ?? "ghost");
  const state = String(reviewState ?? example.review?.state ?? "approved").toUpperCase();
  const id = 70_000 + stored.reviews.length;
  stored.reviews.push({ id, login: reviewer, state, commit_id: stored.head_sha });
  p.review = { ...p.review, id, user: reviewer === null ? null : person(reviewer, p.review?.user), state: state.toLowerCase(), commit_id: stored.head_sha };
  if (reviewer === null) p.sender = person("ghost", p.sender);
  return p;
}

/** Builds the response on security#7 and links product#42 (by `/triage pr`) and security#43 (by its text). */
export async function linkedWorld(): Promise<{ response: FakeGitHub; linked: FakeGitHub }> {
  const fake = seededFake();
  const s = session(fake);
  const examples = subscribedExamples();
  const labeled = examples.find((e) => e.label === "issues.labeled #1")!.payload;
  const created = examples.find((e) => e.label === "issue_comment.created #1")!.payload;
  const opened = examples.find((e) => e.label === "pull_request.opened #1")!.payload;
  await s.deliver("issues", issuesEvent(labeled, fake, SECURITY, ISSUE, "maintainer"));
  const response = fake.clone();
  await s.deliver("issue_comment", commentEvent(created, fake, SECURITY, ISSUE, `/triage pr ${PRODUCT}#${PUBLIC_PR}`));
  await s.deliver("pull_request", pullEvent(opened, fake, SECURITY, PRIVATE_PR));
  s.finish();
  return { response, linked: fake.clone() };
}
