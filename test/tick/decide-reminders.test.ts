import { describe, expect, it } from "vitest";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { decideReminders } from "../../src/tick/decide-reminders.js";
import { KnownRepos } from "../../src/tick/known-repos.js";
import { InProcessLease, stackLeases, type Lease } from "../../src/tick/lease.js";
import { configOf } from "./tick-world.js";

const config = configOf("team: acme/security-team\nrelease_managers: [rm-alice]\nreminders: { triage_hours: 10, embargo_warning_days: 5, review_hours: 12 }\n");
const opened = new Date("2026-11-20T00:00:00Z");
const record = (extra: Partial<ResponseRecord> = {}): ResponseRecord => ({ ...newRecord(opened, opened), ...extra });
const facts = (iso: string, waiting = [] as { ref: string; since: string; reviewers: string[] }[]) => ({ now: new Date(iso), assignees: [], waiting });
const keys = (r: ResponseRecord, f: ReturnType<typeof facts>) => decideReminders(r, config, f).map((d) => d.key);

describe("decideReminders", () => {
  it("follows the configured hours and days, and nothing is due before", () => {
    expect(keys(record(), facts("2026-11-20T09:59:00Z"))).toEqual([]);
    expect(keys(record(), facts("2026-11-20T10:00:00Z"))).toEqual(["triage"]);
    expect(keys(record({ state: "fixing", embargo_end: "2026-12-01" }), facts("2026-11-25T12:00:00Z"))).toEqual([]);
    expect(keys(record({ state: "fixing", embargo_end: "2026-12-01" }), facts("2026-11-26T12:00:00Z"))).toEqual(["embargo-warning:2026-12-01"]);
    expect(keys(record({ state: "fixing", embargo_end: "2026-12-01" }), facts("2026-12-02T00:00:00Z"))).toEqual(["embargo-passed:2026-12-01"]);
  });

  it("reminds of a PR waiting for review after review_hours, mentioning its requested reviewers", () => {
    const pr = { ref: "acme/product#42", since: "2026-11-20T00:00:00Z", reviewers: ["rev-1", "acme/core"] };
    const r = record({ state: "fixing", triager: "tri" });
    expect(keys(r, facts("2026-11-20T11:00:00Z", [pr]))).toEqual([]);
    const [due] = decideReminders(r, config, facts("2026-11-20T13:00:00Z", [pr]));
    expect(due).toMatchObject({ key: "review:acme/product#42", view: { kind: "review", mentions: ["rev-1", "acme/core"], pr: "acme/product#42" } });
  });

  it("never repeats a recorded reminder; a moved embargo date is a new condition; closed responses are quiet", () => {
    const r = record({ state: "fixing", embargo_end: "2026-12-01", reminders: { "embargo-warning:2026-12-01": "x" } });
    expect(keys(r, facts("2026-11-27T00:00:00Z"))).toEqual([]);
    expect(keys({ ...r, embargo_end: "2026-11-30" }, facts("2026-11-27T00:00:00Z"))).toEqual(["embargo-warning:2026-11-30"]);
    expect(keys(record({ state: "announced", embargo_end: "2026-11-01" }), facts("2026-12-27T00:00:00Z"))).toEqual([]);
  });
});

describe("leases", () => {
  it("the in-process lease is held once until released or expired", async () => {
    let now = 0;
    const lease = new InProcessLease(() => now);
    const release = await lease.acquire("tick:a", 100);
    expect(await lease.acquire("tick:a", 100)).toBeUndefined();
    expect(await lease.acquire("tick:b", 100)).toBeDefined();
    await release!();
    expect(await lease.acquire("tick:a", 100)).toBeDefined();
    now = 500;
    expect(await lease.acquire("tick:a", 100)).toBeDefined();
  });

  it("a shared lease stacked in front: refused there, the local one is not kept", async () => {
    const shared: Lease = { acquire: async () => undefined };
    const local = new InProcessLease();
    expect(await stackLeases(shared, local).acquire("tick:a", 100)).toBeUndefined();
    expect(await local.acquire("tick:a", 100)).toBeDefined();
  });
});

describe("known repos", () => {
  it("a repo added by an event does not stand for the installation's discovery", () => {
    const known = new KnownRepos();
    known.add(42, "acme/Security");
    expect(known.has(42)).toBe(false);
    known.discovered(42, ["acme/other-security"]);
    expect(known.has(42)).toBe(true);
    expect(known.repos(42)).toEqual(["acme/other-security", "acme/security"]);
  });

  it("a repo renamed since it was listed is ticked once, under its new name, with its id", () => {
    const known = new KnownRepos();
    known.discovered(42, [{ full: "acme/security", id: 5 }]);
    // An event writes a response in the same repository (id 5), now named acme/security-core.
    known.add(42, "acme/security-core", 5);
    expect(known.repos(42)).toEqual(["acme/security-core"]);
    expect(known.idOf("acme/Security-Core")).toBe(5);
  });
});
