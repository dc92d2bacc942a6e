/**
 * The disclosure branch's name is predictable (the GHSA id, which the reporter knows; the issue
 * number on GHES): a product repository's writer can make it, or open a PR from it, before
 * disclosure. Publish step 2 takes only what the app made.
 */
import { describe, expect, it } from "vitest";
import type { GitHubMock } from "../helpers/github-api.js";
import { AFTER_END, checkEachTest, expectPublishedOnce, world, type World } from "./world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

/** `/announce` makes the draft (its GHSA id names the branch); then someone makes the branch with a file of theirs. */
async function branchMadeAhead(v: World): Promise<{ branch: string; files: () => Record<string, string> }> {
  await v.send("/announce", { now: AFTER_END });
  const branch = `embargo/disclosure-${v.fake.advisories[0]!.ghsa_id as string}`;
  const widget = v.fake.repos.get("acme/widget")!;
  v.fake.refs.set(`acme/widget:${branch}`, "0badc0de");
  widget.files[branch] = { ...widget.files[widget.default_branch], "src/auth.js": "module.exports = () => true; // accept every password\n" };
  return { branch, files: () => widget.files[branch]! };
}

describe("publish step 2: a disclosure branch someone made before disclosure", () => {
  it("commits put there in advance never ride along in the changelog PR: the branch is set back to the default branch's head first", async () => {
    w = await world(gh);
    const { branch, files } = await branchMadeAhead(w);
    await w.send("/announce publish", { now: AFTER_END });
    expectPublishedOnce(w);
    expect(w.fake.pulls[0]).toMatchObject({ head: branch, base: "main" });
    expect(files()["src/auth.js"]).toBeUndefined();
    expect(files()["CHANGES.md"]).toContain("- Security: ");
    expect(w.fake.refs.get(`acme/widget:${branch}`)).toBe(w.fake.refs.get("acme/widget:main"));
  });

  it("someone else's open PR from it is not taken as the changelog PR: the step is refused, naming it, and finished once it is closed", async () => {
    w = await world(gh);
    const { branch, files } = await branchMadeAhead(w);
    const ghsa = w.fake.advisories[0]!.ghsa_id as string;
    w.fake.pulls.push({ repo: "acme/widget", number: 50, head: branch, base: "main", title: `Changelog: ${ghsa}`, body: "", state: "open", user: "mallory" });
    await w.send("/announce publish", { now: AFTER_END });
    expect(w.fake.advisories[0]!.state).toBe("published");
    const refusal = w.replies().find((b) => b.includes("was not opened"))!;
    expect(refusal).toContain(`its branch \`${branch}\` already has an open pull request that someone else opened (https://github.com/acme/widget/pull/50)`);
    expect(refusal).toContain("Close that pull request, then run `/announce publish` again");
    expect(w.replies().filter((b) => b.includes("### Un-embargo steps"))).toEqual([]);
    expect(w.record).toMatchObject({ publish_refused: { step: "changelog" } });
    expect(w.fake.pulls).toHaveLength(1);
    expect(files()["src/auth.js"]).toBeDefined();

    w.fake.pulls[0]!.state = "closed";
    await w.send("/announce publish", { now: AFTER_END });
    expect(w.fake.pulls).toHaveLength(2);
    expect(w.fake.pulls[1]).toMatchObject({ head: branch });
    expect(w.fake.pulls[1]!.user).toBeUndefined();
    expect(files()["src/auth.js"]).toBeUndefined();
    const unembargo = w.replies().filter((b) => b.includes("### Un-embargo steps"));
    expect(unembargo).toHaveLength(1);
    expect(unembargo[0]).toContain(`https://github.com/acme/widget/pull/${w.fake.pulls[1]!.number}`);
    expect(unembargo[0]).not.toContain("https://github.com/acme/widget/pull/50");
    expect(w.record.state).toBe("announced");
  });
});
