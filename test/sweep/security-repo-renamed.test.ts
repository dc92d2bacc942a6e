/**
 * The security repository renamed or transferred: GitHub keeps its id and redirects API calls made
 * with the old name. Issue events then name it by its new name while a fix PR's sealed link still
 * names the old one. The responses must keep working under both, as one response each.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { LinkSealer } from "../../src/pr/pr-link.js";
import { decodeRecord, recordMarker, RESPONSE_MARKER } from "../../src/record/markers.js";
import { ranOf } from "../../src/record/ran.js";
import { recordOf, TEST_KEYS, TEST_SECRET } from "../helpers/app.js";
import { BOT_LOGIN, type FakeGitHub } from "./fake-github.js";
import { commentEvent, HEAD, inRepo, ISSUE, issuesEvent, linkedWorld, PRODUCT, PUBLIC_PR, pullEvent, PUSHED, reviewEvent, SECURITY, session, subscribedExamples } from "./sweep-world.js";

const example = (label: string) => subscribedExamples().find((e) => e.label === label)!.payload;
const CREATED = example("issue_comment.created #1");
const LABELED = example("issues.labeled #1");
const SYNCHRONIZE = example("pull_request.synchronize #1");
const REVIEW = example("pull_request_review.submitted #1");
const RENAMED = example("repository.renamed #1");
const TRANSFERRED = example("repository.transferred #1");

let linked: FakeGitHub;
beforeAll(async () => {
  ({ linked } = await linkedWorld());
});

/**
 * GitHub renames (or moves) the repo: the new name answers, and so does the old one (GitHub
 * redirects it); the repo keeps its id, issues, comments and config.
 */
function rename(fake: FakeGitHub, from: string, to: string): void {
  const repo = fake.repo(from);
  [repo.owner, repo.name] = to.split("/") as [string, string];
  fake.state.repos.set(to.toLowerCase(), repo);
}

/** `repository.renamed` or `.transferred` as GitHub sends it for the repo now named `to`, formerly `from`. */
function movedEvent(fake: FakeGitHub, from: string, to: string, action: "renamed" | "transferred") {
  const [fromOwner, fromName] = from.split("/") as [string, string];
  const p = inRepo(action === "renamed" ? RENAMED : TRANSFERRED, fake, to);
  p.changes = action === "renamed" ? { repository: { name: { from: fromName } } } : { owner: { from: { organization: { login: fromOwner, id: 9, node_id: "O_9", type: "Organization" } } } };
  p.sender = { ...p.sender, login: "alice", type: "User" };
  return p;
}

const responseOf = (fake: FakeGitHub, repo: string) => fake.comments(repo, ISSUE).find((c) => c.login === BOT_LOGIN && c.body.includes(RESPONSE_MARKER))!;
const botReplies = (fake: FakeGitHub, repo: string) => fake.comments(repo, ISSUE).filter((c) => c.login === BOT_LOGIN && !c.body.includes(RESPONSE_MARKER));
const gateOn = (fake: FakeGitHub, sha: string) => fake.repo(PRODUCT).checkRuns.find((r) => r.head_sha === sha);

describe("a security repository renamed (GitHub keeps its id)", () => {
  it("a /triage command under the new name updates the response: no 'damaged' reply", async () => {
    const fake = linked.clone();
    rename(fake, SECURITY, "acme/security-core");
    const s = session(fake);
    const replies = botReplies(fake, "acme/security-core").length;

    await s.deliver("issue_comment", commentEvent(CREATED, fake, "acme/security-core", ISSUE, "/triage severity low"));
    s.finish();

    expect(recordOf(responseOf(fake, "acme/security-core").body, `acme/security-core#${ISSUE}`, fake.repo("acme/security-core").id).severity).toBe("low");
    expect(botReplies(fake, "acme/security-core")).toHaveLength(replies);
  });

  it("the fix PR, linked under the old name: a push gates its new head, then an approval and a command at once both land", async () => {
    const fake = linked.clone();
    rename(fake, SECURITY, "acme/security-core");
    const s = session(fake);
    const replies = botReplies(fake, "acme/security-core").length;

    await s.deliver("pull_request", pullEvent(SYNCHRONIZE, fake, PRODUCT, PUBLIC_PR));
    expect(gateOn(fake, PUSHED)).toMatchObject({ conclusion: "action_required" });
    // The approval's event finds the response by the link's (old) name, the command's by the new:
    // one response, so one queue; neither write undoes the other.
    const approval = reviewEvent(REVIEW, fake, PRODUCT, PUBLIC_PR, "alice", "approved");
    const command = commentEvent(CREATED, fake, "acme/security-core", ISSUE, "/triage severity low");
    await Promise.all([s.deliver("pull_request_review", approval), s.deliver("issue_comment", command)]);
    s.finish();

    expect(gateOn(fake, PUSHED)).toMatchObject({ conclusion: "success" });
    const record = recordOf(responseOf(fake, "acme/security-core").body, `acme/security-core#${ISSUE}`, fake.repo("acme/security-core").id);
    expect(record.severity).toBe("low");
    expect(ranOf(record.ran).keys()).toContain(String(command.comment.id));
    expect(record.prs.find((p) => p.number === PUBLIC_PR)).toMatchObject({ review: "approved", head_sha: PUSHED });
    expect(botReplies(fake, "acme/security-core")).toHaveLength(replies);
  });
});

