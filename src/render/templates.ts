import { readFileSync } from "node:fs";
import Handlebars from "handlebars";
import { neutralizeView } from "./neutralize.js";

export const BUILTIN_DIR = new URL("../../templates/", import.meta.url);
export const OVERRIDE_DIR = ".github/embargo";

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\/[A-Za-z0-9._-]+)?$/;

const hb = Handlebars.create();
hb.registerHelper("mention", (login: unknown) =>
  typeof login === "string" && LOGIN.test(login.replace(/^@/, "").replace(/\u200b/g, ""))
    ? new hb.SafeString(`@${login.replace(/^@/, "").replace(/\u200b/g, "")}`)
    : "",
);
// Table cells must stay on one line and must not close the cell. A SafeString (what `join`, `code` or
// the app's own markup returns) is escaped already: escaping it again shows `&amp;` for `&`.
// Markdown ends a line at \r alone too, not only at \n and \r\n.
const LINE_END = /\r\n?|\n/g;
hb.registerHelper("cell", (text: unknown) =>
  new hb.SafeString((text instanceof hb.SafeString ? text.toString() : hb.Utils.escapeExpression(String(text ?? ""))).replace(LINE_END, " ").replace(/\|/g, "\\|")),
);
hb.registerHelper("code", (text: unknown) => new hb.SafeString(`\`${String(text ?? "").replace(/`/g, "'").replace(LINE_END, " ")}\``));
// Each item escaped once, here: the result is a SafeString, so neither the mustache nor `cell` escapes it again.
hb.registerHelper("join", (list: unknown, sep: unknown) =>
  Array.isArray(list) ? new hb.SafeString(list.map((x) => hb.Utils.escapeExpression(String(x))).join(hb.Utils.escapeExpression(typeof sep === "string" ? sep : ", "))) : "",
);
hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);

/** Marks app-generated markdown (checklist texts, links) so that neutralizing leaves it alone. */
export function trusted(markdown: string): Handlebars.SafeString {
  return new hb.SafeString(markdown);
}

const KNOWN_HELPERS = { mention: true, cell: true, code: true, join: true, eq: true };

const compiled = new Map<string, HandlebarsTemplateDelegate>();
const compiledBuiltins = new Map<string, HandlebarsTemplateDelegate>();

function compile(source: string, builtin = false): HandlebarsTemplateDelegate {
  const cache = builtin ? compiledBuiltins : compiled;
  let template = cache.get(source);
  if (!template) {
    // The app's helpers are always registered: the compiled code calls them directly rather than
    // looking each name up on every render (same output; about a third faster). The built-in
    // templates use no other helper, so their other names compile to plain lookups (no helper
    // check per mustache: the same output, since no other helper exists). A repo's override keeps
    // the lenient mode: a helper it names that does not exist fails as it always did.
    template = hb.compile(source, { noEscape: false, strict: false, knownHelpers: KNOWN_HELPERS, knownHelpersOnly: builtin });
    cache.set(source, template);
  }
  return template;
}

const builtins = new Map<string, string>();

export function builtinTemplate(name: string): string {
  let source = builtins.get(name);
  if (source === undefined) {
    source = readFileSync(new URL(`${name}.hbs`, BUILTIN_DIR), "utf8");
    builtins.set(name, source);
  }
  return source;
}

/** Where templates come from for one repo: a function that returns an override's source, or null. */
export type OverrideSource = (name: string) => Promise<string | null>;

export class TemplateRenderError extends Error {}

/**
 * Renders a template by name with a view whose strings are neutralized. A repo's override of the
 * template is used when it exists and compiles; a broken override falls back to the built-in one
 * and the error is returned, so the response never stops over a template typo.
 */
export async function renderTemplate(
  name: string,
  view: object,
  overrides?: OverrideSource,
): Promise<{ text: string; overrideError?: string }> {
  const safeView = neutralizeView(view);
  const override = overrides ? await overrides(name) : null;
  if (override !== null) {
    try {
      return { text: compile(override)(safeView).trim() };
    } catch (error) {
      const overrideError = `\`${OVERRIDE_DIR}/${name}.hbs\` could not be rendered (${(error as Error).message.split("\n")[0]}); the built-in template was used`;
      return { text: compile(builtinTemplate(name), true)(safeView).trim(), overrideError };
    }
  }
  return { text: compile(builtinTemplate(name), true)(safeView).trim() };
}
