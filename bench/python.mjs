// bench:python: the Python client's figures (bench/python_sdk.py: log() cost, end-to-end points/s into a
// private local server) beside the TypeScript SDK's end-to-end figure from bench:sdk, same workload
// (8 runs × 25,000 entries × 10 metrics). Last line: one JSON object. BENCH_SCALE=0.1 for a quick run.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { log, round, startServer } from "./lib.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, "..");
const venv = path.join(root, ".cache/python-venv/bin/python");
// Standard library only: the checkout's source is importable as it is.
const python = process.env.PYTHON ?? (fs.existsSync(venv) ? venv : "python3");

function lastJson(r, what) {
  if (r.status !== 0) throw new Error(`${what} failed with exit code ${r.status}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

const server = await startServer();
let py;
try {
  const r = spawnSync(python, [path.join(here, "python_sdk.py")], {
    env: { ...process.env, BENCH_URL: server.url, BENCH_KEY: server.key, PYTHONPATH: path.join(root, "sdk/python/src") },
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  py = lastJson(r, "python_sdk.py");
} finally {
  await server.close();
}
log("TypeScript SDK, same workload (bench:sdk):");
const ts = lastJson(spawnSync(process.execPath, [path.join(here, "sdk.mjs")], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" }), "bench:sdk");
console.log(
  JSON.stringify({
    python_log_call_us: py.log_call_us,
    python_sdk_cpu_us_per_entry: py.sdk_cpu_us_per_entry,
    python_log_call_vs_goal_5us: round(py.log_call_us / 5, 3),
    python_points_per_s: py.points_per_s,
    ts_points_per_s: ts.sdk_points_per_s,
    python_vs_ts_points: round(py.points_per_s / ts.sdk_points_per_s, 3),
    ts_log_call_us: ts.log_call_us,
  }),
);
