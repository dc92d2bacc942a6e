import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load-config.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { renderResponse } from "../../src/response/render-response.js";
import { NOW, RENDER_CONTEXT } from "../helpers/app.js";

/**
 * The render marker signs what a response was made from: when a speed-up changes the bytes hashed
 * (or the bytes written), every existing response renders again once and is rewritten. `text` (all
 * but the render marker's line) was taken before any speed-up and has not changed since; `full`
 * changed on purpose when the view's checklist left the hashed inputs (the app's checklist tables
 * are hashed instead), and when `response.hbs` gained the `set_at` and `former_names` rows (the built-in template is
 * hashed: the text of these records is the same). A change of either must be deliberate.
 */
describe("the same inputs render the same bytes as before", () => {
  const config = validateConfig({});
  if (!config.ok) throw new Error(config.problems.join("\n"));
  const base = newRecord(new Date("2026-11-20T09:30:00Z"), new Date("2026-11-20T09:31:00Z"));
  const DIGESTS: Record<string, { text: string; full: string }> = {
    new: {
      text: "b504d74856f1e7ddbd2227281d498657785be1a185d599f8ad2c1fe269fe1c38",
      full: "c0169e4a75e32e6dbfbca2cb22fe6fa0dddfeb1ea9b8beaa1cd06d0209bca388",
    },
    triaged: {
      text: "4281d61e99cae1dc1812e00165317507fce54f6993d7b5e45326c2fd09c887a6",
      full: "a32a1ec0e1581eb8b5181e7cf36581d185fa2dd24613476c4b5f9987f2cf2f08",
    },
    "over budget": {
      text: "d4c9fb68e5ba0297574fa08dc7fde5df9a1c85cd14aad390425a8f03b2b7afd0",
      full: "7a6615b6f9a7673c31c11ccd924fe8c450f2b6a00c948bde2431d91834c07fb0",
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
