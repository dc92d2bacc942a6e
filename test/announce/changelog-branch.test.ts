/**
 * The disclosure branch's name is predictable (the GHSA id, which the reporter knows; the issue
 * number on GHES): a product repository's writer can make it, or open a PR from it, before
 * disclosure, and a custom `disclosure_branch` may match a branch of the project's. Publish step 2
 * takes only what the app made, and never resets a branch holding anything else.
 */
import { describe, expect, it } from "vitest";
import type { GitHubMock } from "../helpers/github-api.js";
import { AFTER_END, checkEachTest, expectPublishedOnce, world, type World } from "./world.js";

let gh: GitHubMock;
let w: World | undefined;
checkEachTest(() => ({ gh, w }), (fresh) => ({ gh, w } = fresh));

const BACKDOOR = "module.exports = () => true; // accept every password\n";

/** `/announce` makes the draft (its GHSA id names the branch); then the branch is made with `files` changed. */
async function branchMadeAhead(v: World, files: Record<string, string>, sha = "0badc0de") {
  await v.send("/announce", { now: AFTER_END });
  const branch = `embargo/disclosure-${v.fake.advisories[0]!.ghsa_id as string}`;
  const widget = v.fake.repos.get("acme/widget")!;
  v.fake.refs.set(`acme/widget:${branch}`, sha);
  widget.files[branch] = { ...widget.files[widget.default_branch], ...files };
  return {
    branch,
    files: () => widget.files[branch]!,
    remove: () => {
      v.fake.refs.delete(`acme/widget:${branch}`);
      delete widget.files[branch];
    },
  };
}

const refusal = (v: World) => v.replies().filter((b) => b.includes("The CHANGES/NEWS pull request on `acme/widget` was not opened"));
const resets = () => gh.requests.filter((r) => r.method === "PATCH" && r.path.includes("/git/refs/"));

describe("publish step 2: a disclosure branch already there", () => {
  it("with commits someone put there in advance: left untouched and never in a PR; the step stops naming the files, and finishes once the branch is gone", async () => {
    w = await world(gh);
    const { branch, files, remove } = await branchMadeAhead(w, { "src/auth.js": BACKDOOR });
    await w.send("/announce publish", { now: AFTER_END });
    expect(w.fake.advisories[0]!.state).toBe("published");
    expect(w.fake.pulls).toEqual([]);
    expect(resets()).toEqual([]);
    expect(files()["src/auth.js"]).toBe(BACKDOOR);
    expect(refusal(w)).toHaveLength(1);
    expect(refusal(w)[0]).toContain(`its branch \`${branch}\` is already there, with changes the app does not make (to src/auth.js)`);
    expect(refusal(w)[0]).toContain("run `/announce publish` again to finish");
    expect(w.record).toMatchObject({ publish_refused: { step: "changelog" } });

    remove();
    await w.send("/announce publish", { now: AFTER_END });
    expectPublishedOnce(w);
    expect(w.fake.pulls[0]).toMatchObject({ head: branch, base: "main" });
    expect(files()["src/auth.js"]).toBeUndefined();
    expect(files()["CHANGES.md"]).toContain("- Security: ");
  });

  it("left by an earlier run cut short before its PR (the changelog's files changed only): set back to the default branch's head and written again, the entry once", async () => {
    w = await world(gh);
    const widget = w.fake.repos.get("acme/widget")!;
    const before = widget.files.main!["CHANGES.md"]!;
    const { branch, files } = await branchMadeAhead(w, { "CHANGES.md": `${before}\n- an entry of a run cut short\n` });
    await w.send("/announce publish", { now: AFTER_END });
    expectPublishedOnce(w);
    expect(resets()).toHaveLength(1);
    expect(w.fake.refs.get(`acme/widget:${branch}`)).toBe(w.fake.refs.get("acme/widget:main"));
    expect(files()["CHANGES.md"]).not.toContain("an entry of a run cut short");
    expect(files()["CHANGES.md"]!.split("- Security: ")).toHaveLength(2);
  });

  it("a branch of the project's at an older commit of the default branch (a custom disclosure_branch matched it): left as it is", async () => {
    w = await world(gh);
    const { branch } = await branchMadeAhead(w, {}, "behind");
    await w.send("/announce publish", { now: AFTER_END });
    expect(w.fake.pulls).toEqual([]);
    expect(resets()).toEqual([]);
    expect(w.fake.refs.get(`acme/widget:${branch}`)).toBe("behind");
    expect(refusal(w)[0]).toContain("at an older commit of the default branch");
  });

  it("with someone else's open PR from it: not taken as the changelog PR; the step stops naming it", async () => {
    w = await world(gh);
    const { branch, remove } = await branchMadeAhead(w, { "src/auth.js": BACKDOOR });
    const ghsa = w.fake.advisories[0]!.ghsa_id as string;
    w.fake.pulls.push({ repo: "acme/widget", number: 50, head: branch, base: "main", title: `Changelog: ${ghsa}`, body: "", state: "open", user: "mallory" });
    await w.send("/announce publish", { now: AFTER_END });
    expect(w.fake.advisories[0]!.state).toBe("published");
    expect(refusal(w)[0]).toContain(`its branch \`${branch}\` already has an open pull request that someone else opened (https://github.com/acme/widget/pull/50)`);
    expect(refusal(w)[0]).toContain("Close that pull request, run `/announce publish` again");
    expect(w.replies().filter((b) => b.includes("### Un-embargo steps"))).toEqual([]);
    expect(w.fake.pulls).toHaveLength(1);

    w.fake.pulls[0]!.state = "closed";
    remove();
    await w.send("/announce publish", { now: AFTER_END });
    expect(w.fake.pulls).toHaveLength(2);
    expect(w.fake.pulls[1]).toMatchObject({ head: branch });
    expect(w.fake.pulls[1]!.user).toBeUndefined();
    const unembargo = w.replies().filter((b) => b.includes("### Un-embargo steps"));
    expect(unembargo).toHaveLength(1);
    expect(unembargo[0]).toContain(`https://github.com/acme/widget/pull/${w.fake.pulls[1]!.number}`);
    expect(unembargo[0]).not.toContain("https://github.com/acme/widget/pull/50");
    expect(w.record.state).toBe("announced");
  });
});
