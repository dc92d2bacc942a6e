/** Comments of GitHub's maximum length, shaped to stall a backtracking regex (issue 8, denial of service). */

export const LIMIT = 65_536;
/** `unit` repeated to exactly GitHub's limit, after `head` and before `tail`. */
function fill(unit: string, head = "", tail = ""): string {
  const room = LIMIT - head.length - tail.length;
  return head + unit.repeat(Math.ceil(room / unit.length)).slice(0, room) + tail;
}

/** The shapes: long runs of what each scanner treats specially, ended by what makes a regex give up. */
export const WORST_SHAPES: Record<string, string> = {
  "many /triage lines": fill("/triage cwe 79\n"),
  "many bare /triage lines": fill("/triage\n"),
  "spaces after the group, then a line separator": fill(" ", "/triage", "\r"),
  "spaces and tabs between group, name and args": fill(" \t", "/triage cvss", "x\u2028"),
  "a long sub-command glued to a colon": fill("a", "/triage ", ":"),
  "backticks then a carriage return (the fence regex)": fill("`", "", "\rx"),
  "tildes then a carriage return": fill("~", "", "\rx"),
  "lone backticks (code-span splitting)": fill("` "),
  "@ runs (mention neutralising)": fill("@"),
  "@- runs": fill("@-"),
  "<!-- runs (HTML comments)": fill("<!--"),
  "<!-- and --> alternating on new lines": fill("<!--\n-->\n/triage confirm\n"),
  "<? and <![CDATA[ runs (what HTML hides as comments)": fill("<?<![CDATA[<!x"),
  "unclosed quoted attributes, one a line": fill('<a b="\n/triage confirm\n"> <a c=\'\n'),
  "tags in prose that never end, one a line": fill('a<b c="d\n/triage confirm\n', "", "\n"),
  "one quoted value that never closes, holding tags that do not end": fill("<c d='x' e\n", '<a b="'),
  "attributes over many lines, never closed, then a tag in each value": fill("<a\nb='<c\nd=\"<e\nf=' g\n"),
  "autolinks cut short and email-like runs": fill("<ab:c <a.b@c- <x@y.z", "", ">"),
  "escaped and ever longer backtick runs before one `<` (code spans)": fill("\\` `` ``` ", "x ", "<a b=\""),
  "backtick pairs and `<!--` --> alternating (code spans and comments)": fill("`<!--` <!-- ` --> ", "x "),
  "a backtick left open, then tags in prose that never end": fill('a<b c="d\n<e f=\n', "`x\n", "\n"),
  "an HTML block of tags over lines, quotes and comments": fill("<a\nb='x' c=\"<!--\n\"> --> <? <b\n", "<div>\n"),
  "raw <pre> blocks with blank lines": fill("<pre>\n\n<a\n</pre>\n"),
  "lone carriage returns": fill("\r<?x\r"),
  "> runs (quotes)": fill(">"),
  "> lines with lazy continuations": fill("> q\n/triage confirm\n"),
  "list markers before a quote": fill("- 1. ", "", "> x\n/triage confirm"),
  "#digits runs (issue references)": fill("#1", " "),
  "acme/security# runs": fill("acme/security#"),
  "digits after # with no end": fill("9", " #"),
};

