#!/usr/bin/env node
import { existsSync } from "node:fs";
import { main } from "./main.js";

// The same .env `npm start` reads; variables already set win (Node does not override them).
if (existsSync(".env")) process.loadEnvFile(".env");

process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  out: (text) => console.log(text),
  err: (text) => console.error(text),
});
