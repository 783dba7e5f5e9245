#!/usr/bin/env node
// Thin launcher: the CLI itself is bundled to dist/cli.js by sdk/build.mjs (run by `npm install`).
import "../dist/cli.js";
