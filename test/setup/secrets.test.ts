import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Probot } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/index.js";
import { LinkSealer } from "../../src/pr/pr-link.js";
import { KeyRing, keyRingFromEnv, MissingSecretError } from "../../src/security/key-ring.js";
import { ensureBuilt } from "../helpers/built-app.js";
import { testPrivateKey } from "../helpers/github-api.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PROBOT_BIN = join(ROOT, "node_modules/probot/bin/probot.js");
const APP = join(ROOT, "lib/index.js");
let cwd: string;

beforeAll(async () => {
  // `probot run` loads the built app, as `npm start` does: build it when lib/ is missing or older than src/.
  await ensureBuilt();
  // A directory without a .env, so nobody's local secrets reach these runs.
  cwd = mkdtempSync(join(tmpdir(), "embargo-start-"));
  copyFileSync(join(ROOT, "app.yml"), join(cwd, "app.yml"));
  copyFileSync(join(ROOT, "package.json"), join(cwd, "package.json"));
}, 120_000);
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** The environment of `npm start` with only what a test sets: no secrets, no network. */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NO_SMEE_SETUP: "true", HOST: "127.0.0.1", ...extra };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function runProbot(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [PROBOT_BIN, "run", APP], { cwd, env });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill(), 15_000);
    child.on("exit", (code) => (clearTimeout(timer), resolve({ code, output })));
  });
}

describe("start-up without a secret", () => {
  it("`probot run` with credentials but no secret exits non-zero with one line naming the variable", async () => {
    const { code, output } = await runProbot(baseEnv({ APP_ID: "1", PRIVATE_KEY: testPrivateKey(), PORT: String(await freePort()) }));
    expect(code).not.toBe(0);
    const lines = output.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^embargo refuses to start: no secret is set\. Set EMBARGO_SECRET .* WEBHOOK_SECRET/);
  }, 20_000);

  it("refuses when WEBHOOK_SECRET is missing, since Probot would then accept webhooks signed with its public default", async () => {
    const refused: string[] = [];
    const probot = new Probot({ appId: 1, privateKey: testPrivateKey(), logLevel: "fatal" });
    await probot.load(createApp({ env: { EMBARGO_SECRET: "long-random" }, refuseStart: (line) => refused.push(line) }));
    expect(refused).toEqual([expect.stringMatching(/^embargo refuses to start: WEBHOOK_SECRET is not set/)]);
  });

  it("setup mode (no APP_ID, no key) still serves the setup page without any secret", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [PROBOT_BIN, "run", APP], { cwd, env: baseEnv({ PORT: String(port), LOG_LEVEL: "fatal" }) });
    try {
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = await fetch(`http://127.0.0.1:${port}/probot`).then((r) => r.status, () => 0);
      }
      expect(status).toBe(200);
    } finally {
      child.kill();
    }
  }, 20_000);
});

const PR = "acme/product#42";

