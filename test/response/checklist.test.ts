import { describe, expect, it } from "vitest";
import { branchItemId, checklistFor, defaultBranchItemId } from "../../src/checklist/checklist-items.js";
import { validateConfig } from "../../src/config/load-config.js";
import { newRecord, type LinkedPr, type ResponseRecord } from "../../src/record/response-record.js";
import { renderResponse } from "../../src/response/render-response.js";
import { NOW, recordOf, RENDER_CONTEXT } from "../helpers/app.js";

function config(raw: object = {}) {
  const result = validateConfig(raw);
  if (!result.ok) throw new Error(result.problems.join("\n"));
  return result.config;
}
const record = (changes: Partial<ResponseRecord> = {}): ResponseRecord => ({ ...newRecord(new Date("2026-11-20T09:30:00Z"), NOW), state: "fixing", ...changes });
const pr = (changes: Partial<LinkedPr> = {}): LinkedPr => ({ repo: "acme/product", number: 42, state: "open", review: "approved", base: "main", private: false, leaks: 0, ...changes });
const render = (r: ResponseRecord, c = config()) => renderResponse(r, c, { title: "Report", reporter: "reporter" }, undefined, RENDER_CONTEXT);
const box = (body: string, id: string) => body.split("\n").find((l) => l.includes(`<!-- embargo:item ${id} -->`));

describe("patched on the default branch, per repository", () => {
  it("without supported_branches the fix phase still has 'Patched on the default branch', ticked by a merge into it", async () => {
    const open = await render(record());
    expect(box(open, "fix.default_branch")).toMatch(/^- \[ \] Patched on the default branch/);
    expect(open).toContain("| **Still to patch** | the default branch |");
    const elsewhere = await render(record({ prs: [pr({ state: "merged", base: "dev", default_branch: "main" })] }));
    expect(box(elsewhere, "fix.default_branch")).toMatch(/^- \[ \]/);
    const merged = await render(record({ prs: [pr({ state: "merged", base: "main", default_branch: "main" })] }));
    expect(box(merged, "fix.default_branch")).toMatch(/^- \[x\] Patched on the default branch/);
    expect(merged).not.toContain("Still to patch");
    expect(recordOf(merged).ticks["fix.default_branch"]?.by).toBe("app");
  });

  it("with components in two repos, a merge into main of one does not tick main of the other", async () => {
    const c = config({ supported_branches: ["main"], components: { api: { repo: "acme/api" }, web: { repo: "acme/web" } } });
    const body = await render(record({ components: ["api", "web"], prs: [pr({ repo: "acme/api", state: "merged" })] }), c);
    expect(box(body, branchItemId("acme/api", "main"))).toMatch(/^- \[x\] Patched on `main` of acme\/api/);
    expect(box(body, branchItemId("acme/web", "main"))).toMatch(/^- \[ \] Patched on `main` of acme\/web/);
    expect(body).toContain("| **Still to patch** | main of acme/web |");
    expect(box(body, branchItemId("main"))).toBeUndefined();
  });

  it("branchItemId keeps its one-argument form; the default-branch id names its repo when needed", () => {
    expect(branchItemId("Release/1.0")).toBe("fix.branch:release-1.0");
    expect(branchItemId(undefined, "main")).toBe("fix.branch:main");
    expect(branchItemId("Acme/API", "main")).toBe("fix.branch:acme/api:main");
    expect(defaultBranchItemId("acme/api")).toBe("fix.default_branch:acme/api");
  });
});

describe("'Commits do not refer to the vulnerability' is the app's own tick", () => {
  it("holds while a PR is linked and every public PR passes, comes off when one fails, even after a hand tick", async () => {
    const passing = await render(record({ prs: [pr(), pr({ number: 43, private: true, leaks: undefined })] }));
    expect(box(passing, "fix.no_reference")).toMatch(/^- \[x\]/);
    const failing = record({ prs: [pr(), pr({ number: 43, leaks: 1 })], ticks: { "fix.no_reference": { by: "bob", at: NOW.toISOString() } } });
    const body = await render(failing);
    expect(box(body, "fix.no_reference")).toMatch(/^- \[ \]/);
    expect(recordOf(body).ticks["fix.no_reference"]).toBeUndefined();
    expect(box(await render(record({ prs: [pr({ leaks: undefined })] })), "fix.no_reference")).toMatch(/^- \[ \]/);
  });

  it("without any PR the app has nothing to judge: a hand tick stays", async () => {
    const body = await render(record({ ticks: { "fix.no_reference": { by: "bob", at: NOW.toISOString() } } }));
    expect(box(body, "fix.no_reference")).toMatch(/^- \[x\]/);
  });
});

describe("checklist.skip and checklist.extra", () => {
  it("skipped items are gone, extra items stand at the end of their phase with their text escaped", async () => {
    const c = config({ checklist: { skip: ["intake.breach", "triage.umbrella", "fix.default_branch"], extra: [{ id: "ops.pager", phase: "intake", text: "Pager <b>rotation</b> told, cc @acme/ops" }] } });
    const ids = checklistFor(c, record()).map((i) => i.id);
    expect(ids).not.toContain("intake.breach");
    expect(ids).not.toContain("fix.default_branch");
    expect(ids.indexOf("ops.pager")).toBe(ids.indexOf("triage.upstream") - 1);
    const body = await render(record(), c);
    expect(box(body, "ops.pager")).toBe("- [ ] Pager &lt;b&gt;rotation&lt;/b&gt; told, cc @\u200bacme/ops <!-- embargo:item ops.pager -->");
    expect(body).not.toContain("Umbrella security team");
  });

  it("an unknown skip id or an extra item taking a built-in id is a config error naming it", () => {
    const result = validateConfig({ supported_branches: ["main"], checklist: { skip: ["intake.breech", "fix.branch:main"], extra: [{ id: "fix.tested", phase: "fix", text: "x" }] } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      "`checklist.extra` item `fix.tested` takes the id of a built-in item: choose another id",
      "`checklist.skip` names `intake.breech`, which is not a checklist item id (the ids are listed in the README, \"Checklist\")",
    ]);
    expect(validateConfig({ checklist: { extra: [{ id: "x", phase: "later", text: "t" }] } }).ok).toBe(false);
  });
});

describe("which repositories a fix must land in", () => {
  it("without components, the linked PRs' repositories; a PR closed unmerged adds none", async () => {
    const body = await render(record({ prs: [pr({ repo: "acme/a", state: "merged", default_branch: "main" }), pr({ repo: "acme/b", number: 2 }), pr({ repo: "acme/c", number: 3, state: "closed" })] }));
    expect(box(body, defaultBranchItemId("acme/a"))).toMatch(/^- \[x\] Patched on the default branch of acme\/a/);
    expect(box(body, defaultBranchItemId("acme/b"))).toMatch(/^- \[ \]/);
    expect(box(body, defaultBranchItemId("acme/c"))).toBeUndefined();
  });

  it("with components, their repositories decide: a PR elsewhere adds no item", async () => {
    const c = config({ supported_branches: ["main"], components: { api: { repo: "acme/api" } } });
    const body = await render(record({ components: ["api"], prs: [pr({ repo: "acme/security", private: true, state: "merged" })] }), c);
    expect(box(body, "fix.branch:main")).toMatch(/^- \[x\]/);
    expect(body).not.toContain("of acme/security");
  });
});
