#!/usr/bin/env node
// `npm run fuzz [-- --seconds 180 --seed 42]`: the hostile suite as a soak (test/fuzz/soak.test.ts)
// in workerd with real local D1, Durable Objects and Queues, for a time budget and a seed; prints
// the counts (requests, statuses, findings) as one JSON object on its last line.
import { spawn } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "120" }, seed: { type: "string" } } });
const seconds = Number(values.seconds);
if (!Number.isFinite(seconds) || seconds <= 0) throw new Error("--seconds must be a positive number");
const seed = values.seed ?? String(Date.now() % 2 ** 31);
if (!/^\d+$/.test(seed)) throw new Error("--seed must be a non-negative integer");

const root = path.join(import.meta.dirname, "..", "..");
const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
// --silent=false: the suite hides passing tests' output, and the soak's summary is such output.
const child = spawn(process.execPath, [vitest, "run", "--config", "test/vitest.config.ts", "--project", "fuzz", "--silent=false"], {
  cwd: root,
  env: { ...process.env, TRACKFLARE_FUZZ_SECONDS: String(seconds), TRACKFLARE_FUZZ_SEED: seed, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  stdio: ["ignore", "pipe", "inherit"],
});
let summary = null;
let buffered = "";
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  buffered += chunk;
  const lines = buffered.split("\n");
  buffered = lines.pop() ?? "";
  for (const line of lines) {
    const at = line.indexOf("FUZZ SUMMARY ");
    if (at >= 0) summary = JSON.parse(line.slice(at + "FUZZ SUMMARY ".length).replace(/\x1b\[[0-9;]*m/g, ""));
  }
});
child.on("exit", (code) => {
  console.log(JSON.stringify(summary ?? { seed, error: "the soak ended without a summary" }));
  process.exit(code ?? 1);
});
