import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // nock patches globals: files must not share a process with each other's interceptors.
    pool: "forks",
    testTimeout: 20000,
  },
});
