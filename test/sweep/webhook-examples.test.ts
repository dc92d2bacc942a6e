/**
 * Issue 10's sweep: every example payload GitHub publishes for the events the app subscribes to
 * (@octokit/webhooks-examples) is delivered as-is, then driven into the app's paths (private
 * security repo, configured team, `security` label, commands, linked PRs), and no delivery may
 * throw. GitHub is the in-memory fake in fake-github.ts, behind the request-validating harness.
 *
 * Every delivery also keeps three promises the app makes whatever the event: one response comment
 * per security issue, nothing written above GitHub's comment limit (the fake answers 422 as GitHub
 * does), and nothing embargoed sent towards the public product repo.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/commands/registry.js";
import { RESPONSE_MARKER } from "../../src/record/markers.js";
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { BOT_LOGIN, FakeGitHub } from "./fake-github.js";
import {
  advisoryPayloads,
  commentEvent,
  CVSS,
  inRepo,
  ISSUE,
  issuesEvent,
  linkedWorld,
  PRIVATE_PR,
  PRODUCT,
  PUBLIC_PR,
  pullEvent,
  reviewEvent,
  SECURITY,
  session,
  subscribedExamples,
  SUBSCRIBED,
  TITLE,
  type Example,
  type Session,
} from "./sweep-world.js";

const examples = subscribedExamples();
const of = (event: string) => examples.filter((e) => e.event === event);
const PUBLIC_ISSUE = 9;
const FRESH_ISSUE = 8;
const SECRETS = [TITLE, "SQL injection", `${SECURITY}#${ISSUE}`, `security/issues/${ISSUE}`];

/** `issues.closed` has no example in the package: the `reopened` one, closed. */
function closedExample(): Example {
  const base = structuredClone(examples.find((e) => e.label === "issues.reopened #1")!.payload);
  base.action = "closed";
  base.issue.state = "closed";
  base.issue.state_reason = "completed";
  return { event: "issues", action: "closed", label: "issues.closed (from reopened #1)", payload: base };
}

function keepsPromises(s: Session): void {
  s.finish();
  const responses = s.fake.comments(SECURITY, ISSUE).filter((c) => c.login === BOT_LOGIN && c.body.includes(RESPONSE_MARKER));
  expect(responses.length, "response comments on the security issue").toBeLessThanOrEqual(1);
  expect(s.gh.leaks(SECRETS, s.gh.requestsTo("acme", "product")), "embargoed text sent to the public repo").toEqual([]);
}

describe("the sweep covers what the app subscribes to", () => {
  it("sweeps exactly the events app.yml subscribes to", () => {
    const manifest = parseYaml(readFileSync(new URL("../../app.yml", import.meta.url), "utf8")) as { default_events: string[] };
    expect([...SUBSCRIBED].sort()).toEqual([...manifest.default_events].sort());
  });
  it("has example payloads for every subscribed event but repository_advisory, which is swept from its documented shape", () => {
    const events = new Set(examples.map((e) => e.event));
    expect(SUBSCRIBED.filter((e) => !events.has(e))).toEqual(["repository_advisory"]);
    expect(examples.length).toBeGreaterThanOrEqual(73);
  });
});

describe("every example as-is (no config anywhere)", () => {
  for (const example of [...examples, ...advisoryPayloads(), closedExample()]) {
    it(`${example.label} does not throw`, async () => {
      const s = session(new FakeGitHub());
      await expect(s.deliver(example.event, structuredClone(example.payload))).resolves.toBeUndefined();
      keepsPromises(s);
    });
  }
});

