// Shared benchmark helpers: a private local server, an API key, timing and percentiles.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { startDevServer } from "../src/local/dev-server.mjs";

/** The engine benchmarks run: `npm start`'s (Miniflare directly) unless BENCH_ENGINE=wrangler. */
export const ENGINE = process.env.BENCH_ENGINE === "wrangler" ? "wrangler" : "miniflare";

/** Starts a private local server (as `npm start` runs it) with fresh state; returns {url, key, close}. */
export async function startServer(vars = {}, opts = {}) {
  const persistTo = fs.mkdtempSync(path.join(os.tmpdir(), "trackflare-bench-"));
  const adminToken = `tf_admin_bench_${Date.now()}`;
  const server = await startDevServer({ persistTo, adminToken, quiet: true, engine: ENGINE, vars: { ALLOW_LOOPBACK_WEBHOOKS: "true", ...vars }, ...opts });
  return {
    url: server.url,
    key: adminToken,
    persistTo,
    async close() {
      await server.close();
      fs.rmSync(persistTo, { recursive: true, force: true });
    },
  };
}

// The benchmarks' client is node:http on kept-alive sockets, not fetch: on this 2-core machine the
// client shares the cores with the server, and fetch (undici) spent ~1.4 ms of CPU a 100-entry
// batch where node:http spends ~0.5 ms, time the server under test did not get.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One HTTP exchange: `{status, text, headers}` (headers as `get(name)`). */
export function send(url, method, headers, body) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const payload = body === undefined ? undefined : Buffer.from(body);
    const req = http.request(
      { host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method, agent, headers: payload ? { ...headers, "content-length": payload.length } : headers },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString("utf8"), headers: { get: (name) => res.headers[name.toLowerCase()] ?? null } }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** One request; `{json, headers}`, or a throw on any non-2xx answer. */
export async function request(base, key, method, p, body) {
  const res = await send(`${base}${p}`, method, { authorization: `Bearer ${key}`, "content-type": "application/json" }, body === undefined ? undefined : JSON.stringify(body));
  if (res.status < 200 || res.status > 299) throw new Error(`${method} ${p} → ${res.status} ${res.text.slice(0, 300)}`);
  return { json: res.text ? JSON.parse(res.text) : null, headers: res.headers };
}

export const call = async (base, key, method, p, body) => (await request(base, key, method, p, body)).json;

export const percentile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
export const median = (xs) => percentile(xs, 0.5);
export const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Median of `n` timed calls after one warm-up. */
export async function timeMedian(fn, n = 5) {
  await fn();
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

export const log = (...args) => console.error(...args);

/** A write key for the benchmarks' clients: what SDK and Trackio users send (the admin token skips the key lookup). */
export async function writeKey(server) {
  return (await call(server.url, server.key, "POST", "/v1/keys", { name: "bench-writer", scope: "write" })).key;
}

/** Bytes of the local D1 database files (SQLite file and its WAL) under a server's state directory. */
export function d1Bytes(persistTo) {
  const dir = path.join(persistTo, "v3/d1");
  let total = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.sqlite(-wal)?$/.test(e.name)) total += fs.statSync(p).size;
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return total;
}

/** Metric names of the ingest benchmarks' entries: 10 a run, `train/m0…m9`. */
export const INGEST_METRICS = Array.from({ length: 10 }, (_, j) => `train/m${j}`);

/** `size` entries of run `runIdx` from step `first`, as bench:ingest sends them (each with its log_id). */
export function ingestBatch(runIdx, first, size) {
  return Array.from({ length: size }, (_, k) => {
    const step = first + k;
    const metrics = {};
    for (let j = 0; j < INGEST_METRICS.length; j++) metrics[INGEST_METRICS[j]] = Math.sin(step / 100 + j) * Math.random() + runIdx;
    return { step, log_id: `${runIdx}-${step}-${Math.random().toString(36).slice(2)}`, metrics };
  });
}

/** The same entries as the `trackio` client sends them to `/api/bulk_log`, its config (if any) on the first. */
export const trackioEntries = (logs, project, run, runId, config = null) =>
  logs.map((e, k) => ({ project, run, run_id: runId, metrics: e.metrics, step: e.step, config: k === 0 ? config : null, log_id: e.log_id }));

/** One `/api/bulk_log` call with a write key; throws on any non-2xx answer. */
export async function bulkLog(base, key, logs) {
  const res = await send(`${base}/api/bulk_log`, "POST", { "x-trackio-write-token": key, "content-type": "application/json" }, JSON.stringify({ args: [], kwargs: { logs } }));
  if (res.status < 200 || res.status > 299) throw new Error(`bulk_log → ${res.status} ${res.text}`);
}
