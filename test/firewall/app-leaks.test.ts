import type { Probot } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load-config.js";
import { repoOverrides } from "../../src/github/template-overrides.js";
import { withFirewall } from "../../src/github/with-firewall.js";
import { loadResponse } from "../../src/handlers/response-context.js";
import type { ResponseRecord } from "../../src/record/response-record.js";
import { renderTemplate } from "../../src/render/templates.js";
import {
  BOT,
  commentEvent,
  commentList,
  createTestProbot,
  mockIdentity,
  mockNoOverrides,
  mockOverrides,
  mockToken,
  mockVisibility,
  recordOf,
  type StoredComment,
  TEST_KEYS,
} from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { CVE, expectReply, mockLinkedPrReads, pull, reviewEvent, storeResponse, TITLE } from "../pr/fixtures.js";

/**
 * The app's own code made to leak, through paths that exist: the product repo's config (written by
 * that repo's admins, not the security team) naming the issue's title in what the app puts on a
 * public PR, and a future feature rendering a template override onto a public PR. Each is stopped,
 * the security issue gets one reply naming the rule and the place, and nothing reaches the public repo.
 */
let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const ISSUE = "/repos/acme/security/issues/7";
const SECRETS = [TITLE, CVE, "acme/security#7", "security/issues/7"];

async function storedResponse(extra: Partial<ResponseRecord> = {}): Promise<StoredComment[]> {
  return storeResponse({ state: "fixing", ...extra });
}

/** An approval by a member of the security team, on the linked public PR acme/product#42. */
function approval() {
  return reviewEvent(pull(), "sec1", "approved");
}

/** Reads may name a secret (the check-runs listing filters by the configured check name): GitHub alone sees them. */
function expectNothingWrittenTo(owner: string, repo: string) {
  const requests = gh.requestsTo(owner, repo);
  expect(requests.length).toBeGreaterThan(0);
  expect(requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual([]);
}

describe("the product repo's config names the issue on its public PR", () => {
  const cases: Array<[string, string, string]> = [
    ["the priority label", `  priority_label: "${TITLE}"\n`, "`addLabels[0]` of the decided effects"],
    ["the check run's name", `  check_name: "${TITLE}"\n`, "`checkName` of the decided effects"],
    ["the team asked for review (the review request body)", "  review_team: acme/sql-injection-in-the-login-form\n", "`teamReviewers[0]` of the decided effects"],
  ];
  for (const [what, yaml, place] of cases) {
    it(`${what}: blocked before any write, one reply on the security issue, once`, async () => {
      const probot = createTestProbot();
      mockToken(gh);
      mockIdentity(gh);
      const stored = await storedResponse();
      mockLinkedPrReads(gh, stored, `security_repo: acme/security\npublic_pr:\n${yaml}`, { commits: true });
      const reply = expectReply(gh, stored);

      await expect(probot.receive(approval())).rejects.toThrow(/leak firewall blocked the writes this event decided to acme\/product/);

      expect(reply.body).toContain("**The leak firewall stopped a write**");
      expect(reply.body).toContain(`| **To** | acme/product (public repository) |`);
      expect(reply.body).toContain(`| **Where** | ${place} |`);
      expect(reply.body).toContain("| **Rule** | repeats the security issue's title |");
      expect(reply.body).toContain("`pull_request_review.submitted`");
      expect(gh.leaks([TITLE, CVE], [gh.requests.at(-1)!])).toEqual([]);
      expectNothingWrittenTo("acme", "product");
      expect(recordOf(stored[0]!.body).prs).toEqual([]);

      // Delivered again: blocked again, and the reply is not repeated.
      // On the app's first event the response is found by listing; later, by the id it remembered, and
      // the head's wording check is remembered too (content-addressed by head and secrets).
      mockLinkedPrReads(gh, stored, `security_repo: acme/security\npublic_pr:\n${yaml}`, { byId: true });
      gh.api.get(`${ISSUE}/comments`).query(true).reply(200, () => commentList(stored));
      await expect(probot.receive(approval())).rejects.toThrow(/leak firewall blocked/);
      expect(stored).toHaveLength(2);
      expectNothingWrittenTo("acme", "product");
    });
  }
});

describe("no false positives", () => {
  it("a linked public PR with every secret set (CVE, GHSA, summary, description, a long report) is served as usual", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    const summary = "Unauthenticated SQL injection in /login";
    const description = "The user name reaches the SQL query builder unescaped.";
    const report = "When the login form receives a crafted user name, the query builder pastes it into the SQL text and returns every row of the users table. Reproduced on 4.19 and main.";
    const stored = await storedResponse({ ghsa: "GHSA-c2fg-hj3m-pq4r", summary, description });
    mockLinkedPrReads(gh, stored, "security_repo: acme/security\n", { report, commits: true });
    mockVisibility(gh, "acme", "security", "private");
    let labels: string[] = [];
    gh.api.post("/repos/acme/product/issues/42/labels", (b) => ((labels = b.labels), true)).reply(200, []);
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers").reply(201, {});
    let run: any;
    gh.api.patch("/repos/acme/product/check-runs/77", (b) => ((run = b), true)).reply(200, {});
    mockNoOverrides(gh, "acme", "security");
    gh.api.patch("/repos/acme/security/issues/comments/555").reply(200, (_u, b: any) => ((stored[0]!.body = b.body), { id: 555 }));

    await probot.receive(approval());

    expect(labels).toEqual(["priority: high"]);
    expect(run).toMatchObject({ conclusion: "success", output: { title: "Approved" } });
    expect(recordOf(stored[0]!.body).prs[0]).toMatchObject({ review: "approved" });
    const product = gh.requestsTo("acme", "product").filter((r) => r.method !== "GET");
    expect(product).toHaveLength(3);
    expect(gh.leaks([...SECRETS, summary, description, "crafted user name, the query builder pastes it into"], product)).toEqual([]);
  });
});

