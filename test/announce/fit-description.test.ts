/** The advisory description as published when cut: a fenced code block the cut falls in is closed before the note. */
import { describe, expect, it } from "vitest";
import { DESCRIPTION_MAX, fitDescription as fit } from "../../src/announce/advisory-fields.js";

const NOTE = "*The rest of this description did not fit GitHub's limit of 65,535 characters.*";
const DESCRIPTION_CUT_NOTE = `\n\n…\n\n${NOTE}`;
const fitDescription = (text: string, marker: string) => fit(text, marker, NOTE);

const MARKER = "<!-- embargo:advisory abc -->";
const filler = (n: number) => "x = 1\n".repeat(n);
/** What precedes the note in the published description. */
const beforeNote = (text: string) => text.slice(0, text.indexOf(DESCRIPTION_CUT_NOTE));

describe("fitDescription", () => {
  it("within the limit: the text and the marker, untouched", () => {
    expect(fitDescription("```\ncode", MARKER)).toBe(`\`\`\`\ncode\n\n${MARKER}`);
  });

  it.each([
    ["a tilde fence", "~~~~ python\n", "~~~~"],
    ["an indented backtick fence with an info string", "  ````js title=x\n", "  ````"],
  ])("closes %s the cut falls in, with its own fence", (_name, opening, closing) => {
    const out = fitDescription(`Intro\n\n${opening}${filler(20_000)}`, MARKER);
    expect(out.length).toBeLessThanOrEqual(DESCRIPTION_MAX);
    expect(beforeNote(out).endsWith(`\n${closing}`)).toBe(true);
    expect(out.endsWith(`${DESCRIPTION_CUT_NOTE}\n\n${MARKER}`)).toBe(true);
  });

  it("adds nothing where every block was closed, or a backtick line was no fence (a backtick in its info string)", () => {
    for (const text of [`\`\`\`\ncode\n\`\`\`\n${filler(20_000)}`, `\`\`\` not \`a fence\`\n${filler(20_000)}`, `~~~\ncode\n~~~~~\n${filler(20_000)}`]) {
      const tail = `${DESCRIPTION_CUT_NOTE}\n\n${MARKER}`;
      expect(fitDescription(text, MARKER)).toBe(`${text.slice(0, DESCRIPTION_MAX - tail.length)}${tail}`);
    }
  });

  it("a shorter closing run does not close a longer fence", () => {
    const out = fitDescription(`\`\`\`\`\ncode\n\`\`\`\n${filler(20_000)}`, MARKER);
    expect(beforeNote(out).endsWith("\n````")).toBe(true);
  });
});
