import { describe, expect, it } from "vitest";
import { MAX_COMMAND_LINE, mayHaveCommands, parseCommands } from "../../src/commands/parse-commands.js";

/** The parts of each parsed line a reader cares about: group, name, args. */
function parsed(body: string) {
  return parseCommands(body).map(({ group, name, args }) => [group, name, args]);
}

describe("parseCommands", () => {
  it("reads a command at the start of a line, with its sub-command and arguments", () => {
    expect(parseCommands("/triage cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")).toEqual([
      {
        text: "/triage cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        group: "triage",
        name: "cvss",
        args: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        hash: expect.stringMatching(/^[A-Za-z0-9_-]{10}$/),
        line: 1,
      },
    ]);
  });

  it("knows /triage, /announce and /help, and nothing else", () => {
    expect(parsed("/triage confirm\n/announce draft\n/help\n/assign @x\n/label bug\n/triages confirm")).toEqual([
      ["triage", "confirm", ""],
      ["announce", "draft", ""],
      ["help", "", ""],
    ]);
  });

  it("counts only lines that start with the slash: not indented, not inside a sentence", () => {
    expect(parsed(" /triage confirm\n\t/triage confirm\nplease /triage confirm\n    /triage confirm\n-/triage confirm")).toEqual([]);
    expect(parsed("Thanks, confirming.\n/triage confirm\nmore words")).toEqual([["triage", "confirm", ""]]);
  });

  it("is case-insensitive for the group and the sub-command, and keeps the case of the arguments", () => {
    expect(parseCommands("/TRIAGE Summary Path Traversal in `Upload`")[0]).toMatchObject({
      group: "triage",
      name: "summary",
      args: "Path Traversal in `Upload`",
      text: "/TRIAGE Summary Path Traversal in `Upload`",
    });
    expect(parsed("/Help")).toEqual([["help", "", ""]]);
  });

  it("trims the line and the arguments; tabs separate as spaces do", () => {
    expect(parseCommands("/triage\tcwe \t CWE-79   ")[0]).toMatchObject({ text: "/triage\tcwe \t CWE-79", name: "cwe", args: "CWE-79" });
  });

  it("gives a bare /triage an empty sub-command, and arguments that do not start with a letter to no sub-command", () => {
    expect(parsed("/triage")).toEqual([["triage", "", ""]]);
    expect(parsed("/triage 123 go")).toEqual([["triage", "", "123 go"]]);
    expect(parsed("/help me please")).toEqual([["help", "me", "please"]]);
  });

  it("does not take a word glued to the group as a command", () => {
    expect(parsed("/triage-confirm\n/helpme\n/triage: confirm")).toEqual([]);
  });

  it("reads several commands from one comment, in order, across LF and CRLF line ends", () => {
    expect(parsed("/triage confirm\r\n/triage cwe CWE-79\n\n/triage cve CVE-2026-12345\r\n")).toEqual([
      ["triage", "confirm", ""],
      ["triage", "cwe", "CWE-79"],
      ["triage", "cve", "CVE-2026-12345"],
    ]);
  });

  it("ignores block quotes", () => {
    expect(parsed("> /triage confirm\n>/triage invalid x\n> > /triage no-action y")).toEqual([]);
  });

  it("ignores lines inside ``` and ~~~ fences, and reads again after the fence closes", () => {
    const body = ["```", "/triage confirm", "```", "/triage cwe CWE-79", "~~~md", "/triage invalid quoted", "~~~", "/triage cve CVE-2026-1234"].join("\n");
    expect(parsed(body)).toEqual([
      ["triage", "cwe", "CWE-79"],
      ["triage", "cve", "CVE-2026-1234"],
    ]);
  });

  it("closes a fence only with the same character, at least as long; up to three spaces of indent", () => {
    const body = ["````", "```", "/triage confirm", "~~~", "/triage confirm", "````", "   ```", "/triage confirm", "   ```", "/triage reproduced yes"].join("\n");
    expect(parsed(body)).toEqual([["triage", "reproduced", "yes"]]);
  });

  // BUG (src/commands/parse-commands.ts, the fence check): any line starting with ``` closes an
  // open ``` fence, but CommonMark only closes on a fence line with nothing after the marker
  // (spaces aside). "```js" inside a code block is code, so the command below it is shown as
  // code on GitHub yet runs.
  it("does not close a fence on a line that carries an info string", () => {
    expect(parsed("```\n```js\n/triage confirm\n```")).toEqual([]);
  });

  it("treats everything after an unclosed fence as code", () => {
    expect(parsed("/triage confirm\n```\n/triage invalid x")).toEqual([["triage", "confirm", ""]]);
  });

  it("gives stable hashes: the same line hashes the same in any comment and position", () => {
    const a = parseCommands("/triage confirm\n/triage cwe CWE-79");
    const b = parseCommands("Some words first.\n\n/triage cwe CWE-79\n/triage confirm  ");
    expect(a[0]!.hash).toBe(b[1]!.hash);
    expect(a[1]!.hash).toBe(b[0]!.hash);
    expect(parseCommands("/triage cwe CWE-79")[0]!.hash).toBe(a[1]!.hash);
  });

  it("gives different hashes to different lines, and to the second copy of a repeated line", () => {
    const lines = parseCommands("/triage cwe CWE-79\n/triage cwe CWE-22\n/triage cwe CWE-79\n/TRIAGE cwe CWE-79");
    expect(new Set(lines.map((l) => l.hash)).size).toBe(4);
    // The first copy keeps its hash when a second one is added below it.
    expect(lines[0]!.hash).toBe(parseCommands("/triage cwe CWE-79")[0]!.hash);
  });

  it("still returns an over-long line, in full, so the handler can refuse it", () => {
    const line = `/triage summary ${"x".repeat(3000)}`;
    const [parsedLine] = parseCommands(line);
    expect(parsedLine?.name).toBe("summary");
    expect(parsedLine?.text).toHaveLength(line.length);
    expect(parsedLine!.text.length).toBeGreaterThan(MAX_COMMAND_LINE);
  });

  it("ignores lines inside HTML comments, which GitHub does not show, however many lines they span", () => {
    const body = [
      "<!-- /triage invalid hidden on one line -->",
      "<!--",
      "/triage invalid hidden",
      "/triage no-action hidden too",
      "-->",
      "/triage cwe CWE-79",
      "text <!-- opened mid-line",
      "/triage confirm",
      "closed --> and <!-- opened again",
      "/triage confirm",
      "-->",
      "/triage cve CVE-2026-1234",
    ].join("\n");
    expect(parsed(body)).toEqual([
      ["triage", "cwe", "CWE-79"],
      ["triage", "cve", "CVE-2026-1234"],
    ]);
  });

  it("treats an HTML comment that never closes as hiding the rest; inside a code fence `<!--` is just code", () => {
    expect(parsed("/triage confirm\n<!-- never closed\n/triage invalid x")).toEqual([["triage", "confirm", ""]]);
    expect(parsed("```\n<!--\n```\n/triage confirm")).toEqual([["triage", "confirm", ""]]);
  });

  it("ignores lines that GitHub's HTML parser hides as a comment, or inside a tag's quoted attribute, however many lines they span", () => {
    const hidden = [
      ["<?", "/triage invalid in a processing instruction", "?>"],
      ["text <?php", "/triage invalid in an inline one", "?> more"],
      ["<!DOCTYPE x", "/triage invalid in a declaration", ">"],
      ["<![CDATA[", "/triage invalid in CDATA", "]]>"],
      ['<img src="x.png" alt="', "/triage invalid in an alt text", '">'],
      ["See <a title='", "/triage invalid in a title", "'>here</a>"],
    ];
    for (const [open, line, close] of hidden) {
      expect(parsed([open, line!, close, "/triage cwe CWE-79"].join("\n"))).toEqual([["triage", "cwe", "CWE-79"]]);
    }
    // Opened inside a paragraph, never closed: not HTML, and a blank line ends it; `List<?>` opens nothing.
    expect(parsed('Try <a title="x\nor <?php\n\n/triage confirm\nList<?> is unsafe\n/triage cwe CWE-79')).toEqual([["triage", "confirm", ""], ["triage", "cwe", "CWE-79"]]);
    // At the start of a line it is an HTML block, which a blank line does not end.
    expect(parsed("<?php\n\n/triage invalid still hidden\n?>\n/triage confirm")).toEqual([["triage", "confirm", ""]]);
    // Closed on its own line, nothing is hidden after it.
    expect(parsed('<?php echo 1; ?> <img alt="a" title=\'b\'> a<b c="d">\n/triage confirm')).toEqual([["triage", "confirm", ""]]);
  });

  it("runs a command after a code span holding HTML: inside backticks `<a href=\"` or `<!--` is shown as code, hides nothing", () => {
    // GitHub shows "The filter lets <a href=" through." and the command line after it, in the same paragraph.
    expect(parsed('The filter lets `<a href="` through.\n/triage severity high')).toEqual([["triage", "severity", "high"]]);
    expect(parsed("Strip ``<!--`` and `<?php` first:\n/triage cwe CWE-79")).toEqual([["triage", "cwe", "CWE-79"]]);
    // A backtick inside a tag's quoted value, or escaped, opens no code span: the HTML still hides the line.
    expect(parsed('See <a title="`\n/triage invalid hidden\n`">x</a>\n/triage confirm')).toEqual([["triage", "confirm", ""]]);
    expect(parsed('A \\`<a title="\n/triage invalid hidden\n">` x\n/triage confirm')).toEqual([["triage", "confirm", ""]]);
  });

  it("takes a `<` in prose for a tag only when the tag is complete (CommonMark): else it is text, and the next lines are shown", () => {
    // GitHub shows "a<b and c="d" as text, then the command on a line of its own.
    expect(parsed('The check lets a<b and c="d through\n/triage confirm')).toEqual([["triage", "confirm", ""]]);
    expect(parsed("Payload: x<img src='y\n/triage severity high\n\n/triage cwe CWE-79")).toEqual([["triage", "severity", "high"], ["triage", "cwe", "CWE-79"]]);
    // The quote closes later, but no tag ends there: still text.
    expect(parsed('a<b c="d\n/triage confirm\n" and more')).toEqual([["triage", "confirm", ""]]);
    expect(parsed('a<b c="d" e\n/triage confirm')).toEqual([["triage", "confirm", ""]]);
    // Cut off by a block that ends the paragraph: a fence, a quote, an HTML comment; what those hide stays hidden.
    expect(parsed('a<b c="d\n```\nx">\n/triage invalid in code\n```\n/triage confirm')).toEqual([["triage", "confirm", ""]]);
    expect(parsed('a<b c="d\n<!-- x">\n/triage invalid in a comment\n-->\n/triage confirm')).toEqual([["triage", "confirm", ""]]);
    expect(parsed('a<b c="d\n> x">\n/triage invalid lazily quoted\n\n/triage confirm')).toEqual([["triage", "confirm", ""]]);
    expect(parsed("a<b c='d\n/triage confirm\n' e\n>")).toEqual([["triage", "confirm", ""]]);
  });

  it("still hides the lines inside a complete tag's quoted value, over any number of lines, with spaces and line ends between its parts", () => {
    const hidden = [
      'The fix escapes <img\n  src="x.png"\n  alt="\n/triage invalid in an alt text\n/triage no-action too\n"\n/>',
      "a<b c='d\n/triage invalid in a value\n' e=f g\n/>",
      '<span title="\n/triage invalid\n">x</span> and <a\nhref = "\n/triage invalid\n">',
    ];
    for (const body of hidden) expect(parsed(`${body}\n/triage confirm`)).toEqual([["triage", "confirm", ""]]);
  });

  it("takes an autolink for no tag, even with `=\"` in it; a backtick in one opens no code span", () => {
    expect(parsed('See <https://example.com/search?q="x>\n/triage confirm')).toEqual([["triage", "confirm", ""]]);
    expect(parsed('See <https://example.com/?q="x\n/triage confirm')).toEqual([["triage", "confirm", ""]]);
    expect(parsed("<http://x.test/`> <!-- `\n/triage invalid in a comment\n-->\n/triage confirm")).toEqual([["triage", "confirm", ""]]);
    expect(parsed("<x`y@z.io> <!-- `\n/triage invalid in a comment\n-->\n/triage confirm")).toEqual([["triage", "confirm", ""]]);
  });

  it("reads a quote in an HTML block as the HTML parser does, and in doubt hides", () => {
    // Raw HTML until a blank line: an unclosed quote there hides what follows.
    expect(parsed('<div>\na<b c="d\n/triage invalid in raw HTML\n\n/triage cwe CWE-79')).toEqual([]);
    expect(parsed('<p class="x\n/triage invalid in raw HTML\n\n/triage cwe CWE-79')).toEqual([]);
    // A backtick left open may start a code span over lines: what it covers is unknown, so the tag hides as before.
    expect(parsed('Run `x\na<b c="d\n/triage invalid maybe in code\n\n/triage confirm')).toEqual([["triage", "confirm", ""]]);
  });

  it("reads an HTML block's raw text as the browser does: a tag over lines hides them, and what the block leaves open reads on past it", () => {
    const hidden = [
      // A tag runs to its `>` over lines, quoted or not, and so does a closing one.
      "<div>\n<img\n/triage invalid inside the tag\nsrc=x>\n</div>",
      "<p\n/triage invalid inside the tag\n>",
      "</div\n/triage invalid inside the closing tag\n>",
      // The block ends at the blank line, but it went out with its quote or comment open: the
      // browser reads the HTML of the next paragraph inside it, a `"` in its text being escaped.
      '<div title="\n\nHe said "hi"\n/triage invalid inside the quote',
      "<div>\n<!-- x\n\n/triage invalid inside the comment\n-->\n\n/triage invalid still inside it",
      // Behind a list marker or a quote too.
      '- <div title="\n\n/triage invalid inside the quote',
      '> <div title="\n\n/triage invalid inside the quote',
      // `<pre>` (and `<script>`, `<style>`) is raw up to its end tag, blank lines and backticks included.
      '<pre>\n\n`<a title="`\n/triage invalid inside the quote\n">`\n</pre>',
      "<pre>\n\n<a\n/triage invalid inside the tag\n>\n</pre>",
      // What follows an HTML comment's end on its line is still the block's raw HTML, and a comment
      // or declaration inside a block does not end it.
      '<!-- x --> <a b="\n\n/triage invalid inside the quote',
      "<div>\n<!-- x --> <p\n/triage invalid inside the tag",
      '<div>\n<!DOCTYPE x> <a b="\n\n/triage invalid inside the quote',
    ];
    for (const body of hidden) expect(parsed(`/triage cwe CWE-79\n\n${body}`), body).toEqual([["triage", "cwe", "CWE-79"]]);
    // Ordinary HTML blocks close what they open: the command after them runs.
    const shown = '<details><summary>Logs</summary>\n\n```\nlog\n```\n\n</details>\n\n<img src="poc.png" alt="PoC">\n<br>\n<!-- note -->\n<p align="center">\n  <b>x</b>\n</p>\n\n/triage confirm';
    expect(parsed(shown)).toEqual([["triage", "confirm", ""]]);
    // A tag left open closes at the next block's own first tag, before its text.
    expect(parsed("<div\n\n/triage confirm")).toEqual([["triage", "confirm", ""]]);
    expect(parsed('<p\n/triage invalid inside the tag\n>\n\n/triage confirm')).toEqual([["triage", "confirm", ""]]);
  });

  it("reads `<?…?>` as the browser does: it ends at the first `>`, and a quote opened after it reads on past `?>`", () => {
    // cmark-gfm passes the whole `<?x > <b c="…?>` on; the browser's `<b c="` swallows the rest.
    const body = 'The filter keeps <?x > <b c="\n/triage invalid inside the quote\n?>\n/triage invalid still inside it\n\n/triage invalid and here';
    expect(parsed(`/triage cwe CWE-79\n${body}`)).toEqual([["triage", "cwe", "CWE-79"]]);
    // A `</pre>` with prose after it starts no HTML block: the paragraph's `<?` is read, not a quote before it.
    expect(parsed('/triage cwe CWE-79\n</pre> and\nsee <a href="<?x>\n<b c="\n/triage invalid inside the quote\n?>')).toEqual([["triage", "cwe", "CWE-79"]]);
    // Closed in it, nothing more is hidden.
    expect(parsed("a <?x > <b c\n/triage invalid inside the tag\n?>\n/triage confirm")).toEqual([["triage", "confirm", ""]]);
    // `<!x'` is no declaration for cmark-gfm (capitals, then a space): text, whose `>` search must not eat a tag's `"`.
    expect(parsed('/triage cwe CWE-79\nSee <!x\'\n<a href="a>b\n/triage invalid inside the tag\n">')).toEqual([["triage", "cwe", "CWE-79"]]);
  });

  it("reads a tag complete over lines after a backtick left open: an unquoted value on the next line hides it", () => {
    expect(parsed("Run `x\n<a b=\n/triage invalid inside the tag c>\n\n/triage confirm")).toEqual([["triage", "confirm", ""]]);
    // `<img alt="a` is no tag (it never ends), so its quote is text; `<b c="` … `"/>` is one.
    expect(parsed('/triage cwe CWE-79\nRun `x <img alt="a\n<b c="\n/triage invalid inside the tag\n"/>\n\n/triage confirm')).toEqual([
      ["triage", "cwe", "CWE-79"],
      ["triage", "confirm", ""],
    ]);
  });

  it("ends a line at a lone carriage return, as GitHub's Markdown does", () => {
    // The `<?php` starts a line, so an HTML block that a blank line does not end.
    expect(parsed("x\r<?php\n\n/triage invalid hidden\n?>\n/triage confirm")).toEqual([["triage", "confirm", ""]]);
    expect(parsed("Confirmed.\r/triage confirm")).toEqual([["triage", "confirm", ""]]);
    expect(mayHaveCommands("Confirmed.\r/triage confirm")).toBe(true);
  });

  it("ignores lines that lazily continue a block quote, until a blank line ends it", () => {
    // GitHub renders these lines inside the quote: "> words" then "/triage confirm" is one quoted paragraph.
    const body = ["> the reporter wrote", "/triage invalid quoted by laziness", "/triage no-action still the quote", "", "/triage confirm"].join("\n");
    expect(parsed(body)).toEqual([["triage", "confirm", ""]]);
    expect(parsed("   > indented quote\n/triage confirm")).toEqual([]);
    expect(parsed("> quote\n\t\n/triage confirm")).toEqual([["triage", "confirm", ""]]);
  });

  it("knows quotes behind list markers, whose lazy lines are quoted too", () => {
    expect(parsed("- > quoted in a list\n/triage invalid lazy")).toEqual([]);
    expect(parsed("1. > quoted\n/triage invalid lazy\n\n/triage confirm")).toEqual([["triage", "confirm", ""]]);
    expect(parsed("- a list item\n/triage confirm")).toEqual([["triage", "confirm", ""]]);
    expect(parsed("    > indented code, not a quote\n/triage confirm")).toEqual([["triage", "confirm", ""]]);
  });

  it("numbers each command by its line in the comment", () => {
    expect(parseCommands("hello\n\n/triage confirm\n/triage cwe CWE-79").map((l) => l.line)).toEqual([3, 4]);
  });

  it("returns nothing for an empty body", () => {
    expect(parseCommands("")).toEqual([]);
  });
});

