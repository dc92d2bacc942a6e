#!/usr/bin/env node
import { existsSync } from "node:fs";
import { run } from "probot";
import { patchSetupManifest, setupNeedsGhesManifest } from "./ghes-manifest.js";

// `npm start`: `probot run ./lib/index.js`. The same .env Probot reads; variables already set win.
if (existsSync(".env")) process.loadEnvFile(".env");
if (setupNeedsGhesManifest(process.env)) await patchSetupManifest(process.env);
const [node = "node", script = "start.js", ...rest] = process.argv;
await run([node, script, ...(rest.length ? rest : ["./lib/index.js"])]);
