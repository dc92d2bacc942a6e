/**
 * Issue 8, denial of service: every regex or scan that reads text a person wrote costs time linear
 * in its length. Each case feeds a 65,536-character comment (GitHub's limit) of a shape that makes
 * a backtracking regex go quadratic or worse, with a generous bound (the fastest of three runs): an ordinary comment takes
 * well under a millisecond, a quadratic scan of these takes seconds.
 */
import { describe, expect, it } from "vitest";
import { decideCommands } from "../../src/commands/decide-commands.js";
import { errorsView, safeText } from "../../src/commands/error-summary.js";
import { mayHaveCommands, parseCommands } from "../../src/commands/parse-commands.js";
import { validateConfig } from "../../src/config/load-config.js";
import { findReferences } from "../../src/pr/find-references.js";
import { newRecord } from "../../src/record/response-record.js";
import { neutralize } from "../../src/render/neutralize.js";
import { LIMIT, WORST_SHAPES } from "./worst-shapes.js";

const BOUND_MS = 500;

/**
 * The fastest of three runs: a busy machine (other jobs, GC) can stall any one run, but not make
 * a linear scan look quadratic three times over; a quadratic one takes seconds every time.
 */
function time(fn: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < 3 && best >= BOUND_MS / 4; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

describe("every reader of people's text is linear on 65,536-character worst shapes", () => {
  const config = validateConfig(null);
  if (!config.ok) throw new Error("default config");
  const record = newRecord(new Date("2026-11-20T00:00:00Z"), new Date("2026-11-20T00:00:00Z"));

  for (const [name, body] of Object.entries(WORST_SHAPES)) {
    it(`${name}: parse, neutralize, references and the error reply each under ${BOUND_MS} ms`, () => {
      expect(body.length).toBe(LIMIT);
      expect(time(() => mayHaveCommands(body))).toBeLessThan(BOUND_MS);
      let lines = parseCommands(body);
      expect(time(() => (lines = parseCommands(body)))).toBeLessThan(BOUND_MS);
      expect(time(() => neutralize(body))).toBeLessThan(BOUND_MS);
      expect(time(() => safeText(body, LIMIT))).toBeLessThan(BOUND_MS);
      expect(time(() => findReferences(body, "acme/security"))).toBeLessThan(BOUND_MS);
      // Deciding runs every command line (at most 50 of them) and summarises the failures.
      const ms = time(() => {
        const decision = decideCommands({ lines, record, commentKey: "1", labels: [], config: config.config, now: new Date(), actor: "a", reporter: "r" });
        errorsView(decision.failures);
      });
      expect(ms).toBeLessThan(BOUND_MS);
    });
  }
});
