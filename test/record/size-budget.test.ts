import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load-config.js";
import { boundRan, RAN_HASHES_KEPT } from "../../src/record/record-budget.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { renderResponse } from "../../src/response/render-response.js";
import { NOW, recordOf, RENDER_CONTEXT } from "../helpers/app.js";
import { ranOf } from "../../src/record/ran.js";

const LIMIT = 65_536;
const hash = (s: string, n = 10) => createHash("sha256").update(s).digest("base64url").slice(0, n);

function config() {
  const result = validateConfig({
    team: "acme/sec",
    notify_team: true,
    supported_branches: Array.from({ length: 30 }, (_, i) => `release/${i}.${"x".repeat(60)}`),
    components: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`comp${i}`, { repo: `acme/repo-${i}` }])),
    checklist: { extra: Array.from({ length: 20 }, (_, i) => ({ id: `own.${i}`, phase: "fix", text: `"=\`<>&'`.repeat(28) })) },
  });
  if (!result.ok) throw new Error(result.problems.join("\n"));
  return result.config;
}

/** Every list as long as a team could make it, every text at the length its command allows. */
function worstRecord(unique: (i: number) => string): ResponseRecord {
  const base = newRecord(new Date("2026-11-20T09:30:00Z"), NOW);
  const ran: ResponseRecord["ran"] = {};
  for (let c = 0; c < 100; c++) ran[String(100_000 + c)] = Array.from({ length: 40 }, (_, l) => hash(`${c}/${l}`));
  return {
    ...base,
    state: "fixing",
    summary: `"=<>&'\``.repeat(146).slice(0, 1024),
    description: `@acme/all <!-- ${unique(0)} `.repeat(100).slice(0, 1900),
    upgrade: "=".repeat(1000),
    mitigations: Array.from({ length: 10 }, (_, i) => `${unique(i)}"`.repeat(40).slice(0, 1000)),
    components: Array.from({ length: 12 }, (_, i) => `comp${i}`),
    affected: Array.from({ length: 400 }, (_, i) => ({ ecosystem: "maven", package: `org.example.${unique(i)}:module-${i}`, range: `>= ${i}.0.0, < ${i}.9.${i}` })),
    fixed: Array.from({ length: 200 }, (_, i) => ({ ecosystem: "npm", package: `@scope/${unique(i)}`, version: `${i}.9.${i}` })),
    cwes: Array.from({ length: 100 }, (_, i) => `CWE-${i + 1}`),
    credits: Array.from({ length: 300 }, (_, i) => ({ login: `user-${unique(i).slice(0, 12)}`, type: "remediation_developer" })),
    tickets: Array.from({ length: 300 }, (_, i) => `https://support.example.org/tickets/${unique(i)}?q=${"=".repeat(40)}`),
    upstream: Array.from({ length: 100 }, (_, i) => `https://nvd.example/${unique(i)}`),
    experts: Array.from({ length: 100 }, (_, i) => `expert-${i}`),
    prs: Array.from({ length: 200 }, (_, i) => ({
      repo: `acme/repo-${i % 12}`,
      number: 1000 + i,
      state: i % 3 ? "open" : "merged",
      review: "approved",
      base: `release/${i % 30}.${"x".repeat(60)}`,
      head_sha: hash(`sha${i}`, 40),
      private: i % 2 === 0,
      requested: [`expert-${i % 100}`, `expert-${(i + 1) % 100}`],
      leaks: i % 2 ? 0 : undefined,
    })),
    ticks: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`own.${i}`, { by: `person-${i}`, at: NOW.toISOString() }])),
    ran,
  } as ResponseRecord;
}

const render = (record: ResponseRecord, overrides?: (name: string) => Promise<string | null>) =>
  renderResponse(record, config(), { title: `"<'>`.repeat(64), reporter: "reporter" }, overrides, RENDER_CONTEXT);

describe("the response comment stays under GitHub's limit by construction", () => {
  it("the worst case a team can record fits, and the record still decodes with every value kept", async () => {
    const record = worstRecord((i) => `pkg${i}`);
    const body = await render(record);
    expect(body.length).toBeLessThanOrEqual(LIMIT);
    const decoded = recordOf(body);
    expect(decoded.trimmed).toBeUndefined();
    for (const field of ["affected", "fixed", "credits", "tickets", "prs", "mitigations", "summary", "description"] as const) {
      expect(decoded[field]).toEqual(record[field]);
    }
    // Memory of ran lines is bounded in total, newest comments kept.
    const ran = [...ranOf(decoded.ran)].flatMap(([, h]) => h);
    expect(ran.length).toBeLessThanOrEqual(RAN_HASHES_KEPT);
    expect(ranOf(decoded.ran).get("100099")).toEqual(ranOf(record.ran).get("100099"));
    expect(body).toMatch(/\+\d+ more/);
  });

  it("incompressible data past any budget: still under the limit, still decodes, and the response says what was dropped", async () => {
    const record = worstRecord((i) => hash(`u${i}`, 40));
    record.description = Array.from({ length: 1900 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919) % 20000))).join("");
    record.mitigations = record.mitigations.map((_, k) => Array.from({ length: 1000 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 104729 + k) % 20000))).join(""));
    const body = await render(record);
    expect(body.length).toBeLessThanOrEqual(LIMIT);
    const decoded = recordOf(body);
    expect(decoded.trimmed?.length).toBeGreaterThan(0);
    expect(body).toContain("The record outgrew the comment, so the app dropped the oldest data");
  });

  it("shrinking to fit leaves the caller's record as it was (the copy shrunk is the render's own)", async () => {
    const record = worstRecord((i) => hash(`u${i}`, 40));
    record.description = Array.from({ length: 1900 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919) % 20000))).join("");
    const before = JSON.stringify(record);
    const body = await render(record);
    expect(recordOf(body).trimmed?.length).toBeGreaterThan(0);
    expect(JSON.stringify(record)).toBe(before);
  });

  it("a repository's template that prints everything falls back to the built-in one at its tightest", async () => {
    const greedy = "{{#each record.tickets}}{{this}} {{this}} {{this}} {{/each}}{{#each record.affected}}{{package}} {{package}}{{/each}}";
    const body = await render(worstRecord((i) => hash(`g${i}`, 30)), async (name) => (name === "response" ? greedy : null));
    expect(body.length).toBeLessThanOrEqual(LIMIT);
    expect(body).toContain("produced more than a comment can hold");
    expect(recordOf(body).state).toBe("fixing");
  });

  it("boundRan keeps the newest comments' hashes", () => {
    const ran = { "1": ["a", "b"], "2": Array.from({ length: RAN_HASHES_KEPT }, (_, i) => `h${i}`), "3": ["z"] };
    const bounded = boundRan(ran);
    expect(bounded.keys()).toEqual(["2", "3"]);
    expect(bounded.get("3")).toEqual(["z"]);
    expect(bounded.get("2")).toHaveLength(RAN_HASHES_KEPT - 1);
    expect(bounded.get("2")!.at(-1)).toBe(`h${RAN_HASHES_KEPT - 1}`);
  });
});
