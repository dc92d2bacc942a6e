import { trusted } from "../render/templates.js";
import { COMMANDS } from "./registry.js";

/** The `help` template's view, generated from the command definitions that run. */
export function helpView() {
  return {
    commands: COMMANDS.map((c) => ({
      // Inside code spans entities are not decoded, and a table needs its pipes escaped.
      usage: trusted(c.usage.replace(/\|/g, "\\|")),
      examples: c.examples.map((e) => trusted(e)),
      summary: trusted(c.summary),
      whenClosed: Boolean(c.whenClosed),
    })),
  };
}
