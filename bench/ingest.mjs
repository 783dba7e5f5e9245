// bench:ingest: metric points/s through HTTP → Worker → local D1 for 8 concurrent runs
// (10 metrics per entry, 100-entry batches), through REST and through Trackio's /api/bulk_log
// (against Trackio 0.36's own server: 138,761 points/s on this machine for the same shape), with
// a write key, against the raw SQLite insert rate of the same rows (better-sqlite3, same table and
// indexes, one transaction per batch) in the same process run, also in 1,000-entry batches;
// then a downsampled read of a 1M-point metric against a 10k-point one, and all metrics of 10 runs.
// Then ingest into a project with BENCH_RULES (default 10; 0 skips) alert rules against one with none.
// Each ingest pass runs BENCH_ROUNDS times (default 3), each right after its own raw SQLite pass:
// this machine's speed drifts by a fifth within a minute, so a ratio is taken between passes made
// moments apart, and the median of those ratios is reported, with the range.
// Last line: one JSON object. Sizes: BENCH_SCALE=0.1 for a quick run; BENCH_READS=0 (with
// BENCH_RULES=0) measures the ingest passes alone, without the series seeding and the reads.
import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ENGINE, INGEST_METRICS, bulkLog, call, ingestBatch, log, median, round, startServer, timeMedian, trackioEntries, writeKey } from "./lib.mjs";
import { measureRules } from "./rules-pass.mjs";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RULES = Number(process.env.BENCH_RULES ?? 10);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const READS = process.env.BENCH_READS !== "0";
const RUNS = 8;
const BATCH = 100;
const METRICS = INGEST_METRICS.length;
const BATCHES_PER_RUN = Math.max(5, Math.round(60 * SCALE));
const LONG = Math.round(1_000_000 * SCALE);
const SHORT = 10_000;
/** Trackio 0.36's own server, same client shape, this machine (the issue's measurement). */
const TRACKIO_POINTS_PER_S = 138_761;
const WIDE_RUNS = 10;
const WIDE_STEPS = Math.round(100_000 * SCALE);

const makeBatch = (runIdx, batchIdx) => ingestBatch(runIdx, batchIdx * BATCH, BATCH);

// The same rows for both contenders.
const batches = Array.from({ length: RUNS }, (_, r) => Array.from({ length: BATCHES_PER_RUN }, (_, b) => makeBatch(r, b)));
const totalPoints = RUNS * BATCHES_PER_RUN * BATCH * METRICS;

/** The raw rate, best of three repetitions: one repetition is ~50 ms, short enough for a hiccup to halve it. */
const rawSqlite = () => Math.max(rawSqliteOnce(), rawSqliteOnce(), rawSqliteOnce());

function rawSqliteOnce() {
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
async function throughStack(server, key, project, group = 1) {
  const runIds = [];
  for (let r = 0; r < RUNS; r++) runIds.push((await call(server.url, key, "POST", `/v1/projects/${project}/runs`, { name: `ingest-${r}` })).id);
  const t = performance.now();
  await Promise.all(
    runIds.map(async (id, r) => {
      for (let b = 0; b < BATCHES_PER_RUN; b += group) {
        const logs = batches[r].slice(b, b + group).flat();
        await call(server.url, key, "POST", `/v1/projects/${project}/runs/${id}/logs`, { logs });
      }
    }),
  );
  return totalPoints / ((performance.now() - t) / 1000);
}

/**
 * The same rows as the `trackio` client sends them to `/api/bulk_log`: each run's own uuid hex
 * run_id, its config on the first entry, every entry with project, run, step and log_id; runs are
 * created by their first batch, as Trackio's are.
 */
async function throughTrackio(server, key, project) {
  const t = performance.now();
  await Promise.all(
    batches.map(async (runBatches, r) => {
      const runId = crypto.randomUUID().replaceAll("-", "");
      for (let b = 0; b < BATCHES_PER_RUN; b++) {
        await bulkLog(server.url, key, trackioEntries(runBatches[b], project, `trackio-${r}`, runId, b === 0 ? { lr: 0.01, run: r } : null));
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

/** `ROUNDS` rounds of a raw SQLite pass then `pass(round)`: each rate, and the ratio of each pair. */
async function paired(label, pass) {
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) {
    const raw = rawSqlite();
    const rate = await pass(i);
    rounds.push({ raw, rate, ratio: rate / raw });
  }
  const pick = (k) => rounds.map((r) => r[k]);
  const out = { rate: median(pick("rate")), raw: median(pick("raw")), ratio: median(pick("ratio")), ratios: pick("ratio").map((x) => round(x, 3)) };
  log(`${label}: ${Math.round(out.rate)} points/s (median of ${ROUNDS}; raw SQLite ${Math.round(out.raw)}), ratio ${round(out.ratio, 3)} (${out.ratios.join(", ")})`);
  return out;
}

async function main() {
  log(`raw SQLite: ${RUNS} runs × ${BATCHES_PER_RUN} batches × ${BATCH} entries × ${METRICS} metrics = ${totalPoints} points`);
  const server = await startServer();
  try {
    const key = await writeKey(server);
    const project = `bench-${Date.now()}`;
    const rest = await paired(`HTTP → Worker → D1 (${ENGINE})`, (i) => throughStack(server, key, `${project}-${i}`));
    const trackio = await paired("  Trackio /api/bulk_log", (i) => throughTrackio(server, key, `${project}-trackio-${i}`));
    log(`  (×${round(trackio.rate / TRACKIO_POINTS_PER_S)} Trackio's server)`);
    // The same rows in 1,000-entry requests: what the stack does once per-request costs are amortised.
    const rest1000 = await paired("  in 1,000-entry batches", (i) => throughStack(server, key, `${project}-1000-${i}`, 10));
    const ingest = {
      engine: ENGINE,
      points_per_s: Math.round(rest.rate),
      raw_points_per_s: Math.round(rest.raw),
      ratio: round(rest.ratio, 3),
      ratios: rest.ratios,
      trackio_bulk_log_points_per_s: Math.round(trackio.rate),
      trackio_bulk_log_over_trackio_server: round(trackio.rate / TRACKIO_POINTS_PER_S),
      trackio_bulk_log_ratio: round(trackio.ratio, 3),
      points_per_s_1000_batches: Math.round(rest1000.rate),
      ratio_1000_batches: round(rest1000.ratio, 3),
      ratios_1000_batches: rest1000.ratios,
    };
    if (RULES > 0) log(`ingest with ${RULES} alert rules against none…`);
    const rules = RULES > 0 ? await measureRules(server, batches, RULES) : {};
    if (RULES > 0) log(`  ratio with/without rules: ${rules.rules_ratio}`);

    if (!READS) {
      console.log(JSON.stringify({ ...ingest, ...rules }));
      return;
    }
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
    for (let r = 0; r < WIDE_RUNS; r++) wideIds.push(await seedSeries(server, project, `wide-${r}`, WIDE_STEPS, INGEST_METRICS));
    const readWide = await timeMedian(() => call(server.url, server.key, "GET", `/v1/projects/${project}/series?runs=${wideIds.join(",")}&max_points=2000`), 3);
    log(`all 10 metrics of ${WIDE_RUNS} runs (${WIDE_STEPS} steps each) downsampled: ${round(readWide)} ms`);

    console.log(JSON.stringify({ ...ingest, read_1m_ms: round(readLong), read_10k_ms: round(readShort), read_10_runs_all_metrics_ms: round(readWide), ...rules }));
  } finally {
    await server.close();
  }
}

await main();
