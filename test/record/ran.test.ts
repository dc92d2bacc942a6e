import { describe, expect, it } from "vitest";
import { rememberRan } from "../../src/commands/ran-memory.js";
import { decodeRecord, recordMarker, RESPONSE_MARKER } from "../../src/record/markers.js";
import { Ran, ranOf } from "../../src/record/ran.js";
import { boundRan } from "../../src/record/record-budget.js";
import { parseRecord, recordJson } from "../../src/record/record-json.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { KeyRing } from "../../src/security/key-ring.js";

const base = newRecord(new Date("2026-11-20T09:30:00Z"), new Date("2026-11-20T09:31:00Z"));
const ISSUE = { owner: "acme", repo: "security", issue_number: 7 };

/**
 * Keys of every kind a plain object orders differently: array indices (small, GitHub-sized, the
 * last one, 2^32 - 2), the first numbers that are not indices, and strings that only look numeric
 * or need an escape in JSON.
 */
const KEYS = ["0", "7", "10", "50201", "2547812345", "4294967294", "4294967295", "4294967296", "9007199254740993", "01", "-1", "1.5", "1e3", " 1", "", "__proto__", "a\"b", "é", "\n", "\ud800", "😀"];
const HASHES = ["abcdefghijklm", "~nopqrstuvwxy", "", "q\"uote", "back\\slash", "\u2028", "\ud83d", "tab\t"];

function random(seed: number): (n: number) => number {
  return (n) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
}

/** A plain object set as the app's older code did it: `{ ...ran, [key]: hashes }`. */
const plainWith = (plain: Record<string, string[]>, key: string, hashes: string[]) => Object.fromEntries([...Object.entries(plain), [key, hashes]]) as Record<string, string[]>;

