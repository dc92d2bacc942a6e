import { describe, expect, it } from "vitest";
import type { EmbargoConfig } from "../../src/config/config-schema.js";
import { REPORT_PROBLEMS, type DashboardIndex } from "../../src/dashboard/dashboard-index.js";
import { reportNotes } from "../../src/dashboard/report-notes.js";
import { REPORT_PROBLEMS_KEPT, tickReportProblems } from "../../src/dashboard/report-problems.js";

const config = { components: { api: { repo: "acme/product" } } } as unknown as EmbargoConfig;
const now = new Date("2026-11-24T09:00:00Z");

describe("report problems kept in the dashboard's index", () => {
  it("keeps the newest ones only, however many repositories name this security repo", () => {
    const many = Array.from({ length: 1_500 }, (_, i) => ({ repo: `acme/other-${i}`, problem: "its config does not list it", on: "2026-11-23", from: "report" as const }));
    const index = { v: 1, rows: [], [REPORT_PROBLEMS]: many } as DashboardIndex;
    const found = [{ repo: "acme/product", problem: "`.github/embargo.yml` is invalid" }];
    const after = tickReportProblems(index, found, config, now);
    const kept = after[REPORT_PROBLEMS] as { repo: string }[];
    expect(kept).toHaveLength(REPORT_PROBLEMS_KEPT);
    // The tick's own finding is the newest: kept; the oldest report notes gave way.
    expect(kept.at(-1)!.repo).toBe("acme/product");
    expect(kept[0]!.repo).toBe(`acme/other-${1_500 - REPORT_PROBLEMS_KEPT + 1}`);
    expect(reportNotes(after)).toHaveLength(10);
  });
});