describe("mayHaveCommands", () => {
  it("is true when a line starts with a command", () => {
    expect(mayHaveCommands("/triage confirm")).toBe(true);
    expect(mayHaveCommands("hello\n/help")).toBe(true);
    expect(mayHaveCommands("hello\r\n/ANNOUNCE draft")).toBe(true);
  });

  it("is false for comments that cannot hold one", () => {
    expect(mayHaveCommands(null)).toBe(false);
    expect(mayHaveCommands(undefined)).toBe(false);
    expect(mayHaveCommands("")).toBe(false);
    expect(mayHaveCommands("LGTM, thanks")).toBe(false);
    expect(mayHaveCommands("see /triage help for the list")).toBe(false);
    expect(mayHaveCommands(" /triage confirm")).toBe(false);
    expect(mayHaveCommands("/triages confirm\n/helpme")).toBe(false);
  });

  it("never misses a comment parseCommands would read", () => {
    const bodies = [
      "/triage confirm",
      "x\n/help",
      "```\n/triage confirm\n```\n/triage cwe CWE-79",
      "/Triage Confirm",
      "a\r\n/announce draft",
      "/triage",
      "/help me",
    ];
    for (const body of bodies) {
      expect(parseCommands(body).length).toBeGreaterThan(0);
      expect(mayHaveCommands(body)).toBe(true);
    }
  });

  it("may say yes to quoted or fenced commands: it is only the cheap first check", () => {
    const body = "```\n/triage confirm\n```";
    expect(mayHaveCommands(body)).toBe(true);
    expect(parseCommands(body)).toEqual([]);
  });
});
