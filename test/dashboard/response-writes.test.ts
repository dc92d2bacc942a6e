import { describe, expect, it } from "vitest";
import { applyEffects, type IssueState } from "../../src/github/apply-effects.js";
import { withResponseWrites, type ResponseWrite } from "../../src/github/response-writes.js";
import { RESPONSE_MARKER } from "../../src/record/markers.js";
import { noEffects } from "../../src/response/effects.js";
import { BOT } from "../helpers/app.js";

const issue = { owner: "acme", repo: "security", issue_number: 7 };
const comment = { data: { id: 1, html_url: "https://github.com/acme/security/issues/7#issuecomment-1" } };
// applyEffects writes through `octokit.request(route)`: the create and the update answer alike.
const octokit = {
  request: async (route: string) => {
    if (route !== "POST /repos/{owner}/{repo}/issues/{issue_number}/comments" && route !== "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}") throw new Error(`unexpected ${route}`);
    return comment;
  },
} as never;
const state = (): IssueState => ({ comments: [], botLogin: BOT, labels: [], assignees: [], open: true });

describe("the response-write hook every handler reaches through applyEffects", () => {
  it("is called once per response comment created or changed, never for an unchanged body or a reply", async () => {
    const writes: ResponseWrite[] = [];
    const s = state();
    await withResponseWrites(async (w) => void writes.push(w), async () => {
      await applyEffects(octokit, issue, s, { ...noEffects(), responseBody: `${RESPONSE_MARKER}\none` });
      await applyEffects(octokit, issue, s, { ...noEffects(), responseBody: `${RESPONSE_MARKER}\none` });
      await applyEffects(octokit, issue, s, { ...noEffects(), replies: [{ key: "k", body: "hi" }] });
      await applyEffects(octokit, issue, s, { ...noEffects(), responseBody: `${RESPONSE_MARKER}\ntwo` });
    });
    expect(writes.map((w) => [w.body.split("\n")[1], w.commentUrl])).toEqual([
      ["one", "https://github.com/acme/security/issues/7#issuecomment-1"],
      ["two", "https://github.com/acme/security/issues/7#issuecomment-1"],
    ]);
  });

  it("outside a hook's scope (the CLI, tests), writing a response calls nothing more", async () => {
    await expect(applyEffects(octokit, issue, state(), { ...noEffects(), responseBody: `${RESPONSE_MARKER}\none` })).resolves.toMatchObject({ responseCommentId: 1 });
  });
});
