import type { ResponseRecord } from "../record/response-record.js";
import { done, fail, type CommandDefinition } from "./command.js";
import { limitText, parseUrl } from "./validate-args.js";

type Declared = Pick<CommandDefinition, "name" | "usage" | "summary" | "examples">;
type TextField = "summary" | "description" | "upgrade";
type UrlField = "tickets" | "upstream";

/** A command that records one free-text field: most of the advisory's prose is set this way. */
export function textCommand(declared: Declared, field: TextField, max: number, what: string, ticks: string[] = []): CommandDefinition {
  return {
    group: "triage",
    ...declared,
    sets: field,
    run(record, { args }) {
      const problem = limitText(args, max, what);
      if (problem) return fail(problem);
      return done({ record: { ...record, [field]: args } as ResponseRecord, ticks });
    },
  };
}

/** A command that adds a link to a list (each URL once). */
export function urlCommand(declared: Declared, field: UrlField, ticks: string[]): CommandDefinition {
  return {
    group: "triage",
    ...declared,
    run(record, { args }) {
      const url = parseUrl(args);
      if (!url || args.length > 500) return fail(`"${args.slice(0, 100)}" is not an http(s) URL`);
      return done({ record: { ...record, [field]: [...new Set([...record[field], url.href])] }, ticks });
    },
  };
}