describe("which secret is used", () => {
  it("EMBARGO_SECRET first, then EMBARGO_LINK_SECRET, then WEBHOOK_SECRET; none is an error, never a default", () => {
    const sealedWith = (secret: string) => new LinkSealer(new KeyRing(secret)).seal(PR, "acme/security#7");
    const opens = (env: NodeJS.ProcessEnv, token: string) => new LinkSealer(keyRingFromEnv(env)).open(token, PR);
    expect(opens({ EMBARGO_SECRET: "e", EMBARGO_LINK_SECRET: "l", WEBHOOK_SECRET: "w" }, sealedWith("e"))).toEqual(["acme/security#7"]);
    expect(opens({ EMBARGO_LINK_SECRET: "l", WEBHOOK_SECRET: "w" }, sealedWith("l"))).toEqual(["acme/security#7"]);
    expect(opens({ WEBHOOK_SECRET: "w" }, sealedWith("w"))).toEqual(["acme/security#7"]);
    expect(opens({ EMBARGO_SECRET: "e", WEBHOOK_SECRET: "w" }, sealedWith("w"))).toEqual([]);
    expect(() => keyRingFromEnv({})).toThrow(MissingSecretError);
    expect(() => new KeyRing("")).toThrow();
  });

  it("EMBARGO_SECRET_PREVIOUS opens links sealed under the old secret; new links use the new one", () => {
    const old = new LinkSealer(keyRingFromEnv({ EMBARGO_SECRET: "old-secret", WEBHOOK_SECRET: "w" })).seal(PR, "acme/security#7");
    const rotated = new LinkSealer(keyRingFromEnv({ EMBARGO_SECRET: "new-secret", EMBARGO_SECRET_PREVIOUS: "old-secret", WEBHOOK_SECRET: "w" }));
    expect(rotated.open(old, PR)).toEqual(["acme/security#7"]);
    const fresh = rotated.seal(PR, "acme/security#8");
    expect(new LinkSealer(new KeyRing("old-secret")).open(fresh, PR)).toEqual([]);
    // Once the rotation is over (previous secret removed), the old links no longer open.
    expect(new LinkSealer(keyRingFromEnv({ EMBARGO_SECRET: "new-secret", WEBHOOK_SECRET: "w" })).open(old, PR)).toEqual([]);
  });

  it("no hard-coded fallback secret anywhere in the app's code", () => {
    const files = readdirSync(join(ROOT, "src"), { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith(".ts"));
    const offending = files.flatMap((f) => fallbackSecrets(readFileSync(join(f.parentPath, f.name), "utf8")).map((line) => `${join(f.parentPath, f.name)}:${line}`));
    expect(offending).toEqual([]);
  });

  it("the rule above catches a fallback, and only code: not a message or a comment naming the variables", () => {
    const caught = [
      'return process.env.EMBARGO_LINK_SECRET || process.env.WEBHOOK_SECRET || process.env.PRIVATE_KEY || "development";',
      'const secret = process.env.WEBHOOK_SECRET || "development";',
      "const secret = env.EMBARGO_SECRET ?? 'dev';",
      "const s = env.EMBARGO_SECRET ||\n  `dev`;",
      'function keys(secret = "development") {}',
      "const link = `${env.EMBARGO_SECRET || \"x\"}`;",
      "const ring = new KeyRing(env.PRIVATE_KEY);",
      'import { createHmac } from "node:crypto";\nconst mac = createHmac("sha256", creds.privateKey);',
    ];
    for (const code of caught) expect({ code, found: fallbackSecrets(code).length > 0 }).toEqual({ code, found: true });
    const clean = [
      'line("FAIL", `refused (HTTP ${status})`, "check APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH): a current private key");',
      "// Probot falls back to WEBHOOK_SECRET || \"development\" without one.",
      "/**\n * APP_ID and PRIVATE_KEY and never with the workflow's GITHUB_TOKEN: the key || \"x\"\n */",
      'const re = /["\'`]/g; const secret = env.EMBARGO_SECRET || env.WEBHOOK_SECRET;',
      'import { createAppAuth } from "@octokit/auth-app";\nconst auth = { appId, privateKey: readFileSync(env.PRIVATE_KEY_PATH!, "utf8") };',
      'export type SecretKind = "reference" | "cve";',
    ];
    for (const code of clean) expect({ code, found: fallbackSecrets(code) }).toEqual({ code, found: [] });
  });
});

/**
 * The source with comments removed and string contents blanked (quotes kept, `${…}` kept as code),
 * so the rules below look at what the code does, not at the messages and comments that name the
 * variables. Regex literals are skipped too: a quote inside one opens no string.
 */
function codeOnly(source: string): string {
  let out = "";
  const braces: number[] = []; // open `{` count inside each `${…}` being read
  let i = 0;
  const readTemplate = () => {
    // at the char after a backtick or a `}` closing `${…}`: literal text until "`" or "${"
    while (i < source.length && source[i] !== "`") {
      if (source[i] === "\\") i += 2;
      else if (source.startsWith("${", i)) return void ((out += "${"), (i += 2), braces.push(0));
      else out += source[i++] === "\n" ? "\n" : "";
    }
    out += "`";
    i++;
  };
  while (i < source.length) {
    const c = source[i]!;
    const prev = out.trimEnd().slice(-1);
    if (source.startsWith("//", i)) while (i < source.length && source[i] !== "\n") i++;
    else if (source.startsWith("/*", i)) {
      const end = source.indexOf("*/", i + 2);
      out += source.slice(i, end < 0 ? source.length : end).replace(/[^\n]/g, "");
      i = end < 0 ? source.length : end + 2;
    } else if (c === '"' || c === "'") {
      out += c;
      for (i++; i < source.length && source[i] !== c && source[i] !== "\n"; i += source[i] === "\\" ? 2 : 1);
      out += c;
      i++;
    } else if (c === "`") {
      out += "`";
      i++;
      readTemplate();
    } else if (c === "/" && (prev === "" || "(,=:[!&|?{};".includes(prev) || /\breturn$/.test(out.trimEnd()))) {
      // a regex literal: skip to its closing slash (a `/` inside a class does not close it)
      let inClass = false;
      for (i++; i < source.length && source[i] !== "\n" && (inClass || source[i] !== "/"); i++) {
        if (source[i] === "\\") i++;
        else if (source[i] === "[") inClass = true;
        else if (source[i] === "]") inClass = false;
      }
      out += "/re/";
      i++;
    } else if (braces.length && c === "{") (braces[braces.length - 1]!++, (out += c), i++);
    else if (braces.length && c === "}" && braces[braces.length - 1] === 0) {
      braces.pop();
      out += "}";
      i++;
      readTemplate();
    } else if (braces.length && c === "}") (braces[braces.length - 1]!--, (out += c), i++);
    else (out += c), i++;
  }
  return out;
}

/**
 * Where code gives a secret a hard-coded default, as `line: code`:
 * - a secret-like name (…secret…, …key…) followed by `||` or `??` and a string literal, or a
 *   secret given a string as its default (`secret = "…"`);
 * - the app's private key anywhere but GitHub App authentication: a file whose code names it must
 *   hand it to @octokit/auth-app and do no keyed crypto (no KeyRing, HMAC, HKDF, no secret).
 */
function fallbackSecrets(source: string): string[] {
  const code = codeOnly(source);
  const lines = code.split("\n");
  const found = new Set<number>();
  const lineOf = (index: number) => code.slice(0, index).split("\n").length;
  for (const m of code.matchAll(/(secret|key)\w*\s*(\?\?|\|\|)\s*["'`]|(?<!\btype\s+\w*)secret\w*\s*(\?\?=|\|\|=|=(?![=>]))\s*["'`]/gi)) found.add(lineOf(m.index));
  const privateKey = /PRIVATE_KEY|privateKey/;
  if (privateKey.test(code) && (!/@octokit\/auth-app/.test(source) || /KeyRing|createHmac|hkdf|secret/i.test(code))) {
    lines.forEach((l, i) => privateKey.test(l) && found.add(i + 1));
  }
  const original = source.split("\n");
  return [...found].sort((a, b) => a - b).map((n) => `${n}: ${original[n - 1]!.trim()}`);
}
