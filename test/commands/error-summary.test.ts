import { describe, expect, it } from "vitest";
import { errorsView, lineRanges, outsideCode, safeText, FAILURES_SHOWN } from "../../src/commands/error-summary.js";
import { parseCommands } from "../../src/commands/parse-commands.js";
import { fitReply, MAX_COMMENT } from "../../src/github/apply-effects.js";
import { replyMarker } from "../../src/record/markers.js";

describe("the error reply's summary", () => {
  it("numbers the lines it does not quote as ranges, and says when it stopped listing", () => {
    expect(lineRanges([3, 5, 6, 7, 9])).toBe("3, 5–7, 9");
    expect(lineRanges([1, 3, 5, 7], 2)).toBe("1, 3, …");
    expect(lineRanges([])).toBe("");
  });

  it("quotes the first failures in full and counts the rest", () => {
    const lines = parseCommands(Array.from({ length: 30 }, (_, i) => `/triage cwe ${i}`).join("\n"));
    const view = errorsView(lines.map((line) => ({ line, error: "bad" })));
    expect(view.failures).toHaveLength(FAILURES_SHOWN);
    expect(view.more).toEqual({ count: 10, lines: "21–30" });
    expect(view.total).toBe(30);
  });

  it("defuses mentions, markup and markers outside code spans, and leaves code spans as written", () => {
    expect(outsideCode("a `b` c", (s) => s.toUpperCase())).toBe("A `b` C");
    expect(outsideCode("a `unclosed", (s) => s.toUpperCase())).toBe("A `UNCLOSED");
    const text = String(safeText("@team <img> <!-- x --> `@kept`"));
    expect(text).toBe("@\u200bteam &lt;img> &lt;!-- x --> `@kept`");
  });
});

describe("any reply fits in one GitHub comment", () => {
  it("is cut, with a note and its marker kept, when a template or override would make it too long", () => {
    const marker = replyMarker("k");
    const body = fitReply("x".repeat(100_000), marker);
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT);
    expect(body.endsWith(marker)).toBe(true);
    expect(body).toContain("(cut: the rest did not fit in one GitHub comment)");
    expect(fitReply("short", marker)).toBe(`short\n\n${marker}`);
  });
});
