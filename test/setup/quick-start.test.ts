import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createHmac } from "node:crypto";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../helpers/built-app.js";
import { testPrivateKey } from "../helpers/github-api.js";
import { anchors, fences, manual, prose, tables, ROOT, type Doc } from "../helpers/manual.js";

/**
 * The README's quick start, as a new user runs it: the scripts it names exist and do what it says,
 * and `npm start`'s own command line (read from package.json, not copied here) serves Probot's setup
 * page without credentials, then the webhooks once the `.env` the setup page writes holds them.
 */

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  main: string;
  engines: { node: string };
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const docs = manual();
const readme = docs.find((d) => d.name === "README.md")!;
const section = (doc: Doc, heading: string) => {
  const start = doc.text.indexOf(`\n## ${heading}\n`);
  expect(start, heading).toBeGreaterThan(0);
  const end = doc.text.indexOf("\n## ", start + 1);
  return { name: doc.name, text: doc.text.slice(start, end < 0 ? undefined : end) };
};

/** `npm start` is `npm run build && <the server's command>`: the second half, as words. */
function startCommand(): string[] {
  const [build, serve, ...more] = pkg.scripts.start!.split("&&").map((s) => s.trim());
  expect(build).toBe("npm run build");
  expect(more).toEqual([]);
  return serve!.split(/\s+/);
}

