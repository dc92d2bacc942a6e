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
 * (the old hint, followed, was refused); `full`
 * changed on purpose when the view's checklist left the hashed inputs (the app's checklist tables
 * are hashed instead), and when `response.hbs` gained the `set_at` and `former_names` rows, then the `publish_refused` row
 * (the built-in template is hashed: the text of these records is the same). A change of either must be deliberate.
 */
describe("the same inputs render the same bytes as before", () => {
  const config = validateConfig({});
  if (!config.ok) throw new Error(config.problems.join("\n"));
  const base = newRecord(new Date("2026-11-20T09:30:00Z"), new Date("2026-11-20T09:31:00Z"));
  const DIGESTS: Record<string, { text: string; full: string }> = {
    new: {
      text: "e1e44f2a9294cd18b89e019d2720223dfb145c3092a16e85d6d87356993fe1a2",
      full: "fe18d47bd0299e739a5a3c3741e2fc600f720a740decbfde4814f6697cbe8275",
    },
    triaged: {
      text: "6bf3bbb16128c0980271636ddf07c59a9f6c34d0e367bda4ecc2140eef8f24eb",
      full: "a82a2405aa3100c0077c9c3d29ca9b61862f43b4a589849ef463c2a2f757ba5a",
    },
    "over budget": {
      text: "75069ff85ca3bf0bdad203620c191d9acd383f95807014efbe4fca49e24a9d46",
      full: "f01841f51e1368fca6079d8eab4aae591d82b2adb9ca9cdd6d6eefbff9028348",
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
