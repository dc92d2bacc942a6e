import { describe, expect, it } from "vitest";
import { checklistFor } from "../../src/checklist/checklist-items.js";
import type { EmbargoConfig } from "../../src/config/config-schema.js";
import { validateConfig } from "../../src/config/load-config.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { renderResponse } from "../../src/response/render-response.js";
import { NOW, RENDER_CONTEXT } from "../helpers/app.js";

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * A config read through the store is frozen and shared by every event (src/github/read-config.ts),
 * and what a render derives from it alone (branch items, the checklist, their markup) is kept with
 * it. A render with the shared config must give the bytes a fresh copy gives, for responses whose
 * repositories differ, in any order.
 */
describe("a shared config renders as a fresh copy does", () => {
  const result = validateConfig({
    supported_branches: ["main", "release-1.x"],
    components: { api: { repo: "acme/api" }, web: { repo: "acme/web" }, cli: { repo: "acme/cli" } },
    checklist: { skip: ["fix.branch:release-1.x"], extra: [{ id: "fix.docs", phase: "fix", text: "Docs updated for @team" }] },
  });
  if (!result.ok) throw new Error(result.problems.join("\n"));
  const plain: EmbargoConfig = result.config;
  const shared = deepFreeze(structuredClone(plain));
  const fresh = () => structuredClone(plain);
  const base = newRecord(new Date("2026-11-20T09:30:00Z"), new Date("2026-11-20T09:31:00Z"));
  const pr = { number: 3, state: "merged" as const, review: "approved" as const, base: "main", private: true };
  const records: [string, ResponseRecord][] = [
    ["one repository", { ...base, components: ["api"] }],
    ["two repositories", { ...base, components: ["api", "web"], prs: [{ ...pr, repo: "acme/api" }] }],
    ["two others", { ...base, components: ["web", "cli"], prs: [{ ...pr, repo: "acme/web" }] }],
    ["by linked PRs", { ...base, prs: [{ ...pr, repo: "acme/cli" }, { ...pr, repo: "acme/api", state: "open" }] }],
    ["none", base],
  ];
  const render = (record: ResponseRecord, config: EmbargoConfig) =>
    renderResponse(record, config, { title: "Title", reporter: "rep" }, undefined, { ...RENDER_CONTEXT, now: NOW });

  it("every response, twice over, in turn", async () => {
    for (let round = 0; round < 2; round++) {
      for (const [name, record] of records) {
        const expected = await render(record, fresh());
        expect(await render(record, shared), `${name}, round ${round + 1}`).toBe(expected);
        expect(checklistFor(shared, record).map((i) => i.id), name).toEqual(checklistFor(fresh(), record).map((i) => i.id));
      }
    }
  });

  it("a response over several repositories names each of them", async () => {
    const body = await render(records[2]![1], shared);
    expect(body).toContain("Patched on `main` of acme/web");
    expect(body).toContain("Patched on `main` of acme/cli");
    expect(body).not.toContain("of acme/api");
  });

  it("branches past the level's cap are counted, not boxed, and the phases keep their order", async () => {
    const many = validateConfig({ supported_branches: Array.from({ length: 45 }, (_, i) => `b${i}`) });
    if (!many.ok) throw new Error(many.problems.join("\n"));
    const body = await render(base, deepFreeze(many.config));
    expect(body).toContain("+5 more branches to patch, not shown: b40, b41, b42 +2 more");
    expect(body).toContain("Patched on `b39`");
    expect(body).not.toContain("Patched on `b40`");
    const at = (text: string) => body.indexOf(text);
    expect(at("Patched on `b0`")).toBeLessThan(at("Patched on `b39`"));
    expect(at("Patched on `b39`")).toBeLessThan(at("fix.tested"));
    expect(at("intake.tracked")).toBeLessThan(at("fix.patch"));
    expect(at("fix.confirmed")).toBeLessThan(at("follow-up.closed"));
    expect(await render(base, deepFreeze(many.config))).toBe(await render(base, structuredClone(many.config)));
  });
});