describe("the quick start's scripts", () => {
  const quick = fences(section(readme, "Quick start"))[0]!.body;

  // `npm start` goes through src/setup/start.ts, which is `probot run` with the setup page's
  // manifest made valid for GitHub Enterprise Server (it has no repository advisories).
  it("`npm start` builds, then runs the built entry with `probot run` (through src/setup/start.ts), as the README says", () => {
    const [bin, run, entry] = startCommand();
    expect([bin, run]).toEqual(["node", "lib/setup/start.js"]);
    const starter = readFileSync(join(ROOT, "src/setup/start.ts"), "utf8");
    expect(starter).toMatch(/import \{ run \} from "probot"/);
    expect(starter).toMatch(/await run\(/);
    expect(quick).toContain(`\`${startCommand().join(" ")}\``);
    expect(quick).toMatch(/^npm ci && npm start\b/m);
    // The entry is what `npm run build` makes of src/index.ts (tsconfig: rootDir src, outDir lib).
    const tsconfig = JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8")) as { compilerOptions: { rootDir: string; outDir: string } };
    expect(pkg.scripts.build).toBe("tsc -p tsconfig.json");
    expect(join(ROOT, entry!)).toBe(join(ROOT, tsconfig.compilerOptions.outDir, "index.js"));
    expect(existsSync(join(ROOT, tsconfig.compilerOptions.rootDir, "index.ts"))).toBe(true);
    expect(join(ROOT, pkg.main)).toBe(join(ROOT, entry!));
  });

  it("the Node version and the strict build the quick start names are package.json's and tsconfig's", () => {
    const text = section(readme, "Quick start").text;
    const node = /Node ≥ (\d+(?:\.\d+)*)/.exec(text)?.[1];
    expect(node).toBeDefined();
    expect(pkg.engines.node).toBe(`>=${node}`);
    expect(text).toContain("`npm run build` type-checks (TypeScript, strict) into `lib/`");
    const tsconfig = JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8")) as { compilerOptions: { strict: boolean; outDir: string } };
    expect(tsconfig.compilerOptions).toMatchObject({ strict: true, outDir: "lib" });
  });

  it("`npm test` is the test suite and every `npm run <script>` the manual names exists", () => {
    expect(quick).toMatch(/^npm test\b/m);
    expect(pkg.scripts.test).toBe("vitest run");
    const named = new Set(docs.flatMap((d) => [...d.text.matchAll(/\bnpm run(?: -s)? ([a-z][\w:-]*)/g)].map((m) => m[1]!)));
    for (const script of ["build", "bench", "bench:events", "tick", "embargo"]) expect(named).toContain(script);
    expect([...named].filter((s) => !pkg.scripts[s])).toEqual([]);
  });

  it("`npm run bench` runs the benchmark file that exists, outside `npm test`", () => {
    const file = /\s(bench\/\S+\.bench\.ts)\b/.exec(pkg.scripts.bench!)?.[1];
    expect(file).toBeDefined();
    expect(existsSync(join(ROOT, file!))).toBe(true);
    expect(pkg.scripts.bench).toContain("--config bench/vitest.config.ts");
  });
});

describe("the runtime dependencies table", () => {
  const rows = (doc: Doc) => tables(doc).filter((t) => t.header[0] === "package" && t.header[1] === "why").flatMap((t) => t.rows);
  const name = (cell: string) => cell.replace(/`/g, "").trim();

  it("lists package.json's dependencies exactly, each with a reason", () => {
    const listed = rows(section(readme, "Runtime dependencies"));
    expect(listed.map((r) => name(r.cells[0]!)).sort()).toEqual(Object.keys(pkg.dependencies).sort());
    expect(listed.filter((r) => (r.cells[1] ?? "").split(/\s+/).length < 4).map((r) => r.cells[0])).toEqual([]);
  });

  it("names every dev dependency in the line after it", () => {
    const dev = /\nDev: ([\s\S]*?)\n\n/.exec(section(readme, "Runtime dependencies").text)![1]!.toLowerCase();
    expect(Object.keys(pkg.devDependencies).filter((d) => !dev.includes(d.toLowerCase()))).toEqual([]);
  });

  it("the docs' dependency tables name only dependencies", () => {
    const others = docs.filter((d) => d !== readme).flatMap(rows).map((r) => name(r.cells[0]!));
    expect(others.filter((d) => !pkg.dependencies[d])).toEqual([]);
  });
});

/** Links to headings (`#…`) and files in the manual, and whether each leads somewhere. */
function brokenLinks(all: Doc[]): string[] {
  const out: string[] = [];
  for (const doc of all) {
    const text = prose(doc);
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
      const [file, anchor] = target.split("#") as [string, string | undefined];
      const path = file ? join(ROOT, doc.name, "..", file) : join(ROOT, doc.name);
      const where = `${doc.name}:${text.slice(0, m.index).split("\n").length}: ${target}`;
      if (!existsSync(path)) out.push(`${where}: no such file`);
      else if (anchor !== undefined) {
        const linked = all.find((d) => join(ROOT, d.name) === path) ?? (path.endsWith(".md") ? { name: path, text: readFileSync(path, "utf8") } : undefined);
        if (!linked || !anchors(linked).has(anchor)) out.push(`${where}: no such heading`);
      }
    }
  }
  return out;
}

describe("the manual's links", () => {
  it("each #anchor is a heading of the file it names, each file exists", () => {
    expect(docs.flatMap((d) => [...prose(d).matchAll(/\]\(#/g)]).length).toBeGreaterThan(20);
    expect(brokenLinks(docs)).toEqual([]);
  });

  it("GitHub's anchors: punctuation dropped, repeated headings numbered; a broken link fails (a made-up manual)", () => {
    const made = { name: "README.md", text: "## Configuration: `.github/embargo.yml`\n### `/announce`: the pack\n### Fix PRs\n### Fix PRs\n" };
    expect([...anchors(made)]).toEqual(["configuration-githubembargoyml", "announce-the-pack", "fix-prs", "fix-prs-1"]);
    expect(brokenLinks([{ ...made, text: `${made.text}See [it](#fix-prs-1), [pack](#announce-the-pack) and [app](app.yml).\n` }])).toEqual([]);
    expect(brokenLinks([{ ...made, text: `${made.text}See [it](#fix-prs-2), [x](nope.md) and [y](docs/running.md#nowhere).\n` }])).toEqual([
      "README.md:5: #fix-prs-2: no such heading",
      "README.md:5: nope.md: no such file",
      "README.md:5: docs/running.md#nowhere: no such heading",
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// `npm start`'s server command, run as npm runs it: the package's bin on PATH, in a directory
// like a fresh clone's (package.json, app.yml, the built lib/), with only what a test sets.

let cwd: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  // As `npm start` does before serving: build when lib/ is missing or older than src/.
  await ensureBuilt();
  cwd = mkdtempSync(join(tmpdir(), "embargo-quick-start-"));
  for (const f of ["package.json", "app.yml"]) copyFileSync(join(ROOT, f), join(cwd, f));
  symlinkSync(join(ROOT, "lib"), join(cwd, "lib"));
  symlinkSync(join(ROOT, "node_modules"), join(cwd, "node_modules"));
  symlinkSync(join(ROOT, "templates"), join(cwd, "templates"));
}, 120_000);
afterEach(() => {
  child?.kill();
  child = undefined;
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs the server half of `npm start` with `env` (npm puts node_modules/.bin on PATH) until `ready` answers. */
async function serve(env: Record<string, string>, ready: (base: string) => Promise<boolean>): Promise<{ base: string; output: () => string }> {
  const port = await freePort();
  const [bin, ...args] = startCommand();
  let output = "";
  child = spawn(bin!, args, {
    cwd,
    env: { PATH: `${join(cwd, "node_modules/.bin")}:${process.env.PATH}`, HOME: process.env.HOME, HOST: "127.0.0.1", PORT: String(port), NO_SMEE_SETUP: "true", ...env },
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    if (await ready(base).catch(() => false)) return { base, output: () => output };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not come up: ${output}`);
}

describe("`npm start` on a fresh clone", () => {
  it("without credentials serves Probot's setup page, with the Register GitHub App button", async () => {
    const { base } = await serve({ LOG_LEVEL: "fatal" }, async (b) => (await fetch(`${b}/probot`)).status === 200);
    const page = await (await fetch(`${base}/probot`)).text();
    expect(page).toContain("<title>Setup embargo | built with Probot</title>");
    expect(page).toMatch(/<button\b[^>]*\bname="manifest"/);
  }, 30_000);

  it("with the .env the setup page writes plus EMBARGO_SECRET, serves signed webhooks at /api/github/webhooks", async () => {
    writeFileSync(
      join(cwd, ".env"),
      [`APP_ID=1`, `PRIVATE_KEY="${testPrivateKey().replace(/\n/g, "\\n")}"`, `WEBHOOK_SECRET=hook-secret`, `EMBARGO_SECRET=embargo-secret`, `EMBARGO_TICK_MINUTES=0`, `LOG_LEVEL=fatal`].join("\n"),
    );
    try {
      const { base } = await serve({}, async (b) => (await fetch(`${b}/ping`)).ok);
      const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
      const deliver = (secret: string) =>
        fetch(`${base}/api/github/webhooks`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": "quick-start-1", "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}` },
          body,
        });
      expect((await deliver("hook-secret")).status).toBe(200);
      expect((await deliver("development")).status).toBe(400);
    } finally {
      rmSync(join(cwd, ".env"), { force: true });
    }
  }, 30_000);

  it("loads the built app: without WEBHOOK_SECRET it is embargo, not Probot, that stops the start with one line", async () => {
    const [bin, ...args] = startCommand();
    const env = { PATH: `${join(cwd, "node_modules/.bin")}:${process.env.PATH}`, HOME: process.env.HOME, APP_ID: "1", PRIVATE_KEY: testPrivateKey(), EMBARGO_SECRET: "embargo-secret", PORT: String(await freePort()), HOST: "127.0.0.1" };
    const run = spawnSync(bin!, args, { cwd, env, encoding: "utf8", timeout: 15_000 });
    expect(run.status).toBe(1);
    expect(`${run.stdout}${run.stderr}`.trim()).toMatch(/^embargo refuses to start: WEBHOOK_SECRET is not set/);
  }, 30_000);
});
