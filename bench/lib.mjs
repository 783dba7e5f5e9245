// Shared benchmark helpers: a private local server, an API key, timing and percentiles.
import fs from "node:fs";
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

/** One request; `{json, headers}`, or a throw on any non-2xx answer. */
export async function request(base, key, method, p, body) {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${text.slice(0, 300)}`);
  return { json: text ? JSON.parse(text) : null, headers: res.headers };
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
