import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { builtinModules } from "node:module";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ts from "typescript";
import { ensureBuilt } from "../helpers/built-app.js";
import { testPrivateKey } from "../helpers/github-api.js";
import { dockerIgnore, parseDockerfile, type Instruction } from "./dockerfile.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const stages = parseDockerfile(join(ROOT, "Dockerfile"));
const final = stages.at(-1)!;
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const of = (keyword: string, instructions: Instruction[] = final.instructions) => instructions.filter((i) => i.keyword === keyword);
const workdir = of("WORKDIR").at(-1)?.args ?? "/";

// The image runs what `npm run build` makes; build it here if nobody has yet.
beforeAll(ensureBuilt, 130_000);

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith(".js") ? [join(dir, e.name)] : []));
}

function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:") || builtinModules.includes(specifier.split("/")[0]!)) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

describe("the Dockerfile", () => {
  it("builds in a stage with the dev dependencies and ships a production install (npm ci --omit=dev)", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const froms = of("COPY").filter((c) => c.flags.from);
    const sourceOf = (path: string) => froms.find((c) => c.args.split(/\s+/)[0]!.endsWith(path));
    const nodeModules = sourceOf("/node_modules");
    const lib = sourceOf("/lib");
    expect(nodeModules, "node_modules comes from another stage").toBeDefined();
    expect(lib, "lib comes from the build stage").toBeDefined();
    const stage = (name: string) => stages.find((s) => s.name === name)!;
    expect(of("RUN", stage(nodeModules!.flags.from!).instructions).map((r) => r.args).join("\n")).toMatch(/npm ci [^\n]*--omit=dev/);
    const build = of("RUN", stage(lib!.flags.from!).instructions).map((r) => r.args);
    expect(build.some((r) => /^npm ci(?![^\n]*--omit=dev)/.test(r)), "the build stage installs dev dependencies").toBe(true);
    expect(build).toContain("npm run build");
    expect(of("RUN").filter((r) => /npm (ci|install)/.test(r.args))).toEqual([]);
  });

  it("runs as a user other than root and listens on every interface (Probot's default host is localhost)", () => {
    const user = of("USER").at(-1)?.args;
    expect(user).toBeDefined();
    expect(["root", "0", "0:0"]).not.toContain(user);
    expect(of("ENV").map((e) => e.args).join(" ")).toMatch(/\bHOST=0\.0\.0\.0\b/);
  });

  it("copies only files the build context has (none excluded by .dockerignore) and no secrets", () => {
    const ignored = dockerIgnore(join(ROOT, ".dockerignore"));
    const fromContext = stages.flatMap((s) => of("COPY", s.instructions)).filter((c) => !c.flags.from);
    for (const copy of fromContext) {
      for (const source of copy.args.split(/\s+/).slice(0, -1)) {
        expect(existsSync(join(ROOT, source)), `${source} exists`).toBe(true);
        expect(ignored(source), `${source} is not in .dockerignore`).toBe(false);
      }
    }
    for (const secret of [".env", "key.pem", "lib", "node_modules"]) expect(ignored(secret), `${secret} is excluded`).toBe(true);
  });

  it("starts the built app with nothing from devDependencies: every package lib/ imports is a production dependency", () => {
    const missing: string[] = [];
    for (const file of jsFiles(join(ROOT, "lib"))) {
      // TypeScript's own scanner: static imports, re-exports and import() calls.
      for (const ref of ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles) {
        const name = packageOf(ref.fileName);
        if (name && !(name in pkg.dependencies)) missing.push(`${relative(ROOT, file)} imports ${name}${name in pkg.devDependencies ? " (a devDependency)" : ""}`);
      }
    }
    expect(missing).toEqual([]);
    expect(Object.keys(pkg.dependencies)).toContain("probot");
  });
});

describe("the image's start command and health check", () => {
  let app: ChildProcess | undefined;
  let port = 0;
  let dir = "";

  beforeAll(async () => {
    port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port: p } = probe.address() as { port: number };
        probe.close(() => resolve(p));
      });
    });
    // The image's layout: the final stage's COPYs, from the build context and the built lib/.
    dir = mkdtempSync(join(tmpdir(), "embargo-image-"));
    for (const copy of of("COPY")) {
      const parts = copy.args.split(/\s+/);
      const dest = parts.at(-1)!;
      for (const source of parts.slice(0, -1)) {
        const from = copy.flags.from ? join(ROOT, relative(workdir, source)) : join(ROOT, source);
        const to = dest.endsWith("/") ? join(dir, dest, source.split("/").at(-1)!) : join(dir, dest);
        if (source.endsWith("node_modules")) symlinkSync(from, to);
        else cpSync(from, to, { recursive: true });
      }
    }
    writeFileSync(join(dir, "key.pem"), testPrivateKey());
  });

  afterAll(() => {
    if (app?.pid && app.exitCode === null && app.signalCode === null) process.kill(app.pid);
  });

  it("CMD serves the app: Probot answers /ping, and the HEALTHCHECK probes exactly that", async () => {
    const cmd = final.instructions.find((i) => i.keyword === "CMD")!.exec!;
    expect(cmd[0]).toBe("node");
    expect(existsSync(join(dir, cmd[1]!)), `${cmd[1]} is in the image`).toBe(true);
    expect(existsSync(join(dir, cmd.at(-1)!)), `${cmd.at(-1)} is in the image`).toBe(true);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      APP_ID: "1",
      PRIVATE_KEY_PATH: join(dir, "key.pem"),
      WEBHOOK_SECRET: "image-test",
      LOG_LEVEL: "error" as const,
    };
    const child = spawn(cmd[0]!, cmd.slice(1), { cwd: dir, env, stdio: ["ignore", "ignore", "pipe"] });
    app = child;
    let stderr = "";
    child.stderr?.on("data", (c) => (stderr += String(c)));

    const health = final.instructions.find((i) => i.keyword === "HEALTHCHECK")!;
    const probe = JSON.parse(health.args.replace(/^(--\S+\s+)*CMD\s+/, "")) as string[];
    expect(probe.join(" ")).toContain("/ping");
    const healthy = () =>
      new Promise<boolean>((resolve) => execFile(probe[0]!, probe.slice(1), { env: { PATH: process.env.PATH, PORT: String(port) }, timeout: 5000 }, (e) => resolve(!e)));

    let up = false;
    for (let i = 0; i < 60 && !up && child.exitCode === null; i++) {
      up = await healthy();
      if (!up) await new Promise((r) => setTimeout(r, 250));
    }
    expect(up, `the app did not come up; its stderr:\n${stderr}`).toBe(true);
    const pong = await fetch(`http://127.0.0.1:${port}/ping`);
    expect(await pong.text()).toBe("PONG");

    // The built-in templates are where the built app looks for them (lib/render → ../../templates).
    const names = readdirSync(join(ROOT, "templates")).map((f) => f.replace(/\.hbs$/, ""));
    const read = `import("./lib/render/templates.js").then((m) => { for (const n of ${JSON.stringify(names)}) m.builtinTemplate(n); })`;
    expect(() => execFileSync("node", ["--input-type=module", "-e", read], { cwd: dir, stdio: "pipe" })).not.toThrow();

    process.kill(child.pid!);
    await new Promise((r) => child.once("exit", r));
    expect(await healthy(), "the health check fails once the app is gone").toBe(false);
  }, 30_000);
});