describe("the security repo was made public mid-embargo", () => {
  it("its response comment is not rewritten there: GitHub is asked, once, and says public", async () => {
    const probot = createTestProbot();
    mockToken(gh);
    mockIdentity(gh);
    const stored = await storedResponse();
    mockLinkedPrReads(gh, stored, "security_repo: acme/security\n", { commits: true });
    mockVisibility(gh, "acme", "security", "public");
    gh.api.post("/repos/acme/product/issues/42/labels").reply(200, []);
    gh.api.post("/repos/acme/product/pulls/42/requested_reviewers").reply(201, {});
    gh.api.patch("/repos/acme/product/check-runs/77").reply(200, {});
    mockNoOverrides(gh, "acme", "security");
    const reply = expectReply(gh, stored);

    await expect(probot.receive(approval())).rejects.toThrow(/to acme\/security \(public repository\): `responseBody` of the decided effects/);

    expect(gh.requests.filter((r) => r.path === "/repos/acme/security").length).toBe(1);
    expect(gh.requestsTo("acme", "security").filter((r) => r.method === "PATCH")).toEqual([]);
    // The reply names no secret, so even on a now-public issue it says only what was stopped.
    expect(gh.leaks(SECRETS, [{ ...gh.requests.at(-1)!, path: "/" }])).toEqual([]);
    expect(reply.body).toContain("| **Rule** | names the CVE id |");
  });
});

