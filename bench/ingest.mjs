// bench:ingest: metric points/s through HTTP → Worker → local D1 for 8 concurrent runs
// (10 metrics per entry, 100-entry batches), against the raw SQLite insert rate of the same rows
// (better-sqlite3, same table and indexes, one transaction per batch) in the same process run;
// then a downsampled read of a 1M-point metric against a 10k-point one, and all metrics of 10 runs.
// Then ingest into a project with BENCH_RULES (default 10; 0 skips) alert rules against one with none.
// Last line: one JSON object. Sizes: BENCH_SCALE=0.1 for a quick run.
import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { call, log, round, startServer, timeMedian } from "./lib.mjs";
import { measureRules } from "./rules-pass.mjs";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RULES = Number(process.env.BENCH_RULES ?? 10);
const RUNS = 8;
const BATCH = 100;
const METRICS = 10;
const BATCHES_PER_RUN = Math.max(5, Math.round(60 * SCALE));
const LONG = Math.round(1_000_000 * SCALE);
const SHORT = 10_000;
const WIDE_RUNS = 10;
const WIDE_STEPS = Math.round(100_000 * SCALE);

const metricNames = Array.from({ length: METRICS }, (_, j) => `train/m${j}`);
function makeBatch(runIdx, batchIdx) {
  return Array.from({ length: BATCH }, (_, k) => {
    const step = batchIdx * BATCH + k;
    const metrics = {};
    for (let j = 0; j < METRICS; j++) metrics[metricNames[j]] = Math.sin(step / 100 + j) * Math.random() + runIdx;
    return { step, log_id: `${runIdx}-${step}-${Math.random().toString(36).slice(2)}`, metrics };
  });
}

// The same rows for both contenders.
const batches = Array.from({ length: RUNS }, (_, r) => Array.from({ length: BATCHES_PER_RUN }, (_, b) => makeBatch(r, b)));
const totalPoints = RUNS * BATCHES_PER_RUN * BATCH * METRICS;

function rawSqlite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trackflare-raw-"));
  const db = new Database(path.join(dir, "raw.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const schema = fs.readFileSync(new URL("../migrations/0000_init.sql", import.meta.url), "utf8");
  for (const stmt of schema.split("--> statement-breakpoint")) if (stmt.trim()) db.exec(stmt);
  const insert = db.prepare(`INSERT OR IGNORE INTO metric_logs (run_id, log_id, step, ts, metrics) VALUES (?, ?, ?, ?, ?)`);
  const t = performance.now();
  for (let b = 0; b < BATCHES_PER_RUN; b++) {
    for (let r = 0; r < RUNS; r++) {
      const ts = new Date().toISOString();
      db.transaction(() => {
        for (const e of batches[r][b]) insert.run(`run${r}`, e.log_id, e.step, ts, JSON.stringify(e.metrics));
      })();
    }
  }
  const seconds = (performance.now() - t) / 1000;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return totalPoints / seconds;
}

/** 8 runs sending their batches concurrently (each run one request at a time); `group` merges that many batches per request. */
async function throughStack(server, project, group = 1) {
  const runIds = [];
  for (let r = 0; r < RUNS; r++) runIds.push((await call(server.url, server.key, "POST", `/v1/projects/${project}/runs`, { name: `ingest-${r}` })).id);
  const t = performance.now();
  await Promise.all(
    runIds.map(async (id, r) => {
      for (let b = 0; b < BATCHES_PER_RUN; b += group) {
        const logs = batches[r].slice(b, b + group).flat();
        await call(server.url, server.key, "POST", `/v1/projects/${project}/runs/${id}/logs`, { logs });
      }
    }),
  );
  return totalPoints / ((performance.now() - t) / 1000);
}

async function seedSeries(server, project, name, steps, metrics) {
  const run = await call(server.url, server.key, "POST", `/v1/projects/${project}/runs`, { name });
  const size = Math.max(1, Math.floor(5000 / Math.max(1, metrics.length / 2)));
  const inflight = [];
  for (let start = 0; start < steps; start += size) {
    const logs = [];
    for (let s = start; s < Math.min(steps, start + size); s++) {
      const m = {};
      for (const k of metrics) m[k] = Math.sin(s / 1000) + Math.random() * 0.1;
      logs.push({ step: s, metrics: m, log_id: `${name}-${s}` });
    }
    inflight.push(call(server.url, server.key, "POST", `/v1/projects/${project}/runs/${run.id}/logs`, { logs }));
    if (inflight.length >= 2) await inflight.shift();
  }
  await Promise.all(inflight);
  return run.id;
}

async function main() {
  log(`raw SQLite: ${RUNS} runs × ${BATCHES_PER_RUN} batches × ${BATCH} entries × ${METRICS} metrics = ${totalPoints} points`);
  const raw = rawSqlite();
  log(`raw SQLite: ${Math.round(raw)} points/s`);
  const server = await startServer();
  try {
    const project = `bench-${Date.now()}`;
    const stack = await throughStack(server, project);
    log(`HTTP → Worker → D1: ${Math.round(stack)} points/s (ratio ${round(stack / raw, 3)})`);
    // The same rows in 1,000-entry requests: what the stack does once per-request costs are amortised.
    const stack1000 = await throughStack(server, `${project}-1000`, 10);
    log(`  in 1,000-entry batches: ${Math.round(stack1000)} points/s (ratio ${round(stack1000 / raw, 3)})`);
    if (RULES > 0) log(`ingest with ${RULES} alert rules against none…`);
    const rules = RULES > 0 ? await measureRules(server, batches, RULES) : {};
    if (RULES > 0) log(`  ratio with/without rules: ${rules.rules_ratio}`);

    log(`seeding a ${LONG}-point series and a ${SHORT}-point one…`);
    const t0 = performance.now();
    const longId = await seedSeries(server, project, "long", LONG, ["loss"]);
    log(`  seeded ${LONG} entries in ${round((performance.now() - t0) / 1000, 1)} s`);
    const shortId = await seedSeries(server, project, "short", SHORT, ["loss"]);
    const read = (id) => () => call(server.url, server.key, "GET", `/v1/projects/${project}/runs/${id}/metrics/loss?max_points=2000`);
    const readLong = await timeMedian(read(longId));
    const readShort = await timeMedian(read(shortId));
    const longPoints = (await read(longId)()).values.length;
    log(`downsampled read to ≤2000 points: 1M → ${round(readLong)} ms (${longPoints} points), 10k → ${round(readShort)} ms`);

    log(`seeding ${WIDE_RUNS} runs × ${WIDE_STEPS} steps × 10 metrics…`);
    const wideIds = [];
    for (let r = 0; r < WIDE_RUNS; r++) wideIds.push(await seedSeries(server, project, `wide-${r}`, WIDE_STEPS, metricNames));
    const readWide = await timeMedian(() => call(server.url, server.key, "GET", `/v1/projects/${project}/series?runs=${wideIds.join(",")}&max_points=2000`), 3);
    log(`all 10 metrics of ${WIDE_RUNS} runs (${WIDE_STEPS} steps each) downsampled: ${round(readWide)} ms`);

    console.log(
      JSON.stringify({
        points_per_s: Math.round(stack),
        raw_points_per_s: Math.round(raw),
        ratio: round(stack / raw, 3),
        points_per_s_1000_batches: Math.round(stack1000),
        ratio_1000_batches: round(stack1000 / raw, 3),
        read_1m_ms: round(readLong),
        read_10k_ms: round(readShort),
        read_10_runs_all_metrics_ms: round(readWide),
        ...rules,
      }),
    );
  } finally {
    await server.close();
  }
}

await main();
