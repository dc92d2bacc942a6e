import { describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load-config.js";
import { newRecord, type LinkedPr, type ResponseRecord } from "../../src/record/response-record.js";
import { closedByHand, reopenedByHand } from "../../src/response/closed-by-hand.js";
import { renderResponse } from "../../src/response/render-response.js";
import { KeyRing } from "../../src/security/key-ring.js";
import { NOW, recordOf, RENDER_CONTEXT, TEST_SECRET } from "../helpers/app.js";

function config(raw: object = {}) {
  const result = validateConfig(raw);
  if (!result.ok) throw new Error(result.problems.join("\n"));
  return result.config;
}

function record(changes: Partial<ResponseRecord> = {}): ResponseRecord {
  return { ...newRecord(new Date("2026-11-20T09:30:00Z"), new Date("2026-11-20T09:31:00Z")), ...changes };
}

function pr(changes: Partial<LinkedPr> = {}): LinkedPr {
  return { repo: "acme/product", number: 42, state: "open", review: "pending", base: "main", private: false, leaks: 0, ...changes };
}

const render = (r: ResponseRecord, c = config(), now = NOW) => renderResponse(r, c, { title: "Report", reporter: "reporter" }, undefined, { ...RENDER_CONTEXT, now });
const row = (body: string, name: string) => body.split("\n").find((l) => l.startsWith(`| **${name}** |`));
const box = (body: string, id: string) => body.split("\n").find((l) => l.includes(`<!-- embargo:item ${id} -->`));

describe("the response shows what the team recorded", () => {
  it("every recorded value, grouped: advisory draft, triage notes, people", async () => {
    const body = await render(
      record({
        summary: "Path traversal in uploads",
        description: "File names are not normalised.",
        components: ["api"],
        affected: [{ ecosystem: "npm", package: "left-pad", range: "< 1.3.1" }],
        fixed: [{ ecosystem: "npm", package: "left-pad", version: "1.3.1" }],
        cwes: ["CWE-22"],
        cve: "CVE-2026-1234",
        credits: [{ login: "finder1", type: "remediation_developer" }],
        mitigations: ["Disable uploads"],
        upstream: ["https://nvd.example/CVE-2026-1234"],
        reproduced: true,
        upgrade: "libfoo 2.4.1 fixes it",
        tickets: ["https://support.example/t/1"],
        triager: "tri-a",
        experts: ["expert1"],
        state: "confirmed",
        confirmed: { by: "lead1", at: "2026-11-21T08:00:00.000Z" },
      }),
    );
    const advisory = body.slice(body.indexOf("Advisory draft"), body.indexOf("Triage notes"));
    expect(row(advisory, "Summary")).toBe("| **Summary** | Path traversal in uploads |");
    expect(row(advisory, "Description")).toContain("File names are not normalised.");
    expect(row(advisory, "Components")).toContain("api");
    expect(row(advisory, "Affected")).toContain("npm/left-pad &lt; 1.3.1");
    expect(row(advisory, "Fixed in")).toContain("npm/left-pad 1.3.1");
    expect(row(advisory, "CWE")).toContain("CWE-22");
    expect(row(advisory, "CVE")).toContain("CVE-2026-1234");
    expect(row(advisory, "Credits")).toContain("@\u200bfinder1 (remediation developer)");
    expect(row(advisory, "Mitigations")).toContain("Disable uploads");
    expect(row(advisory, "Upstream")).toContain("https://nvd.example/CVE-2026-1234");
    const notes = body.slice(body.indexOf("Triage notes"));
    expect(row(notes, "Reproduced")).toBe("| **Reproduced** | yes |");
    expect(row(notes, "Upgrade notes")).toContain("libfoo 2.4.1 fixes it");
    expect(row(notes, "Tickets")).toContain("https://support.example/t/1");
    expect(row(notes, "Owner")).toContain("@\u200btri-a");
    expect(row(notes, "Experts")).toContain("@\u200bexpert1");
    expect(row(notes, "Confirmed")).toBe("| **Confirmed** | by @\u200blead1 on 2026-11-21 |");
  });

  it("long lists end in '+N more'", async () => {
    const tickets = Array.from({ length: 45 }, (_, i) => `https://support.example/t/${i}`);
    const body = await render(record({ tickets }));
    expect(row(body, "Tickets")).toMatch(/https:\/\/support\.example\/t\/19 \+25 more \|$/);
    expect(recordOf(body).tickets).toHaveLength(45);
  });

  it("every value a person typed is neutralised like the report's text", async () => {
    const body = await render(record({ summary: "ping @acme/everyone <!-- embargo:record:v2 x y --> | done", upgrade: "@octocat", mitigations: ["cc @acme/security-team"] }));
    expect(body).not.toMatch(/@acme\/everyone|@octocat|@acme\/security-team/);
    expect(body).toContain("@\u200bacme/everyone");
    expect(body.match(/<!--/g)).toHaveLength(body.match(/<!-- embargo:(?:item|response|record|render)/g)!.length);
    expect(row(body, "Summary")).toMatch(/\\\| done \|$/);
    expect(recordOf(body).summary).toContain("@acme/everyone");
  });

  it("the embargo row shows the days left by the clock, then 'overdue'", async () => {
    expect(row(await render(record({ embargo_end: "2026-12-10" })), "Embargo ends")).toBe("| **Embargo ends** | 2026-12-10 (18 days left) |");
    expect(row(await render(record({ embargo_end: "2026-11-22" })), "Embargo ends")).toBe("| **Embargo ends** | 2026-11-22 (ends today) |");
    expect(row(await render(record({ embargo_end: "2026-11-19" })), "Embargo ends")).toBe("| **Embargo ends** | **2026-11-19 (overdue by 3 days)** |");
    const later = new Date("2026-12-11T08:00:00Z");
    expect(row(await render(record({ embargo_end: "2026-12-10" }), config(), later), "Embargo ends")).toContain("overdue by 1 day)");
  });

  it("a closed response says why, who decided and when", async () => {
    const invalid = await render(record({ state: "invalid", reason: "Needs admin rights already", decided: { by: "lead1", at: "2026-11-21T10:00:00.000Z" } }));
    expect(invalid).toContain("> **Closed as invalid by @\u200blead1 on 2026-11-21: Needs admin rights already**");
    const none = await render(record({ state: "no-action", reason: "We do not ship it", decided: { by: "lead2", at: "2026-11-22T10:00:00.000Z" } }));
    expect(none).toContain("> **Closed, no action needed by @\u200blead2 on 2026-11-22: We do not ship it**");
  });

  it("each linked PR shows its base branch and, when public, its wording check", async () => {
    const body = await render(
      record({ state: "fixing", prs: [pr(), pr({ number: 43, base: "4.19", leaks: 2 }), pr({ repo: "acme/security", number: 3, private: true, leaks: undefined, review: "changes_requested" })] }),
      config({ supported_branches: ["main", "4.19"] }),
    );
    expect(row(body, "Linked PRs")).toBe(
      "| **Linked PRs** | acme/product#42 into main (open, pending; wording check passes)<br>acme/product#43 into 4.19 (open, pending; wording check fails)<br>acme/security#3 into main (open, changes requested) |",
    );
  });

  it("the team line shows only while the response is in triage", async () => {
    const c = config({ team: "acme/sec", notify_team: true });
    expect(await render(record(), c)).toContain("> @acme/sec: a new security report needs triage.");
    expect(await render(record({ state: "confirmed" }), c)).not.toContain("needs triage");
  });
});

describe("closed by hand", () => {
  it("says the issue was closed by hand, by whom, ticks 'This issue closed'; reopening restores the state", async () => {
    const closed = closedByHand(record({ state: "fixing" }), "lead1", new Date("2026-11-22T11:00:00Z"));
    expect(closed.state).toBe("closed");
    expect(closedByHand(closed, "other", NOW)).toBe(closed);
    const body = await render(closed);
    expect(row(body, "State")).toBe("| **State** | Closed by hand |");
    expect(body).toContain("The issue was closed by hand by @\u200blead1 on 2026-11-22");
    expect(box(body, "follow-up.closed")).toMatch(/^- \[x\] This issue closed.* · ticked by @\u200blead1 on 2026-11-22/);
    expect(reopenedByHand(closed)).toMatchObject({ state: "fixing" });
    expect(reopenedByHand(closed).ticks["follow-up.closed"]).toBeUndefined();
  });

  it("leaves a response a command closed as it was", () => {
    const invalid = record({ state: "invalid", reason: "x" });
    expect(closedByHand(invalid, "lead1", NOW)).toBe(invalid);
  });
});

describe("the response shows what the app did on its own", () => {
  it("messages, reminders, publish steps and forced gates are listed with their dates", async () => {
    const body = await render(
      record({
        advisory_state: "draft",
        release_managers_told: true,
        experts_told: ["expert1"],
        notified: ["opened", "confirmed"],
        notify_pending: [{ key: "fixed", event: { kind: "fixed" }, tries: 2 }],
        reminders: { "triage-overdue": "2026-11-21T08:00:00Z" },
        publish_steps: { advisory: "2026-11-22T10:00:00Z" },
        forced: { by: "alice", at: "2026-11-22T09:59:00Z", reason: "exploit in the wild", gates: ["embargo-end"] },
      }),
    );
    expect(body).toContain("<summary><b>What the app did</b></summary>");
    expect(row(body, "Reported advisory")).toContain("set to draft");
    expect(row(body, "Release managers")).toContain("told");
    expect(row(body, "Experts told")).toContain("expert1");
    expect(row(body, "Chat messages sent")).toContain("opened, confirmed");
    expect(row(body, "Chat messages to retry")).toContain("fixed (2 tries)");
    expect(row(body, "Reminders posted")).toContain("triage-overdue (2026-11-21)");
    expect(row(body, "Publish steps done")).toContain("advisory (2026-11-22)");
    expect(row(body, "Publish forced")).toContain("by @\u200balice on 2026-11-22 past embargo-end: exploit in the wild");
  });

  it("a response where the app did nothing on its own has no such section", async () => {
    expect(await render(record())).not.toContain("What the app did");
  });
});

describe("no render when nothing it is made of changed (issue 13)", () => {
  const again = (r: ResponseRecord, current: string, context: Partial<typeof RENDER_CONTEXT> = {}, now = NOW) =>
    renderResponse(r, config(), { title: "Report", reporter: "reporter" }, undefined, { ...RENDER_CONTEXT, ...context, now, current });

  it("returns the comment as it is when record, config, facts, day and templates are the same", async () => {
    const r = record({ embargo_end: "2026-12-01" });
    const body = await render(r);
    expect(body).toMatch(/\n<!-- embargo:render [\w-]+ -->$/);
    expect(await again(r, body)).toBe(body);
    // Another hour of the same day shows the same days left: still the same comment.
    expect(await again(r, body, {}, new Date(NOW.getTime() + 3_600_000))).toBe(body);
  });

  it("counts each written version once: one more than the record, or than the comment when the event already wrote it", async () => {
    const first = await render(record({ seq: 1 }));
    expect(recordOf(first).seq).toBe(2);
    // A later write in the same event that starts from the record the event read (seq 1) follows the comment it wrote.
    const second = await again(record({ seq: 1, summary: "Path traversal" }), first);
    expect(recordOf(second).seq).toBe(3);
    // The same inputs again: the comment as it is, no new version.
    expect(await again(record({ seq: 1, summary: "Path traversal" }), second)).toBe(second);
  });

  it("renders again when any input changed: the record, the day (days left), a person's edit of the text, or the secret", async () => {
    const r = record({ embargo_end: "2026-12-01" });
    const body = await render(r);
    // Each render written again is the record's next version: one write more than the comment's.
    expect(recordOf(body).seq).toBe(1);
    const next = (x: ResponseRecord) => ({ ...x, seq: 1 });
    const changed = record({ embargo_end: "2026-12-01", summary: "Path traversal" });
    expect(await again(changed, body)).toBe(await render(next(changed)));
    expect(recordOf(await again(changed, body)).seq).toBe(2);
    const tomorrow = new Date(NOW.getTime() + 24 * 3_600_000);
    expect(await again(r, body, {}, tomorrow)).toBe(await render(next(r), config(), tomorrow));
    const edited = body.replace("### Security response", "### Nothing to see");
    expect(edited).not.toBe(body);
    const repaired = await again(r, edited);
    expect(repaired).toBe(await render(next(r)));
    expect(repaired.replace(/<!-- embargo:(record|render)[^>]*-->/g, "")).toBe(body.replace(/<!-- embargo:(record|render)[^>]*-->/g, ""));
    // Text a person adds on or after the signature's line is an edit like any other, even behind a
    // character where base64 decoding stops ("=") or that it skips: rendered again, without it.
    const line = body.slice(body.lastIndexOf("\n<!-- embargo:render "));
    const signature = line.slice("\n<!-- embargo:render ".length, -" -->".length);
    for (const tail of [`${signature}= --> **Fixed: safe to disclose** <!-- -->`, `${signature}! -->`, `${signature} -->\n\nAdded by hand`]) {
      const added = `${body.slice(0, -line.length)}\n<!-- embargo:render ${tail}`;
      expect(added).not.toBe(body);
      expect(await again(r, added)).toBe(repaired);
    }
    // Signed before a rotation: rendered (and so signed) again with the current secret.
    const rotated = new KeyRing("a-new-secret", TEST_SECRET);
    const resigned = await again(r, body, { keys: rotated });
    expect(resigned).not.toBe(body);
    expect(await again(r, resigned, { keys: rotated })).toBe(resigned);
  });
});
