import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load-config.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { renderResponse } from "../../src/response/render-response.js";
import { NOW, RENDER_CONTEXT } from "../helpers/app.js";

/**
 * The render marker signs what a response was made from: when a speed-up changes the bytes hashed
 * (or the bytes written), every existing response renders again once and is rewritten. These
 * digests were taken before the speed-ups (compiled templates, sized zlib window, spliced view
 * JSON); a change here must be deliberate.
 */
describe("the same inputs render the same bytes as before", () => {
  const config = validateConfig({});
  if (!config.ok) throw new Error(config.problems.join("\n"));
  const base = newRecord(new Date("2026-11-20T09:30:00Z"), new Date("2026-11-20T09:31:00Z"));
  const DIGESTS: Record<string, string> = {
    new: "9746677e871764bcfab33435ae5ea9f7b678dcef36a87e2c3ddc8bd7dd65c44c",
    triaged: "fdaabb729d87fbb0b36bc1d2be08e759576060fb8f983182977e2fe9fd48fbdb",
    "over budget": "3e962f3eefeb214c3e8da1f64ad96374886c1422132a8327f3e57785b79fef58",
  };
  const records: [string, ResponseRecord][] = [
    ["new", base],
    ["triaged", { ...base, summary: "SQL @bob <!-- x", cwes: ["CWE-89"], ran: Object.fromEntries(Array.from({ length: 150 }, (_, i) => [String(1000 + i), ["abcdefghijklm", "~nopqrstuvwxy"]])) }],
    ["over budget", { ...base, description: "d".repeat(70_000) }],
  ];
  for (const [name, record] of records) {
    it(name, async () => {
      const body = await renderResponse(record, config.config, { title: "Title @x", reporter: "rep" }, undefined, { ...RENDER_CONTEXT, now: NOW });
      expect(createHash("sha256").update(body).digest("hex")).toBe(DIGESTS[name]);
    });
  }
});