describe("ran held as a Ran writes what the plain object wrote", () => {
  it("random changes: the same keys in the same order, the same JSON, whole records included", () => {
    const pick = random(11);
    for (let run = 0; run < 200; run++) {
      let ran = Ran.EMPTY;
      let plain: Record<string, string[]> = {};
      for (let step = 0; step < 30; step++) {
        if (pick(5) === 0) {
          // Drop some entries and shorten others, as the bounds do.
          const cut = pick(4);
          ran = ran.select((_k, h, i) => (i % 3 === cut ? undefined : i % 2 ? h.slice(1) : h));
          plain = Object.fromEntries(Object.entries(plain).flatMap(([k, h], i) => (i % 3 === cut ? [] : [[k, i % 2 ? h.slice(1) : h]])));
        } else {
          const key = pick(3) ? String(pick(2) ? 2547812345 + pick(400) : pick(30)) : KEYS[pick(KEYS.length)]!;
          const hashes = Array.from({ length: pick(4) }, () => HASHES[pick(HASHES.length)]!);
          // Sometimes also forgetting the oldest entries past a bound.
          const keep = pick(3) ? Infinity : 1 + pick(12);
          ran = ran.with(key, hashes, keep);
          plain = plainWith(plain, key, hashes);
          plain = Object.fromEntries(Object.entries(plain).slice(-keep));
        }
        expect(ran.keys()).toEqual(Object.keys(plain));
        expect(ran.json()).toBe(JSON.stringify(plain));
        expect(ran.size).toBe(Object.keys(plain).length);
        expect(ran.hashCount).toBe(Object.values(plain).flat().length);
        expect(ran.emptyCount).toBe(Object.values(plain).filter((h) => !h.length).length);
      }
      const record = { ...base, summary: "s", ran, reason: undefined, cwes: ["CWE-79"] };
      const text = JSON.stringify({ ...record, ran: plain });
      expect(recordJson(record)).toBe(text);
      expect(JSON.stringify(record)).toBe(text);
      // Read back (as any version of the app reads it): the same text again, and the same entries.
      const parsed = parseRecord(text) as ResponseRecord;
      expect(recordJson(parsed)).toBe(text);
      expect([...ranOf(parsed.ran)]).toEqual(Object.entries(plain));
      expect(JSON.parse(recordJson(record))).toEqual(JSON.parse(text));
    }
  });

  it("long runs of changes, some made from an older Ran: each Ran still holds, finds and writes what its plain object does", () => {
    const pick = random(23);
    const plainGet = (plain: Record<string, string[]>, key: string) => (Object.hasOwn(plain, key) ? plain[key] : undefined);
    const same = (ran: Ran, plain: Record<string, string[]>, json: boolean) => {
      expect(ran.keys()).toEqual(Object.keys(plain));
      expect([...ran]).toEqual(Object.entries(plain));
      expect(ran.size).toBe(Object.keys(plain).length);
      expect(ran.hashCount).toBe(Object.values(plain).flat().length);
      expect(ran.emptyCount).toBe(Object.values(plain).filter((h) => !h.length).length);
      // The text made now or (when not asked for) later, after Rans made from this one made theirs.
      if (json) expect(ran.json()).toBe(JSON.stringify(plain));
    };
    for (let run = 0; run < 30; run++) {
      // Mostly GitHub-sized ids, past 2^32 - 2 in some runs (no key an array index).
      let next = pick(3) ? 2547812345 : 9007199254740;
      const versions: { ran: Ran; plain: Record<string, string[]> }[] = [{ ran: Ran.EMPTY, plain: {} }];
      for (let step = 0; step < 250; step++) {
        // Mostly from the newest Ran, as the app does; sometimes from an older one.
        const from = pick(8) ? versions[versions.length - 1]! : versions[pick(versions.length)]!;
        const keys = from.ran.keys();
        let ran: Ran;
        let plain: Record<string, string[]>;
        if (pick(25) === 0) {
          const cut = pick(4);
          ran = from.ran.select((_k, h, i) => (i % 3 === cut ? undefined : i % 2 ? h.slice(1) : h));
          plain = Object.fromEntries(Object.entries(from.plain).flatMap(([k, h], i) => (i % 3 === cut ? [] : [[k, i % 2 ? h.slice(1) : h]])));
        } else {
          const kind = pick(10);
          // A new comment (the usual case), the newest again, any kept one, an older id, or an odd key.
          const key =
            kind < 5 || !keys.length ? String(++next) : kind < 7 ? keys[keys.length - 1]! : kind < 8 ? keys[pick(keys.length)]! : kind < 9 ? String(next - 1 - pick(150)) : KEYS[pick(KEYS.length)]!;
          const hashes = Array.from({ length: pick(4) }, () => HASHES[pick(HASHES.length)]!);
          const keep = [100, 100, 100, Infinity, 1 + pick(12), 0, 2.5][pick(7)]!;
          ran = from.ran.with(key, hashes, keep);
          plain = plainWith(from.plain, key, hashes);
          plain = Object.fromEntries(Object.entries(plain).slice(Object.keys(plain).length - Math.max(0, Math.min(Object.keys(plain).length, Math.floor(keep)))));
        }
        same(ran, plain, pick(3) === 0);
        for (const key of [...ran.keys().slice(-2), String(next + 1), String(next - 200), KEYS[pick(KEYS.length)]!]) {
          expect(ran.get(key)).toEqual(plainGet(plain, key));
          expect(ran.has(key)).toBe(plainGet(plain, key) !== undefined);
        }
        versions.push({ ran, plain });
      }
      for (const { ran, plain } of versions) same(ran, plain, true);
    }
  });

  it("a comment below the newest, or one past 2^32 - 2, takes the place a plain object gives it", () => {
    const ran = Ran.EMPTY.with("50", ["a"]).with("4294967296", ["b"]).with("7", ["c"]).with("4294967294", ["d"]).with("50", ["e"]);
    expect(ran.keys()).toEqual(["7", "50", "4294967294", "4294967296"]);
    expect(ran.json()).toBe('{"7":["c"],"50":["e"],"4294967294":["d"],"4294967296":["b"]}');
  });

  it("a change makes a new Ran: the record holding the old one does not see it", () => {
    const record = rememberRan(base, "1", ["a"]);
    const json = recordJson(record);
    const next = rememberRan(record, "1", ["a", "b"]);
    rememberRan(record, "2", ["c"]);
    boundRan(ranOf(record.ran));
    expect(recordJson(record)).toBe(json);
    expect(ranOf(next.ran).get("1")).toEqual(["a", "b"]);
    expect([...ranOf(next.ran)]).not.toEqual([...ranOf(record.ran)]);
  });
});

