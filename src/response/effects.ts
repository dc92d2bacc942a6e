/**
 * What a handler decided should be true on GitHub after an event. Deciders are pure and produce
 * these; `applyEffects` is the only code that turns them into API calls.
 */
export interface Effects {
  /** The response comment's desired body; unchanged bodies cost no call. */
  responseBody?: string;
  addLabels: string[];
  removeLabels: string[];
  assign: string[];
  /**
   * Replies, each with a stable key so a redelivered event does not post it twice; `also`: keys an
   * earlier version of the app posted the same reply under, which count as posted too.
   */
  replies: { key: string; body: string; also?: string[] }[];
  close?: "completed" | "not_planned";
}

export function noEffects(): Effects {
  return { addLabels: [], removeLabels: [], assign: [], replies: [] };
}

export const STATE_LABEL_PREFIX = "security: ";
export const SEVERITY_LABEL_PREFIX = "severity: ";

/** Labels that say where a response stands: exactly one state label and at most one severity label. */
export function labelEffects(current: string[], desired: string[], prefixes: string[]): Pick<Effects, "addLabels" | "removeLabels"> {
  const lower = new Set(current.map((l) => l.toLowerCase()));
  const want = new Set(desired.map((l) => l.toLowerCase()));
  return {
    addLabels: desired.filter((l) => !lower.has(l.toLowerCase())),
    removeLabels: current.filter(
      (l) => prefixes.some((p) => l.toLowerCase().startsWith(p)) && !want.has(l.toLowerCase()),
    ),
  };
}
