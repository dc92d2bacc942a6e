import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load-config.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { renderResponse } from "../../src/response/render-response.js";
import { NOW, RENDER_CONTEXT } from "../helpers/app.js";

/**
 * The render marker signs what a response was made from: when a speed-up changes the bytes hashed
 * (or the bytes written), every existing response renders again once and is rewritten. `text` (all
 * but the render marker's line) was taken before any speed-up and changed since only when the
 * checklist's hint for `release.versions` became `/triage fixed <ecosystem>/<package> <version>`
 * (the old hint, followed, was refused), and when the written record gained its write count
 * (`seq`, the marker's last key; the hashed inputs leave it out, so a response written before it is
 * not rewritten only to add it), and when a reporter's `<!--` stopped showing escaped twice (`&amp;lt;!--`,
 * now `<`, a zero-width space, `!--`: "triaged" has one; the hashed inputs are the same); `full`
 * changed on purpose when the view's checklist left the hashed inputs (the app's checklist tables
 * are hashed instead), and when `response.hbs` gained the `set_at` and `former_names` rows, then the `publish_refused` row
 * (the built-in template is hashed: the text of these records is the same), and with `seq` (the text signed), and when the config gained `public_pr.gate_every_pr`
 * (the config's JSON is hashed: each open response is rewritten once), and in the same release
 * when `response.hbs` showed the breach's `no_contacts` and the forgotten comments (`ran_floor`),
 * values the record kept unseen (the text of these records is the same). A change of
 * either must be deliberate.
 */
describe("the same inputs render the same bytes as before", () => {
  const config = validateConfig({});
  if (!config.ok) throw new Error(config.problems.join("\n"));
  const base = newRecord(new Date("2026-11-20T09:30:00Z"), new Date("2026-11-20T09:31:00Z"));
  const DIGESTS: Record<string, { text: string; full: string }> = {
    new: {
      text: "340bc0add42274c216268012f50253111ba5ae951f20d7874ccb1521f73bc752",
      full: "2f992371b7c08a42d462cf836470c86eeb9ea9c468253097d80309eef176262a",
    },
    triaged: {
      text: "550a38ab427e12ce183fdb3af4fd61efa39b2fe761ba346fc8072375ba24f9c7",
      full: "51ed2e4978c7046cea67d7beac22241d5223bbe7eec5cdb137e61f965c471632",
    },
    "over budget": {
      text: "8cb303f45f39e2d96c098f00c74135b9d33021211fdae785203fdfb7e7eb0d12",
      full: "82b8f3173bf166ce739c0eceafc8c52c898e77d4f513fe557448db07448545dd",
    },
  };
  const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
  const records: [string, ResponseRecord][] = [
    ["new", base],
    ["triaged", { ...base, summary: "SQL @bob <!-- x", cwes: ["CWE-89"], ran: Object.fromEntries(Array.from({ length: 150 }, (_, i) => [String(1000 + i), ["abcdefghijklm", "~nopqrstuvwxy"]])) }],
    ["over budget", { ...base, description: "d".repeat(70_000) }],
  ];
  for (const [name, record] of records) {
    it(name, async () => {
      const body = await renderResponse(record, config.config, { title: "Title @x", reporter: "rep" }, undefined, { ...RENDER_CONTEXT, now: NOW });
      expect(sha256(body.slice(0, body.lastIndexOf("\n<!-- embargo:render ")))).toBe(DIGESTS[name]!.text);
      expect(sha256(body)).toBe(DIGESTS[name]!.full);
    });
  }
});
