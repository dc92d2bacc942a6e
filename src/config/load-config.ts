import { Ajv, type ErrorObject } from "ajv";
import { configSchema, type EmbargoConfig } from "./config-schema.js";
import { checklistProblems } from "../checklist/checklist-config.js";

export const CONFIG_FILE = "embargo.yml";

export const DEFAULT_LABEL = "security";

/** On failure, `label` is the file's label when it is readable, so the app still knows which events are its own. */
export type ConfigResult = { ok: true; config: EmbargoConfig } | { ok: false; problems: string[]; label: string };

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true });
const validate = ajv.compile(configSchema);

/** A key or a name from the file, safe inside a code span whatever it holds. */
function code(text: string): string {
  return `\`${text.replace(/[`\r\n]/g, " ").slice(0, 100)}\``;
}

function keyOf(error: ErrorObject): string {
  const parts = error.instancePath.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  return parts.length ? parts.join(".") : "(top level)";
}

/** What a value must be, from the schema that rejected it (its `description`), never from its pattern alone. */
function meaning(error: ErrorObject): string {
  const description = (error.parentSchema as { description?: string } | undefined)?.description;
  return description ?? `of the form ${String((error.params as { pattern?: unknown }).pattern)}`;
}

function describe(error: ErrorObject): string {
  const key = code(keyOf(error));
  const p = error.params as Record<string, unknown>;
  const s = (error.parentSchema ?? {}) as { minimum?: number; maximum?: number; minLength?: number; maxLength?: number; properties?: object };
  // A bad name inside `propertyNames`: ajv reports the name's own error and then one for the mapping.
  const name = (error as { propertyName?: string }).propertyName;
  if (name !== undefined) return `${key} has a name that is not allowed, ${code(name)}: it must be ${meaning(error)}`;
  switch (error.keyword) {
    case "additionalProperties": {
      const parent = error.instancePath ? `${keyOf(error)}.` : "";
      const allowed = Object.keys(s.properties ?? {});
      return `${code(`${parent}${String(p.additionalProperty)}`)} is not a known key${allowed.length ? ` (allowed here: ${allowed.join(", ")})` : ""}`;
    }
    case "propertyNames":
      return ""; // said above, with the name, by the name's own error
    case "enum":
      return `${key} must be one of: ${(p.allowedValues as unknown[]).join(", ")}`;
    case "type":
      return `${key} must be ${p.type === "array" ? "a list" : p.type === "object" ? "a mapping" : `a${/^[aeiou]/.test(String(p.type)) ? "n" : ""} ${String(p.type)}`}`;
    case "pattern":
      return `${key} must be ${meaning(error)}`;
    case "minimum":
    case "maximum":
      return `${key} must be between ${s.minimum} and ${s.maximum}`;
    case "minLength":
      return s.minLength === 1 ? `${key} must not be empty` : `${key} must be at least ${s.minLength} characters long`;
    case "maxLength":
      return `${key} must be at most ${s.maxLength} characters long`;
    case "uniqueItems":
      return `${key} lists the same value twice`;
    case "required":
      return `${key} needs ${code(String(p.missingProperty))}`;
    default:
      return `${key} ${error.message ?? "is not valid"}`;
  }
}

/** Validates what `context.config` returned (null when no file exists) and fills the defaults. */
export function validateConfig(raw: unknown): ConfigResult {
  const candidate = raw == null ? {} : structuredClone(raw);
  if (typeof candidate !== "object" || Array.isArray(candidate)) {
    return { ok: false, problems: ["the file must be a YAML mapping of keys to values"], label: DEFAULT_LABEL };
  }
  const rawLabel = (candidate as { label?: unknown }).label;
  const label = typeof rawLabel === "string" && rawLabel.trim() ? rawLabel : DEFAULT_LABEL;
  if (!validate(candidate)) {
    const problems = [...new Set((validate.errors ?? []).map(describe).filter(Boolean))];
    return { ok: false, problems, label };
  }
  const config = candidate as EmbargoConfig;
  const problems: string[] = checklistProblems(config);
  if (config.public_reports === "transfer") {
    if (!config.security_repo) problems.push("`public_reports: transfer` needs `security_repo`: the private repository to move reports to");
  }
  return problems.length ? { ok: false, problems, label } : { ok: true, config };
}

type ConfigReader = (file: string) => Promise<unknown>;

/** Reads `.github/embargo.yml` through Probot (repo, then the owner's `.github` repo, following `_extends`). */
export async function loadConfig(read: ConfigReader): Promise<ConfigResult> {
  let raw: unknown;
  try {
    raw = await read(CONFIG_FILE);
  } catch (error) {
    // An HTTP failure is GitHub's problem, not the file's: let the handler fail and be retried.
    if (typeof (error as { status?: unknown }).status === "number") throw error;
    const message = error instanceof Error ? error.message.replace(/^\[@probot\/octokit-plugin-config\] /, "") : String(error);
    return { ok: false, problems: [`the file could not be read: ${message}`], label: DEFAULT_LABEL };
  }
  return validateConfig(raw);
}

/** The config of a repository without a valid file: what a broken config falls back to. */
export function defaultConfig(): EmbargoConfig {
  const result = validateConfig({});
  if (!result.ok) throw new Error("the default config does not validate");
  return result.config;
}
