import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * `npm run bench`: API calls and wall time per event. Kept apart from `npm test` (whose config
 * includes only test/**): it reports numbers and asserts nothing about speed.
 */
export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    include: ["bench/**/*.bench.ts"],
    environment: "node",
    // nock patches globals: one process per file, as in the test config.
    pool: "forks",
    // RSS is read after a GC (bench/measure-throughput.ts).
    execArgv: ["--expose-gc"],
    testTimeout: 300_000,
    hookTimeout: 60_000,
  },
});
