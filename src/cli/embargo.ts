#!/usr/bin/env node
import { existsSync } from "node:fs";
import { main } from "./main.js";

// The same .env `npm start` reads; variables already set win (Node does not override them).
if (existsSync(".env")) process.loadEnvFile(".env");

const code = await main(process.argv.slice(2), {
  env: process.env,
  out: (text) => console.log(text),
  err: (text) => console.error(text),
});
// With REDIS_URL, Probot's rate limiter keeps a Redis connection open that it never closes: end
// once the output is written rather than wait for an event loop that never empties.
process.exitCode = code;
process.stdout.write("", () => process.exit(code));