describe("a future feature renders a template override of the product repo onto its public PR", () => {
  const OVERRIDE = "Thanks! This fixes {{record.cve}}.";

  function feature(guarded: boolean, swallow = false) {
    return (app: Probot) => {
      app.on("issue_comment.created", async (context) => {
        const run = async () => {
          const issue = { owner: "acme", repo: "security", issue_number: 7 };
          const config = validateConfig({});
          if (!config.ok) throw new Error("config");
          const loaded = await loadResponse(context.octokit, issue, config.config, BOT, TEST_KEYS);
          const { text } = await renderTemplate("public-notice", { record: loaded.record }, repoOverrides(context.octokit, "acme", "product"));
          const posting = context.octokit.rest.issues.createComment({ owner: "acme", repo: "product", issue_number: 42, body: text });
          await (swallow ? posting.catch(() => undefined) : posting);
        };
        await (guarded ? withFirewall(context, async () => BOT, run) : run());
      });
    };
  }

  async function deliver(guarded: boolean, swallow = false) {
    const probot = createTestProbot();
    await probot.load(feature(guarded, swallow));
    mockToken(gh);
    const stored = await storedResponse();
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, () => commentList(stored));
    mockOverrides(gh, "acme", "product", { "public-notice.hbs": OVERRIDE });
    return { probot, stored };
  }

  it("without the firewall the CVE would reach the public PR (the test can fail)", async () => {
    const { probot } = await deliver(false);
    gh.api.post("/repos/acme/product/issues/42/comments").reply(201, { id: 1 });
    // The app itself ignores the comment: it is not a command. Only the feature acts.
    await probot.receive(commentEvent({ commentBody: "looks good" }));
    expect(gh.leaks([CVE], gh.requestsTo("acme", "product"))).toEqual(["secret #0 in POST /repos/acme/product/issues/42/comments"]);
  });

  it("with it, the request hook stops the comment and the security issue is told", async () => {
    const { probot, stored } = await deliver(true);
    mockVisibility(gh, "acme", "product", "public"); // not the event's repo: GitHub is asked
    const reply = expectReply(gh, stored);
    await expect(probot.receive(commentEvent({ commentBody: "looks good" }))).rejects.toThrow(
      "leak firewall blocked POST /repos/{owner}/{repo}/issues/{issue_number}/comments to acme/product (public repository): the body field `body` names the CVE id",
    );
    expect(reply.body).toContain("| **Stopped** | POST /repos/{owner}/{repo}/issues/{issue_number}/comments |");
    expect(reply.body).toContain("`issue_comment.created`");
    expectNothingWrittenTo("acme", "product");
  });

  it("a feature that swallows the error still fails the event, and the issue is still told", async () => {
    const { probot, stored } = await deliver(true, true);
    mockVisibility(gh, "acme", "product", "public");
    const reply = expectReply(gh, stored);
    await expect(probot.receive(commentEvent({ commentBody: "looks good" }))).rejects.toThrow(/leak firewall blocked POST/);
    expect(reply.body).toContain("| **Rule** | names the CVE id |");
    expectNothingWrittenTo("acme", "product");
  });
});

describe("a future feature sends one GraphQL document with two mutations", () => {
  // Pins an issue of the private security repo, and comments on the public PR in the same request.
  const DOCUMENT = "mutation($pin: ID!, $pr: ID!, $body: String!) { pinIssue(input: { issueId: $pin }) { issue { id } } addComment(input: { subjectId: $pr, body: $body }) { clientMutationId } }";

  function feature(app: Probot) {
    app.on("issue_comment.created", async (context) => {
      await withFirewall(context, async () => BOT, async () => {
        const issue = { owner: "acme", repo: "security", issue_number: 7 };
        const config = validateConfig({});
        if (!config.ok) throw new Error("config");
        const loaded = await loadResponse(context.octokit, issue, config.config, BOT, TEST_KEYS);
        await context.octokit.graphql(DOCUMENT, { pin: "I_dashboard", pr: "PR_public", body: `Fixes ${loaded.record!.cve}` });
      });
    });
  }

  it("is judged by every repository it acts on: the comment on the public PR is stopped", async () => {
    const probot = createTestProbot();
    await probot.load(feature);
    mockToken(gh);
    const stored = await storedResponse();
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, () => commentList(stored));
    // GitHub's word on each node: the pinned issue is in the private security repo, the PR in the public product repo.
    gh.api
      .post("/graphql", (b) => !String(b.query).includes("mutation"))
      .times(2)
      .optionally()
      .reply(200, (_u, b: any) => ({ data: { node: { repository: { visibility: b.variables.id === "I_dashboard" ? "PRIVATE" : "PUBLIC" } } } }));
    gh.api.post("/graphql", (b) => String(b.query).includes("mutation")).optionally().reply(200, { data: {} });
    const reply = expectReply(gh, stored);

    await expect(probot.receive(commentEvent({ commentBody: "looks good" }))).rejects.toThrow(/leak firewall blocked a GraphQL mutation to the repository it acts on \(public repository\)/);

    expect(gh.requests.filter((r) => r.path === "/graphql" && String((r.body as { query?: string }).query).includes("mutation"))).toEqual([]);
    expect(reply.body).toContain("| **Rule** | names the CVE id |");
  });
});

