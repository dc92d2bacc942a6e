#!/usr/bin/env node
import { run } from "probot";
import { patchSetupManifest } from "./ghes-manifest.js";

// `npm start`: `probot run ./lib/index.js`, with a setup page that registers a manifest GitHub
// Enterprise Server accepts when GHE_HOST is set (src/setup/ghes-manifest.ts).
await patchSetupManifest(process.env);
const [node = "node", script = "start.js", ...rest] = process.argv;
await run([node, script, ...(rest.length ? rest : ["./lib/index.js"])]);
