import Handlebars from "handlebars";

const ZWSP = "\u200b";

/**
 * Text that came from a person goes through here before any template sees it: a zero-width space
 * after "@" keeps `@someone` and `@org/team` from pinging anyone, and markdown that could break
 * out of a table cell or open a hidden marker is defused. HTML is escaped later by Handlebars.
 */
export function neutralize(text: string): string {
  // Most strings (hashes, dates, ids) have neither: no regex, no copy.
  if (!text.includes("@") && !text.includes("<!--")) return text;
  // An "@" after a word character is an e-mail address, which GitHub never treats as a mention.
  return text.replace(/(^|[^A-Za-z0-9_])@(?=[A-Za-z0-9_-])/g, `$1@${ZWSP}`).replace(/<!--/g, "&lt;!--");
}

/** Deeply neutralizes every string of a view; SafeStrings are the app's own markup and pass as they are. */
export function neutralizeView<T>(value: T): T {
  if (typeof value === "string") return neutralize(value) as T;
  if (value instanceof Handlebars.SafeString) return value;
  if (Array.isArray(value)) return value.map((v) => neutralizeView(v)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = neutralizeView(v);
    return out as T;
  }
  return value;
}
