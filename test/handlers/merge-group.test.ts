/**
 * A required gate must be reported on a merge queue's commit too: `merge_group.checks_requested`
 * gets the gate on the group's head, passing only when the PR the group names passes it now.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestProbot, INSTALLATION_ID, mockIdentity } from "../helpers/app.js";
import { loadWebhookExample, mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import { HEAD, mockPrStart, pull, SEALED, SECRETS, serveRuns, UNLINKED_RUN, type RunShape } from "../pr/fixtures.js";

let gh: GitHubMock;
beforeEach(() => {
  gh = mockGitHub();
});
afterEach(() => gh.done());

const GROUP_HEAD = "e".repeat(40);

/** GitHub's example payload, moved to acme/product, its group queuing PR #42. */
function mergeGroupEvent(number = 42) {
  const payload = loadWebhookExample("merge_group", "checks_requested");
  payload.merge_group = { ...payload.merge_group, head_sha: GROUP_HEAD, head_ref: `refs/heads/gh-readonly-queue/main/pr-${number}-${"a".repeat(40)}`, base_ref: "refs/heads/main" };
  payload.repository = { ...payload.repository, ...pull().base.repo };
  payload.installation = { id: INSTALLATION_ID };
  return { id: `mg-${Math.random()}`, name: "merge_group" as const, payload };
}

/** The reads of one group: the config, PR #42 now, the app's runs on its head and on the group's commit. */
function serveGroup(prRuns: RunShape[], groupRuns: RunShape[] = [], state = "open") {
  mockPrStart(gh);
  mockIdentity(gh);
  gh.api.get("/repos/acme/product/pulls/42").reply(200, pull({ state }));
  if (state === "open") serveRuns(gh, "acme/product", HEAD, prRuns);
  serveRuns(gh, "acme/product", GROUP_HEAD, groupRuns);
}

function acceptGroupRun(): Record<string, unknown>[] {
  const created: Record<string, unknown>[] = [];
  gh.api.post("/repos/acme/product/check-runs", (b) => (created.push(b), true)).reply(201, { id: 90 });
  return created;
}

describe("merge_group.checks_requested", () => {
  it("passes the group's commit when its PR's head passes the gate (an unlinked PR's run)", async () => {
    const probot = createTestProbot();
    serveGroup([UNLINKED_RUN]);
    const created = acceptGroupRun();
    await probot.receive(mergeGroupEvent());
    expect(created).toEqual([expect.objectContaining({ name: "review gate", head_sha: GROUP_HEAD, status: "completed", conclusion: "success", output: { title: "Ready to merge", summary: "Every change in this group passed this check." } })]);
    expect(created[0]).not.toHaveProperty("external_id");
  });

  it("blocks the group's commit, saying nothing of why, while its PR's gate waits", async () => {
    const probot = createTestProbot();
    serveGroup([{ id: 77, external_id: SEALED, status: "completed", conclusion: "action_required", title: "Waiting for review" }]);
    const created = acceptGroupRun();
    await probot.receive(mergeGroupEvent());
    expect(created).toEqual([expect.objectContaining({ name: "review gate", head_sha: GROUP_HEAD, conclusion: "action_required", output: expect.objectContaining({ title: "Waiting for review" }) })]);
    expect(created[0]).not.toHaveProperty("external_id");
    expect(gh.requestsTo("acme", "security")).toEqual([]);
    expect(gh.leaks(SECRETS, gh.requestsTo("acme", "product"))).toEqual([]);
  });

  it("blocks when the PR has no gate of the app's on its head, or is no longer open", async () => {
    const probot = createTestProbot();
    serveGroup([{ id: 99, external_id: null, status: "completed", conclusion: "success", title: "Approved", appId: 666 }]);
    const created = acceptGroupRun();
    await probot.receive(mergeGroupEvent());
    expect(created.map((c) => c.conclusion)).toEqual(["action_required"]);

    const again = createTestProbot();
    serveGroup([], [], "closed");
    acceptGroupRun();
    await again.receive(mergeGroupEvent());
    expect(gh.requests.filter((r) => r.method === "POST" && r.path.endsWith("/check-runs")).map((r) => (r.body as { conclusion?: string }).conclusion)).toEqual(["action_required", "action_required"]);
  });

  it("a redelivery finds its run on the group's commit and writes nothing; a changed verdict updates it", async () => {
    const probot = createTestProbot();
    serveGroup([UNLINKED_RUN], [{ id: 90, external_id: "", status: "completed", conclusion: "success", title: "Ready to merge" }]);
    await probot.receive(mergeGroupEvent());
    expect(gh.requests.filter((r) => r.method !== "GET" && !r.path.startsWith("/app"))).toEqual([]);

    const later = createTestProbot();
    serveGroup([{ id: 77, external_id: SEALED, status: "completed", conclusion: "failure", title: "Changes requested" }], [{ id: 90, external_id: "", status: "completed", conclusion: "success", title: "Ready to merge" }]);
    let update: any;
    gh.api.patch("/repos/acme/product/check-runs/90", (b) => ((update = b), true)).reply(200, {});
    await later.receive(mergeGroupEvent());
    expect(update).toMatchObject({ conclusion: "action_required", output: { title: "Waiting for review" } });
    expect(update).not.toHaveProperty("external_id");
  });
});
