import { deflateRawSync } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { decodeRecord, readBoxes, recordMarker, recordSeq, RESPONSE_MARKER } from "../../src/record/markers.js";
import { newRecord } from "../../src/record/response-record.js";
import { KeyRing } from "../../src/security/key-ring.js";

const record = { ...newRecord(new Date("2026-11-20T09:30:00Z"), new Date("2026-11-20T09:31:00Z")), summary: "x" };
const ISSUE = { owner: "acme", repo: "security", issue_number: 7 };

describe("signed record markers", () => {
  it("decode what the app signed, for its issue only", () => {
    const keys = new KeyRing("s1");
    const body = `${RESPONSE_MARKER}\n${recordMarker(record, keys, ISSUE)}`;
    expect(decodeRecord(body, keys, "ACME/security#7")).toEqual({ found: true, record });
    expect(decodeRecord(body, keys, "acme/security#8")).toMatchObject({ found: false, damaged: true, forged: true });
    expect(decodeRecord(body, new KeyRing("other"), ISSUE)).toMatchObject({ found: false, damaged: true, forged: true });
  });

  it("give the write count of a record that verifies, written or read here or not, and nothing for one that does not", () => {
    const keys = new KeyRing("s1");
    const written = `${RESPONSE_MARKER}\n${recordMarker({ ...record, seq: 7 }, keys, ISSUE)}`;
    expect(recordSeq(written, keys, ISSUE)).toBe(7);
    expect(recordSeq(written, keys, "acme/security#8")).toBeUndefined();
    expect(recordSeq(written, new KeyRing("other"), ISSUE)).toBeUndefined();
    // The same secret in another ring (as another process holds it): verified and read in full.
    const elsewhere = recordMarker({ ...record, summary: "from another process", seq: 3 }, keys, ISSUE);
    expect(recordSeq(`${RESPONSE_MARKER}\n${elsewhere}`, new KeyRing("s1"), ISSUE)).toBe(3);
    // Written before the count: 0.
    expect(recordSeq(`${RESPONSE_MARKER}\n${recordMarker(record, keys, ISSUE)}`, keys, ISSUE)).toBe(0);
  });

  it("bound to the repository's id (v3) where it is known: any name of that repository reads it, no other repository, and not by name alone", () => {
    const keys = new KeyRing("s1");
    const body = `${RESPONSE_MARKER}\n${recordMarker(record, keys, { ...ISSUE, repo_id: 5 })}`;
    expect(body).toContain("<!-- embargo:record:v3 ");
    expect(decodeRecord(body, keys, { owner: "acme", repo: "security-core", issue_number: 7, repo_id: 5 })).toEqual({ found: true, record });
    expect(decodeRecord(body, keys, { ...ISSUE, repo_id: 6 })).toMatchObject({ found: false, forged: true });
    expect(decodeRecord(body, keys, { ...ISSUE, issue_number: 8, repo_id: 5 })).toMatchObject({ found: false, forged: true });
    expect(decodeRecord(body, keys, ISSUE)).toMatchObject({ found: false, forged: true });
    // A v2 record (an older version's) reads under its name only, whatever the id.
    const old = `${RESPONSE_MARKER}\n${recordMarker(record, keys, ISSUE)}`;
    expect(decodeRecord(old, keys, { ...ISSUE, repo_id: 5 })).toEqual({ found: true, record });
    expect(decodeRecord(old, keys, { owner: "acme", repo: "security-core", issue_number: 7, repo_id: 5 })).toMatchObject({ found: false, forged: true });
  });

  it("the previous secret still verifies during a rotation; a new record is signed with the current one", () => {
    const old = new KeyRing("old-secret");
    const rotated = new KeyRing("new-secret", "old-secret");
    const body = `${RESPONSE_MARKER}\n${recordMarker(record, old, ISSUE)}`;
    expect(decodeRecord(body, rotated, ISSUE).found).toBe(true);
    const rewritten = `${RESPONSE_MARKER}\n${recordMarker(record, rotated, ISSUE)}`;
    expect(decodeRecord(rewritten, new KeyRing("new-secret"), ISSUE).found).toBe(true);
    expect(decodeRecord(rewritten, old, ISSUE).found).toBe(false);
  });

  it("a record written elsewhere (another instance, an older version at zlib level 9) reads the same as one this process wrote", () => {
    const keys = new KeyRing("s1");
    const other = { ...record, summary: "written by another instance" };
    const payload = deflateRawSync(Buffer.from(JSON.stringify(other), "utf8"), { level: 9 }).toString("base64url");
    const marker = `<!-- embargo:record:v2 ${payload} ${keys.sign("record", `embargo:record:v2\nacme/security#7\n${payload}`)} -->`;
    expect(decodeRecord(`${RESPONSE_MARKER}\n${marker}`, keys, ISSUE)).toEqual({ found: true, record: other });
    // Read twice (the second time from memory): the same record, and a copy the caller may change.
    const again = decodeRecord(`${RESPONSE_MARKER}\n${marker}`, keys, ISSUE);
    expect(again).toEqual({ found: true, record: other });
    // A payload this process knows still needs its signature: a re-signed copy for another issue fails.
    expect(decodeRecord(`${RESPONSE_MARKER}\n${marker}`, keys, "acme/security#8")).toMatchObject({ found: false, forged: true });
  });

  it("a signature this process made is not computed again on reading it back, and only for the same ring, issue and signature", () => {
    const keys = new KeyRing("s1");
    const mine = { ...record, summary: "remembered signature" };
    const marker = recordMarker(mine, keys, ISSUE);
    const verify = vi.spyOn(keys, "verify");
    expect(decodeRecord(`${RESPONSE_MARKER}\n${marker}`, keys, "Acme/Security#7")).toEqual({ found: true, record: mine });
    expect(verify).not.toHaveBeenCalled();
    // Another issue, or a signature changed by a character, is checked, and refused.
    expect(decodeRecord(`${RESPONSE_MARKER}\n${marker}`, keys, "acme/security#8")).toMatchObject({ found: false, forged: true });
    const bent = marker.replace(/ ([A-Za-z0-9_-])([A-Za-z0-9_-]*) -->$/, (_m, c: string, rest: string) => ` ${c === "A" ? "B" : "A"}${rest} -->`);
    expect(bent).not.toBe(marker);
    expect(decodeRecord(`${RESPONSE_MARKER}\n${bent}`, keys, ISSUE)).toMatchObject({ found: false, forged: true });
    expect(verify).toHaveBeenCalledTimes(2);
    // Another ring is checked by its own keys: the same secret verifies, another does not.
    const same = new KeyRing("s1");
    const sameVerify = vi.spyOn(same, "verify");
    expect(decodeRecord(`${RESPONSE_MARKER}\n${marker}`, same, ISSUE).found).toBe(true);
    expect(sameVerify).toHaveBeenCalledTimes(1);
    expect(decodeRecord(`${RESPONSE_MARKER}\n${marker}`, new KeyRing("s2"), ISSUE)).toMatchObject({ found: false, forged: true });
  });

  it("an unsigned (v1) record reads as damaged: it cannot be told from a forged one", () => {
    const v1 = `${RESPONSE_MARKER}\n<!-- embargo:record:v1 ${Buffer.from(JSON.stringify(record)).toString("base64url")} -->`;
    expect(decodeRecord(v1, new KeyRing("s1"), ISSUE)).toMatchObject({ found: false, damaged: true });
    expect(decodeRecord(RESPONSE_MARKER, new KeyRing("s1"), ISSUE)).toMatchObject({ found: false, damaged: true, fingerprint: "missing" });
    expect(decodeRecord("just a comment", new KeyRing("s1"), ISSUE)).toEqual({ found: false, damaged: false });
  });
});

describe("readBoxes", () => {
  it("reads each item's box; an id whose box appears twice counts for nothing", () => {
    const body = ["- [x] a <!-- embargo:item a.one -->", "- [ ] b <!-- embargo:item b.two -->", "* [X] c <!-- embargo:item c -->", "- [x] c again <!-- embargo:item c -->"].join("\n");
    expect([...readBoxes(body)]).toEqual([
      ["a.one", true],
      ["b.two", false],
    ]);
  });

  it("costs linear time on the worst shapes a 65,536-character edit can take", () => {
    const shapes = [
      "\n".repeat(65_536),
      " ".repeat(65_536),
      "- [x] <!-- embargo:item ".repeat(2_700),
      `- [x] ${"<!-- embargo:item a".repeat(3_400)}`,
      Array.from({ length: 2_000 }, (_, i) => `- [x] item <!-- embargo:item id${i} -->`).join("\n"),
    ];
    for (const shape of shapes) {
      const start = performance.now();
      readBoxes(shape);
      expect(performance.now() - start).toBeLessThan(500);
    }
  });
});