describe("the two mutations, written so that the firewall's reading of the second one's target can slip", () => {
  // Each: the pin acts on the private security repo; the other field writes the CVE to the public PR or repo.
  const PIN = "pinIssue(input: { issueId: $pin }) { issue { id } }";
  const cases: Array<[string, string, (cve: string) => Record<string, unknown>]> = [
    [
      "the comment's whole input in one variable (the usual GraphQL style)",
      `mutation($pin: ID!, $comment: AddCommentInput!) { ${PIN} addComment(input: $comment) { clientMutationId } }`,
      (cve) => ({ pin: "I_dashboard", comment: { subjectId: "PR_public", body: `Fixes ${cve}` } }),
    ],
    [
      "a commit naming its repository by name, not by a node id",
      `mutation($pin: ID!, $headline: String!) { ${PIN} createCommitOnBranch(input: { branch: { repositoryNameWithOwner: "acme/product", branchName: "main" }, message: { headline: $headline }, expectedHeadOid: "${"b".repeat(40)}", fileChanges: {} }) { commit { oid } } }`,
      (cve) => ({ pin: "I_dashboard", headline: `Changelog: ${cve}` }),
    ],
    [
      "a block string with a quote in it among the pin's arguments",
      'mutation($pin: ID!, $pr: ID!, $body: String!) { pinIssue(input: { issueId: $pin, clientMutationId: """pins the "dashboard""" }) { issue { id } } addComment(input: { subjectId: $pr, body: $body }) { clientMutationId } }',
      (cve) => ({ pin: "I_dashboard", pr: "PR_public", body: `Fixes ${cve}` }),
    ],
    [
      "the comment in a fragment on the mutation type",
      "mutation($pin: ID!, $pr: ID!, $body: String!) { pinIssue(input: { issueId: $pin }) { issue { id } } ...Comment } fragment Comment on Mutation { addComment(input: { subjectId: $pr, body: $body }) { clientMutationId } }",
      (cve) => ({ pin: "I_dashboard", pr: "PR_public", body: `Fixes ${cve}` }),
    ],
  ];

  it.each(cases)("%s: stopped, nothing sent", async (_name, document, variables) => {
    const probot = createTestProbot();
    await probot.load((app: Probot) => {
      app.on("issue_comment.created", async (context) => {
        await withFirewall(context, async () => BOT, async () => {
          const config = validateConfig({});
          if (!config.ok) throw new Error("config");
          const loaded = await loadResponse(context.octokit, { owner: "acme", repo: "security", issue_number: 7 }, config.config, BOT, TEST_KEYS);
          await context.octokit.graphql(document, variables(loaded.record!.cve!));
        });
      });
    });
    mockToken(gh);
    const stored = await storedResponse();
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, () => commentList(stored));
    gh.api
      .post("/graphql", (b) => !String(b.query).includes("mutation"))
      .times(2)
      .optionally()
      .reply(200, (_u, b: any) => ({ data: { node: { repository: { visibility: b.variables.id === "I_dashboard" ? "PRIVATE" : "PUBLIC" } } } }));
    gh.api.post("/graphql", (b) => String(b.query).includes("mutation")).optionally().reply(200, { data: {} });
    const reply = expectReply(gh, stored);

    await expect(probot.receive(commentEvent({ commentBody: "looks good" }))).rejects.toThrow(/leak firewall blocked a GraphQL mutation/);

    expect(gh.requests.filter((r) => r.path === "/graphql" && String((r.body as { query?: string }).query).includes("mutation"))).toEqual([]);
    expect(reply.body).toContain("| **Rule** | names the CVE id |");
  });
});

