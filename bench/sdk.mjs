// bench:sdk: the SDK as a client. (1) The cost of one `log()` call, amortised over 1M calls with
// 3 metrics each: the time spent inside log() only (the training loop's cost), and the SDK's
// whole CPU per entry including batching and JSON, against a fetch that accepts at once, so the
// server's time is not counted. (2) End-to-end points/s with the SDK as the client: 8 runs logging
// 10 metrics per entry into a private local server, from the first log() until finish() resolves
// and every entry is stored. Last line: one JSON object. Sizes: BENCH_SCALE=0.1 for a quick run.
import { Run } from "../sdk/dist/index.js";
import { call, log, round, startServer } from "./lib.mjs";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const CALLS = Math.round(1_000_000 * SCALE);
const CHUNK = 10_000;
const E2E_RUNS = 8;
const E2E_ENTRIES = Math.round(25_000 * SCALE);
const E2E_METRICS = 10;
const yieldToSender = () => new Promise((r) => setImmediate(r));

/** A server that accepts every batch instantly: only the SDK's own work is measured. */
const acceptAll = async (input, init) => {
  const path = new URL(String(input)).pathname;
  if (path.endsWith("/runs")) {
    const body = JSON.parse(init.body);
    return Response.json({ id: body.id, project: "bench", name: "bench", group: null, config: {}, status: "running", last_step: null, log_count: 0, resumed: false }, { status: 201 });
  }
  return Response.json({ accepted: 0, duplicates: 0, last_step: null });
};

async function logCallCost() {
  const run = await Run.start({ project: "bench", url: "http://bench.invalid", token: "x", fetch: acceptAll, quiet: true, exitHook: false });
  // Warm-up: let V8 optimise log() before timing it.
  for (let i = 0; i < 50_000; i++) run.log({ loss: 1 / (i + 1), acc: i * 1e-6, lr: 0.001 });
  await run.flush();
  let inLog = 0;
  const wall = performance.now();
  for (let done = 0; done < CALLS; done += CHUNK) {
    const t = performance.now();
    for (let i = done; i < done + CHUNK; i++) run.log({ loss: 1 / (i + 1), acc: i * 1e-6, lr: 0.001 });
    inLog += performance.now() - t;
    await yieldToSender();
  }
  await run.flush();
  const total = performance.now() - wall;
  await run.finish();
  const stats = run.stats();
  if (stats.buffered_logs !== 0) throw new Error(`entries left in the buffer: ${JSON.stringify(stats)}`);
  return { log_call_us: (inLog * 1000) / CALLS, sdk_cpu_us_per_entry: (total * 1000) / CALLS };
}

async function endToEnd(server) {
  const project = "bench-sdk";
  const runs = await Promise.all(
    Array.from({ length: E2E_RUNS }, (_, r) => Run.start({ project, name: `run-${r}`, url: server.url, token: server.key, quiet: true, exitHook: false })),
  );
  const names = Array.from({ length: E2E_METRICS }, (_, j) => `train/m${j}`);
  const t = performance.now();
  for (let i = 0; i < E2E_ENTRIES; i++) {
    for (let r = 0; r < E2E_RUNS; r++) {
      const m = {};
      for (let j = 0; j < E2E_METRICS; j++) m[names[j]] = Math.sin(i / 100 + j) + r;
      runs[r].log(m);
    }
    if (i % 250 === 249) await yieldToSender();
  }
  await Promise.all(runs.map((run) => run.finish()));
  const seconds = (performance.now() - t) / 1000;
  for (const run of runs) {
    const summary = await call(server.url, server.key, "GET", `/v1/projects/${project}/runs/${run.id}`);
    if (summary.log_count !== E2E_ENTRIES) throw new Error(`run ${run.name}: ${summary.log_count} of ${E2E_ENTRIES} entries stored`);
  }
  const points = E2E_RUNS * E2E_ENTRIES * E2E_METRICS;
  return { sdk_points_per_s: points / seconds, sdk_entries_per_s: (E2E_RUNS * E2E_ENTRIES) / seconds, seconds, points };
}

const cost = await logCallCost();
log(`log(): ${round(cost.log_call_us, 3)} µs per call inside log(), ${round(cost.sdk_cpu_us_per_entry, 3)} µs per entry with batching and JSON (${CALLS} calls)`);
const server = await startServer();
let e2e;
try {
  e2e = await endToEnd(server);
} finally {
  await server.close();
}
log(`end to end: ${e2e.points} points (${E2E_RUNS} runs × ${E2E_ENTRIES} entries × ${E2E_METRICS} metrics) stored in ${round(e2e.seconds)} s`);
console.log(
  JSON.stringify({
    log_call_us: round(cost.log_call_us, 3),
    sdk_cpu_us_per_entry: round(cost.sdk_cpu_us_per_entry, 3),
    sdk_points_per_s: Math.round(e2e.sdk_points_per_s),
    sdk_entries_per_s: Math.round(e2e.sdk_entries_per_s),
  }),
);
