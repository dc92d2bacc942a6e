import Handlebars from "handlebars";

const ZWSP = "\u200b";
/** Read once: every object of every view is checked against it. */
const SafeString = Handlebars.SafeString;

/**
 * Text that came from a person goes through here before any template sees it: a zero-width space
 * after "@" keeps `@someone` and `@org/team` from pinging anyone, and markdown that could break
 * out of a table cell or open a hidden marker is defused. HTML is escaped later by Handlebars, so
 * a hidden marker is broken with a zero-width space rather than an entity: `&lt;!--` escaped again
 * would show as "&lt;!--", and `<`+ZWSP+`!--` opens no comment where the text is written unescaped
 * (titles, code spans).
 */
export function neutralize(text: string): string {
  // Most strings (hashes, dates, ids) have neither: no regex, no copy.
  if (!text.includes("@") && !text.includes("<!--")) return text;
  // An "@" after a letter or digit is an e-mail address, which GitHub never treats as a mention.
  // Not after "_": `_@team_` renders as <em>@team</em>, and GitHub finds mentions in rendered text.
  return text.replace(/(^|[^A-Za-z0-9])@(?=[A-Za-z0-9_-])/g, `$1@${ZWSP}`).replace(/<!--/g, `<${ZWSP}!--`);
}

/**
 * Deeply neutralizes every string of a view; SafeStrings are the app's own markup and pass as they
 * are. Copy on write: an array or plain object with nothing to defuse is returned as it is (most
 * of a view: hashes, dates, ids), so only what changes is copied. Other objects are copied into
 * plain ones, as before.
 */
export function neutralizeView<T>(value: T): T {
  if (typeof value === "string") return neutralize(value) as T;
  if (!value || typeof value !== "object" || value instanceof SafeString) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const n = neutralizeView(v);
      if (n !== v) (out ??= value.slice())[i] = n;
    }
    return (out ?? value) as T;
  }
  const proto = Object.getPrototypeOf(value);
  const plain = proto === Object.prototype || proto === null;
  let out: Record<string, unknown> | undefined = plain ? undefined : {};
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k];
    const n = neutralizeView(v);
    if (out) out[k] = n;
    else if (n !== v) (out = { ...(value as Record<string, unknown>) })[k] = n;
  }
  return (out ?? value) as T;
}
