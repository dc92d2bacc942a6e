import { readFileSync } from "node:fs";

/** A Dockerfile instruction: keyword, flags (`--from=build`), and the rest as written or as a JSON array. */
export interface Instruction {
  keyword: string;
  flags: Record<string, string>;
  args: string;
  exec?: string[];
}

export interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

/** Enough of Dockerfile syntax for our own file: comments, `\` continuations, flags, exec form. */
export function parseDockerfile(path: string): Stage[] {
  const text = readFileSync(path, "utf8").replace(/\\\r?\n/g, " ");
  const stages: Stage[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const [, keyword = "", restRaw = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    let rest = restRaw;
    const flags: Record<string, string> = {};
    for (let m = /^--([a-z-]+)=(\S+)\s*/.exec(rest); m; m = /^--([a-z-]+)=(\S+)\s*/.exec(rest)) {
      flags[m[1]!] = m[2]!;
      rest = rest.slice(m[0].length);
    }
    const upper = keyword.toUpperCase();
    if (upper === "FROM") {
      const [base = "", , name] = rest.split(/\s+/);
      stages.push({ base, name: name ?? String(stages.length), instructions: [] });
      continue;
    }
    let exec: string[] | undefined;
    const json = rest.replace(/^CMD\s+/, "");
    if (json.startsWith("[")) exec = JSON.parse(json) as string[];
    stages.at(-1)?.instructions.push({ keyword: upper, flags, args: rest, exec });
  }
  return stages;
}

/** `.dockerignore` as a matcher: `*` within a segment, `!` re-includes, last match wins. */
export function dockerIgnore(path: string): (file: string) => boolean {
  const rules = readFileSync(path, "utf8")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => {
      const negate = l.startsWith("!");
      const pattern = (negate ? l.slice(1) : l).replace(/^\/|\/$/g, "");
      const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}(/.*)?$`);
      return { negate, re };
    });
  return (file) => rules.reduce((ignored, r) => (r.re.test(file) ? !r.negate : ignored), false);
}
