import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./manual.js";

function newestMtime(dir: string): number {
  return Math.max(...readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => statSync(join(e.parentPath, e.name)).mtimeMs));
}

const stale = () => {
  try {
    return statSync(join(ROOT, "lib/index.js")).mtimeMs < newestMtime(join(ROOT, "src"));
  } catch {
    return true; // no lib/ yet
  }
};

/**
 * Builds lib/ as `npm start` does when it is missing or older than src/, for the tests that run the
 * built app. One build at a time across test files (they run in parallel): a second tsc writing the
 * same files would let a test load a file half written.
 */
export async function ensureBuilt(): Promise<void> {
  if (!stale()) return;
  const lock = join(ROOT, "lib.building");
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (i > 1200) throw new Error(`${lock} is held for more than two minutes: remove it if no build runs`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    if (stale() && spawnSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: ROOT, stdio: "inherit" }).status !== 0) throw new Error("npm run build failed");
  } finally {
    rmdirSync(lock);
  }
}