describe("every example driven into the app's paths", () => {
  let linked: FakeGitHub;
  beforeAll(async () => {
    ({ linked } = await linkedWorld());
  });

  for (const example of [...of("issues"), closedExample()]) {
    it(`${example.label} on the private security issue, team configured, two linked PRs`, async () => {
      const fake = linked.clone();
      const s = session(fake);
      await expect(s.deliver("issues", issuesEvent(example.payload, fake, SECURITY, ISSUE))).resolves.toBeUndefined();
      keepsPromises(s);
    });
    it(`${example.label} on a fresh private issue (no response yet, triage rotation configured)`, async () => {
      const fake = linked.clone();
      fake.issue(SECURITY, FRESH_ISSUE, { title: "XSS in the profile page", author: "reporter2", labels: ["security"] });
      const s = session(fake);
      await expect(s.deliver("issues", issuesEvent(example.payload, fake, SECURITY, FRESH_ISSUE, "maintainer"))).resolves.toBeUndefined();
      keepsPromises(s);
    });
    it(`${example.label} on a public product issue with the security label`, async () => {
      const fake = linked.clone();
      fake.issue(PRODUCT, PUBLIC_ISSUE, { title: "Login form looks odd", author: "passerby", labels: ["security"] });
      const s = session(fake);
      await expect(s.deliver("issues", issuesEvent(example.payload, fake, PRODUCT, PUBLIC_ISSUE, "maintainer"))).resolves.toBeUndefined();
      keepsPromises(s);
    });
  }

  const commands = ["/triage status", `/triage cvss ${CVSS}`, `/triage pr ${PRODUCT}#${PUBLIC_PR}`];
  for (const example of of("issue_comment")) {
    for (const command of commands) {
      it(`${example.label} "${command}" by a team member on the security issue`, async () => {
        const fake = linked.clone();
        const s = session(fake);
        await expect(s.deliver("issue_comment", commentEvent(example.payload, fake, SECURITY, ISSUE, command))).resolves.toBeUndefined();
        keepsPromises(s);
      });
    }
  }

  const created = examples.find((e) => e.label === "issue_comment.created #1")!.payload;
  for (const line of COMMANDS.flatMap((c) => c.examples)) {
    it(`documented command "${line}" by a team member on the security issue`, async () => {
      const fake = linked.clone();
      const s = session(fake);
      await expect(s.deliver("issue_comment", commentEvent(created, fake, SECURITY, ISSUE, line))).resolves.toBeUndefined();
      keepsPromises(s);
    });
  }
  for (const example of of("issue_comment")) {
    it(`${example.label} "/triage status" by someone outside the team`, async () => {
      const fake = linked.clone();
      const s = session(fake);
      await expect(s.deliver("issue_comment", commentEvent(example.payload, fake, SECURITY, ISSUE, "/triage status", "passerby"))).resolves.toBeUndefined();
      keepsPromises(s);
    });
  }

  for (const example of of("pull_request")) {
    it(`${example.label} on the public fix PR linked by /triage pr`, async () => {
      const fake = linked.clone();
      const s = session(fake);
      await expect(s.deliver("pull_request", pullEvent(example.payload, fake, PRODUCT, PUBLIC_PR))).resolves.toBeUndefined();
      keepsPromises(s);
    });
    it(`${example.label} on a new private PR whose body names the issue`, async () => {
      const fake = linked.clone();
      fake.pull(SECURITY, 44, { title: "Escape the password too", body: `Follow-up to #${ISSUE}.`, head_sha: "4".repeat(40), head_ref: "fix-password" });
      const s = session(fake);
      await expect(s.deliver("pull_request", pullEvent(example.payload, fake, SECURITY, 44))).resolves.toBeUndefined();
      keepsPromises(s);
    });
  }

  for (const example of of("pull_request").filter((e) => e.action === "closed")) {
    for (const [repo, number] of [[PRODUCT, PUBLIC_PR], [SECURITY, PRIVATE_PR]] as const) {
      it(`${example.label} merged into a supported branch, on ${repo}#${number}`, async () => {
        const fake = linked.clone();
        const s = session(fake);
        await expect(s.deliver("pull_request", pullEvent(example.payload, fake, repo, number, "dev1", true))).resolves.toBeUndefined();
        keepsPromises(s);
      });
    }
  }

  for (const example of of("pull_request_review")) {
    const states = example.action === "submitted" ? [undefined, "approved", "changes_requested"] : [undefined];
    for (const [repo, number] of [[PRODUCT, PUBLIC_PR], [SECURITY, PRIVATE_PR]] as const) {
      for (const state of states) {
        it(`${example.label}${state ? ` (${state})` : ""} by a team member on ${repo}#${number}`, async () => {
          const fake = linked.clone();
          const s = session(fake);
          await expect(s.deliver("pull_request_review", reviewEvent(example.payload, fake, repo, number, "alice", state))).resolves.toBeUndefined();
          keepsPromises(s);
        });
      }
    }
  }

  for (const example of of("merge_group")) {
    it(`${example.label} on the product repo, its group the linked public fix PR`, async () => {
      const fake = linked.clone();
      const s = session(fake);
      const payload = inRepo(example.payload, fake, PRODUCT);
      payload.merge_group.head_ref = `refs/heads/gh-readonly-queue/main/pr-${PUBLIC_PR}-${"a".repeat(40)}`;
      await expect(s.deliver("merge_group", payload)).resolves.toBeUndefined();
      keepsPromises(s);
    });
  }

  for (const example of advisoryPayloads()) {
    it(`${example.label} on the product repo`, async () => {
      const fake = linked.clone();
      const s = session(fake);
      await expect(s.deliver("repository_advisory", inRepo(example.payload, fake, PRODUCT))).resolves.toBeUndefined();
      keepsPromises(s);
    });
  }
});
