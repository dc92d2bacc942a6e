import { describe, expect, it } from "vitest";
import { parseCommands } from "../../src/commands/parse-commands.js";
import { blockAddedLines, forgetRan, rememberRan } from "../../src/commands/ran-memory.js";
import { boundRan, RAN_COMMENTS_KEPT, RAN_HASHES_KEPT } from "../../src/record/record-budget.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { ranOf } from "../../src/record/ran.js";

const base = (): ResponseRecord => newRecord(new Date("2026-11-20T00:00:00Z"), new Date("2026-11-20T00:00:00Z"));
const hashes = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}-${i}`);

describe("the record's memory of lines that ran", () => {
  it("keeps the newest comments when there are more than it keeps", () => {
    let record = base();
    for (let id = 1; id <= RAN_COMMENTS_KEPT + 5; id++) record = rememberRan(record, String(id), [`h${id}`]);
    const ids = ranOf(record.ran).keys().map(Number);
    expect(ids).toHaveLength(RAN_COMMENTS_KEPT);
    expect(Math.min(...ids)).toBe(6);
  });

  it("remembers the newest comment it forgot (ran_floor), but not a comment whose lines were forgotten on purpose to run again", () => {
    let record = base();
    for (let id = 1; id <= RAN_COMMENTS_KEPT + 5; id++) record = rememberRan(record, String(id), [`h${id}`]);
    expect(record.ran_floor).toBe(5);
    // An older comment than any kept: its lines are forgotten at once, and counted so.
    expect(rememberRan(record, "3", ["x"]).ran_floor).toBe(5);
    expect(rememberRan({ ...record, ran_floor: 1 }, "3", ["x"]).ran_floor).toBe(3);
    // A failed follow-up's line forgotten so that an edit runs it again: no floor over it.
    const again = forgetRan(rememberRan(base(), "77", ["a"]), "77", ["a"]);
    expect(again.ran_floor).toBeUndefined();
  });

  it("keeps at most RAN_HASHES_KEPT hashes in all, forgetting the oldest comments first", () => {
    let record = base();
    for (let id = 1; id <= 40; id++) record = rememberRan(record, String(id), hashes(50, String(id)));
    const total = [...ranOf(record.ran)].reduce((n, [, h]) => n + h.length, 0);
    expect(total).toBeLessThanOrEqual(RAN_HASHES_KEPT);
    expect(ranOf(record.ran).get("40")).toHaveLength(50);
    expect(ranOf(record.ran).get("1")).toBeUndefined();
    expect(JSON.stringify(record.ran).length).toBeLessThan(20_000);
  });

  it("what it keeps is what the response comment keeps: the write forgets nothing more, and cuts no comment's lines", () => {
    // 30 lines a comment: the hash bound falls inside a comment. The memory and the write once had
    // different bounds, and the write then kept only the newest part of one comment's lines.
    let record = base();
    for (let id = 1; id <= 40; id++) record = rememberRan(record, String(id), hashes(30, String(id)));
    const kept = [...ranOf(record.ran)];
    expect(kept.length).toBe(Math.floor(RAN_HASHES_KEPT / 30));
    expect(kept.at(-1)![0]).toBe("40");
    for (const [id, h] of kept) expect(h).toEqual(hashes(30, id));
    expect([...boundRan(record.ran)]).toEqual(kept);
  });

  it("counts carried from one call to the next give what a fresh count gives (the record as read from a comment)", () => {
    // Random runs of remember / forget / empty near both bounds; each step is compared with the same
    // step on a copy with nothing carried (as a record freshly decoded from JSON is).
    let seed = 7;
    const random = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) % n;
    let record = base();
    for (let step = 0; step < 3000; step++) {
      const key = String(1 + random(RAN_COMMENTS_KEPT + 20));
      const forget = random(4) === 0;
      const list = forget ? (ranOf(record.ran).get(key)?.slice(0, 1) ?? []) : random(10) === 0 ? [] : hashes(1 + random(40), `${step}`);
      const apply = (r: ResponseRecord) => (forget ? forgetRan(r, key, list) : rememberRan(r, key, list));
      const fresh = apply(JSON.parse(JSON.stringify(record)) as ResponseRecord);
      record = apply(record);
      expect(JSON.stringify(record.ran)).toBe(JSON.stringify(fresh.ran));
      if (random(3) === 0) record = JSON.parse(JSON.stringify(record)) as ResponseRecord;
    }
    // The run ended against the hash bound, so the trimming path was taken along the way.
    expect([...ranOf(record.ran)].flatMap(([, h]) => h).length).toBeGreaterThan(RAN_HASHES_KEPT - 40);
  });

  it("stores no empty entry, and forgets single lines on request", () => {
    expect([...ranOf(rememberRan(base(), "9", []).ran)]).toEqual([]);
    const record = rememberRan(base(), "9", ["a", "b"]);
    expect([...ranOf(forgetRan(record, "9", ["a"]).ran)]).toEqual([["9", ["b"]]]);
    expect([...ranOf(forgetRan(record, "9", ["a", "b"]).ran)]).toEqual([]);
  });

  it("an edit by someone else blocks only the command lines it added", () => {
    const before = parseCommands("/triage cwe 79\n/triage confirm");
    const after = parseCommands("/triage cwe 79\n/triage confirm\n/triage invalid spam");
    const ranConfirm = rememberRan(base(), "9", [before[1]!.hash]);
    const { record, blocked } = blockAddedLines(ranConfirm, "9", after, before);
    expect(blocked).toBe(1);
    // The author's own failed line (cwe 79) stays runnable by their edit; the added line never runs.
    expect(ranOf(record.ran).get("9")).toEqual([before[1]!.hash, after[2]!.hash]);
    expect(blockAddedLines(record, "9", after, before).blocked).toBe(0);
  });
});
