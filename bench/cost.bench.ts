/**
 * `npm run bench`: the one table of issues 13 and 14 (bench/cost-table.ts), in one run, as ratios
 * where the machine's speed cancels out. Counts come from what the app does (nothing expected is
 * hard-coded but the justified minimum, a written claim in bench/minimal-calls.ts); times are
 * reported, never asserted.
 */
import { afterAll, describe, it } from "vitest";
import { costReport, type CostResults } from "./cost-table.js";
import { measureCpu } from "./measure-cpu.js";
import { measureL1 } from "./measure-l1.js";
import { commandCalls, prCalls } from "./measure-scaling.js";
import { measureThroughput } from "./measure-throughput.js";

const results: CostResults = { cpu: [], commands: [], prs: [] };

describe("cost (issues 13 and 14)", () => {
  // First: memory is read on a process that has not yet run the other measures.
  it("4. events per second and RSS after 1,000 and 10,000 events", async () => {
    results.throughput = await measureThroughput([1000, 10_000], 2000);
  });

  it("1. API calls of lifecycle L1, step by step", async () => {
    try {
      results.l1 = await measureL1();
    } catch (error) {
      results.l1Missing = `L1 failed: ${(error as Error).message.split("\n")[0]}`;
      throw error;
    }
  });

  it("2. own CPU per event against a bare Probot app making the same requests", async () => {
    for (const kind of ["label", "command"] as const) {
      try {
        results.cpu.push(await measureCpu(kind));
      } catch (error) {
        results.cpuMissing = `${kind} events failed: ${(error as Error).message.split("\n")[0]}`;
        throw error;
      }
    }
  });

  it("3. calls per command with 1 and 1,000 comments", async () => {
    for (const comments of [1, 1000]) results.commands.push({ comments, calls: await commandCalls(comments) });
  });

  it("3. calls per PR event with 10 and 10,000 issues and PRs; per approval with 3 and 1,000 team members", async () => {
    for (const [filler, members] of [
      [10, 3],
      [10_000, 3],
      [10, 1000],
    ] as const) {
      results.prs.push({ filler, members, calls: await prCalls(filler, members) });
    }
  });
});

// Printed whatever failed: a row that could not be measured says so.
afterAll(() => console.log(`\n${costReport(results)}`));