describe("reading ran from a record's text", () => {
  it("any JSON, in the app's shape or not, reads as JSON.parse reads it", () => {
    const texts = [
      '{"v":1,"ran":{}}',
      '{"v":1,"ran":{"2":["b"],"1":["a"]},"x":2}',
      '{"v":1,"ran":{"1":["a"],"1":["b"]}}',
      '{"v":1,"ran":{"x":["a"],"x":["b"],"y":[]}}',
      '{"v":1,"ran": {"1":["a"]}}',
      '{"v":1,"ran":{"1":[ "a"]}}',
      '{"v":1,"ran":{"1":["a\\u0041"],"\\u0032":[]}}',
      '{"v":1,"ran":{"1":["a"]},"ran":{"2":["b"]}}',
      '{"v":1,"ticks":{"ran":{"1":["a"]}},"ran":{"2":["b"]}}',
      '{"v":1,"summary":"\\"ran\\":{\\"1\\":[\\"a\\"]}","ran":{"3":["c"]}}',
      '{"v":1,"ran":{"01":["a"],"1":["b"],"4294967295":[],"4294967294":["c"]}}',
      '{"v":1,"ran":{"1":["a",]}}',
      // Raw in the text: a control character (not JSON), a lone surrogate (JSON.stringify escapes it), a pair (it does not).
      '{"v":1,"ran":{"1":["a\nb"]}}',
      '{"v":1,"ran":{"1":["a\ud800"]}}',
      '{"v":1,"ran":{"1":["a\ud83d\ude00"]}}',
    ];
    for (const text of texts) {
      let expected: string;
      try {
        expected = JSON.stringify(JSON.parse(text));
      } catch {
        expect(() => parseRecord(text)).toThrow();
        continue;
      }
      const parsed = parseRecord(text) as ResponseRecord;
      expect(parsed.ran, text).toBeInstanceOf(Ran);
      expect(recordJson(parsed), text).toBe(expected);
    }
  });

  it("a Ran this process wrote is taken back only for the text it wrote", () => {
    const ran = Ran.EMPTY.with("1", ["a"]);
    const other = Ran.EMPTY.with("1", ["b"]);
    const text = recordJson({ ...base, ran });
    expect((parseRecord(text, ran) as ResponseRecord).ran).toBe(ran);
    expect([...ranOf((parseRecord(text, other) as ResponseRecord).ran)]).toEqual([["1", ["a"]]]);
    // The same text nested under another key first: the record's own `ran` is still the one read.
    const nested = `{"ticks":{"ran":{"1":["a"]}},"ran":{"1":["b"]}}`;
    const parsed = parseRecord(nested, ran) as ResponseRecord & { ticks: unknown };
    expect([...ranOf(parsed.ran)]).toEqual([["1", ["b"]]]);
    expect(parsed.ticks).toEqual({ ran: { "1": ["a"] } });
  });

  it("a record an older version wrote decodes and is written again byte for byte", () => {
    const keys = new KeyRing("s1");
    const ids = [50201, 2547812345, 4294967294, 4294967295, 5000000000];
    const plain: Record<string, string[]> = {};
    for (const id of ids) plain[String(id)] = ["abcdefghijklm", "~nopqrstuvwxy"];
    plain["2547812346"] = [];
    const old = { ...base, summary: 'say "hi" \u2028', ran: plain };
    // What the older version wrote: JSON.stringify of the plain record.
    const marker = recordMarker(old, keys, ISSUE, JSON.stringify(old));
    const decoded = decodeRecord(`${RESPONSE_MARKER}\n${marker}`, keys, ISSUE);
    if (!decoded.found) throw new Error("not decoded");
    expect(decoded.record.ran).toBeInstanceOf(Ran);
    expect(recordJson(decoded.record)).toBe(JSON.stringify(old));
    expect(recordMarker(decoded.record, keys, ISSUE)).toBe(marker);
    // And what this version writes, an older one (JSON.parse) reads as the plain record it would
    // have made itself (remembering a comment drops the empty entry).
    const next = rememberRan(decoded.record, "5000000001", ["zzzzzzzzzzzzz"]);
    const { "2547812346": _empty, ...kept } = plain;
    expect(recordJson(next)).toBe(JSON.stringify({ ...old, ran: { ...kept, "5000000001": ["zzzzzzzzzzzzz"] } }));
  });
});