describe("a future feature commits a file through GraphQL (createCommitOnBranch)", () => {
  // GitHub's signed-commit mutation: the file travels base64-encoded, like the contents API's.
  const DOCUMENT = "mutation($input: CreateCommitOnBranchInput!) { createCommitOnBranch(input: $input) { commit { oid } } }";

  function feature(app: Probot) {
    app.on("issue_comment.created", async (context) => {
      await withFirewall(context, async () => BOT, async () => {
        const issue = { owner: "acme", repo: "security", issue_number: 7 };
        const config = validateConfig({});
        if (!config.ok) throw new Error("config");
        const loaded = await loadResponse(context.octokit, issue, config.config, BOT, TEST_KEYS);
        const contents = Buffer.from(`## Unreleased\n\n- Fixes ${loaded.record!.cve}\n`).toString("base64");
        await context.octokit.graphql(DOCUMENT, {
          input: {
            branch: { repositoryNameWithOwner: "acme/product", branchName: "changelog" },
            message: { headline: "Update the changelog" },
            expectedHeadOid: "b".repeat(40),
            fileChanges: { additions: [{ path: "CHANGES.md", contents }] },
          },
        });
      });
    });
  }

  it("the file's decoded content is checked: a CVE in it is stopped", async () => {
    const probot = createTestProbot();
    await probot.load(feature);
    mockToken(gh);
    const stored = await storedResponse();
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, () => commentList(stored));
    gh.api.post("/graphql").optionally().reply(200, { data: { createCommitOnBranch: { commit: { oid: "c".repeat(40) } } } });
    const reply = expectReply(gh, stored);

    await expect(probot.receive(commentEvent({ commentBody: "looks good" }))).rejects.toThrow(/leak firewall blocked a GraphQL mutation to a target the firewall cannot tell/);

    expect(gh.requests.filter((r) => r.path === "/graphql")).toEqual([]);
    expect(reply.body).toContain("| **Where** | a committed file's content (base64-decoded) |");
    expect(reply.body).toContain("| **Rule** | names the CVE id |");
  });
});

describe("the same commit with its file given another way", () => {
  const BRANCH = 'branch: { repositoryNameWithOwner: "acme/product", branchName: "changelog" }, message: { headline: "Update the changelog" }, expectedHeadOid: "' + "b".repeat(40) + '"';
  const cases: Array<[string, string, (contents: string) => Record<string, unknown>]> = [
    ["its content in a variable of its own", `mutation($contents: Base64String!) { createCommitOnBranch(input: { ${BRANCH}, fileChanges: { additions: [{ path: "CHANGES.md", contents: $contents }] } }) { commit { oid } } }`, (contents) => ({ contents })],
    ["the additions in a variable", `mutation($files: [FileAddition!]) { createCommitOnBranch(input: { ${BRANCH}, fileChanges: { additions: $files } }) { commit { oid } } }`, (contents) => ({ files: [{ path: "CHANGES.md", contents }] })],
  ];

  it.each(cases)("%s: its decoded content is checked, and the CVE in it stopped", async (_name, document, variables) => {
    const probot = createTestProbot();
    await probot.load((app: Probot) => {
      app.on("issue_comment.created", async (context) => {
        await withFirewall(context, async () => BOT, async () => {
          const config = validateConfig({});
          if (!config.ok) throw new Error("config");
          const loaded = await loadResponse(context.octokit, { owner: "acme", repo: "security", issue_number: 7 }, config.config, BOT, TEST_KEYS);
          await context.octokit.graphql(document, variables(Buffer.from(`## Unreleased\n\n- Fixes ${loaded.record!.cve}\n`).toString("base64")));
        });
      });
    });
    mockToken(gh);
    const stored = await storedResponse();
    gh.api.get(`${ISSUE}/comments`).query(true).reply(200, () => commentList(stored));
    gh.api.post("/graphql").optionally().reply(200, { data: { createCommitOnBranch: { commit: { oid: "c".repeat(40) } } } });
    const reply = expectReply(gh, stored);

    await expect(probot.receive(commentEvent({ commentBody: "looks good" }))).rejects.toThrow(/leak firewall blocked a GraphQL mutation to a target the firewall cannot tell/);

    expect(gh.requests.filter((r) => r.path === "/graphql")).toEqual([]);
    expect(reply.body).toContain("| **Where** | a committed file's content (base64-decoded) |");
    expect(reply.body).toContain("| **Rule** | names the CVE id |");
  });
});