describe("a response written by an older version (its record signed by the repository's name)", () => {
  /** The response as versions before repository ids wrote it: the same record, bound to `acme/security#7`. */
  function signedByName(fake: FakeGitHub): void {
    const response = responseOf(fake, SECURITY);
    const record = decodeRecord(response.body, TEST_KEYS, { owner: "acme", repo: "security", issue_number: ISSUE, repo_id: fake.repo(SECURITY).id });
    const own = record.found ? record.record : recordOf(response.body);
    response.body = response.body.replace(/<!-- embargo:record:v\d [^>]*-->/, recordMarker(own, TEST_KEYS, `${SECURITY}#${ISSUE}`));
    expect(response.body).toContain("<!-- embargo:record:v2 ");
  }

  for (const [action, to] of [["renamed", "acme/security-core"], ["transferred", "acme-sec/security"]] as const) {
    it(`still works after the repository is ${action}: the ${action} event signs it again, once; commands and the PR's events then update it`, async () => {
      const fake = linked.clone();
      signedByName(fake);
      rename(fake, SECURITY, to);
      const s = session(fake);
      const replies = botReplies(fake, to).length;

      await s.deliver("repository", movedEvent(fake, SECURITY, to, action));
      const resigned = responseOf(fake, to).body;
      expect(recordOf(resigned, `${to}#${ISSUE}`, fake.repo(to).id).state).toBe(recordOf(responseOf(linked, SECURITY).body, `${SECURITY}#${ISSUE}`, linked.repo(SECURITY).id).state);
      // Redelivered: nothing left to sign again.
      await s.deliver("repository", movedEvent(fake, SECURITY, to, action));
      expect(responseOf(fake, to).body).toBe(resigned);

      await s.deliver("issue_comment", commentEvent(CREATED, fake, to, ISSUE, "/triage severity low"));
      await s.deliver("pull_request_review", reviewEvent(REVIEW, fake, PRODUCT, PUBLIC_PR, "alice", "approved"));
      s.finish();

      const record = recordOf(responseOf(fake, to).body, `${to}#${ISSUE}`, fake.repo(to).id);
      expect(record.severity).toBe("low");
      expect(record.prs.find((p) => p.number === PUBLIC_PR)).toMatchObject({ review: "approved" });
      expect(botReplies(fake, to)).toHaveLength(replies);
    });
  }
});

describe("fix PR links", () => {
  it("carry the security repository's id, so the response is one response whichever name names it", async () => {
    const fake = linked.clone();
    const gate = fake.repo(PRODUCT).checkRuns.find((r) => r.external_id)!;
    const links = new LinkSealer(TEST_SECRET).openLinks(gate.external_id, { key: `${PRODUCT}#${PUBLIC_PR}`, repoId: fake.repo(PRODUCT).id });
    expect(links).toEqual([{ key: `${SECURITY}#${ISSUE}`, repoId: fake.repo(SECURITY).id }]);
  });
});

describe("the wording check after a rename", () => {
  it("a public fix PR linked under the old name that names the issue by the repository's new name fails the check", async () => {
    const fake = linked.clone();
    rename(fake, SECURITY, "acme/security-core");
    const s = session(fake);
    fake.pull(PRODUCT, PUBLIC_PR).title = `Fix acme/security-core#${ISSUE}`;

    await s.deliver("pull_request", pullEvent(SYNCHRONIZE, fake, PRODUCT, PUBLIC_PR));
    s.finish();

    const record = recordOf(responseOf(fake, "acme/security-core").body, `acme/security-core#${ISSUE}`, fake.repo("acme/security-core").id);
    expect(record.prs.find((p) => p.number === PUBLIC_PR)!.leaks).toBeGreaterThan(0);
    expect(responseOf(fake, "acme/security-core").body).toMatch(/- \[ \] Commits do not refer to the vulnerability/);
  });
});

describe("the security repository's former name", () => {
  it("is recorded and shown by the rename event, once; a public fix PR naming the issue by it fails the wording check, also once its link names the new name", async () => {
    const fake = linked.clone();
    const to = "acme/security-core";
    rename(fake, SECURITY, to);
    const s = session(fake);
    await s.deliver("repository", movedEvent(fake, SECURITY, to, "renamed"));
    const told = responseOf(fake, to).body;
    expect(told).toContain("| **Security repository formerly** | acme/security (GitHub still redirects it");
    await s.deliver("repository", movedEvent(fake, SECURITY, to, "renamed"));
    expect(responseOf(fake, to).body).toBe(told);
    // An issue event seals the PR's link again, under the new name.
    await s.deliver("issue_comment", commentEvent(CREATED, fake, to, ISSUE, `/triage pr ${PRODUCT}#${PUBLIC_PR}`));
    fake.pull(PRODUCT, PUBLIC_PR).title = `Fix ${SECURITY}#${ISSUE}`;

    await s.deliver("pull_request", pullEvent(SYNCHRONIZE, fake, PRODUCT, PUBLIC_PR));
    s.finish();

    const record = recordOf(responseOf(fake, to).body, `${to}#${ISSUE}`, fake.repo(to).id);
    expect(record.former_names).toEqual(["acme/security"]);
    expect(record.prs.find((p) => p.number === PUBLIC_PR)!.leaks).toBeGreaterThan(0);
    expect(responseOf(fake, to).body).toMatch(/- \[ \] Commits do not refer to the vulnerability/);
  });
});

describe("an event that changes nothing after a rename", () => {
  for (const renamed of [false, true]) {
    it(`writes nothing, whichever name it knows the repository by${renamed ? " (renamed: the PR's link names the old one)" : ""}`, async () => {
      const fake = linked.clone();
      const name = renamed ? "acme/security-core" : SECURITY;
      if (renamed) rename(fake, SECURITY, name);
      const s = session(fake);
      await s.deliver("pull_request_review", reviewEvent(REVIEW, fake, PRODUCT, PUBLIC_PR, "dev1", "commented"));
      await s.deliver("issue_comment", commentEvent(CREATED, fake, name, ISSUE, "/triage severity low"));
      const before = responseOf(fake, name).body;

      await s.deliver("pull_request_review", reviewEvent(REVIEW, fake, PRODUCT, PUBLIC_PR, "dev1", "commented"));
      s.finish();

      expect(responseOf(fake, name).body).toBe(before);
    });
  }
});

describe("the security repository's former name taken by another private repository", () => {
  it("is never told that a public fix PR waits on a security response: a command linking the PR to another response posts nothing there", async () => {
    const fake = linked.clone();
    const to = "acme/security-core";
    rename(fake, SECURITY, to);
    // Another team creates a private repository under the freed name: its own readers, its own #7.
    fake.state.repos.delete(SECURITY.toLowerCase());
    const taken = fake.repo(SECURITY, { private: true });
    taken.id = fake.repo(to).id + 1;
    taken.config = fake.repo(to).config;
    fake.issue(SECURITY, ISSUE, { title: "Move the CI to the new runners" });
    const s = session(fake);

    // The PR also fixes #8; its link to #7 still names the old name.
    await s.deliver("issues", issuesEvent(LABELED, fake, to, 8, "alice"));
    await s.deliver("issue_comment", commentEvent(CREATED, fake, to, 8, `/triage pr ${PRODUCT}#${PUBLIC_PR}`));
    s.finish();

    expect(fake.comments(SECURITY, ISSUE)).toEqual([]);
    expect(gateOn(fake, HEAD)).toMatchObject({ conclusion: "action_required" });
  });
});
