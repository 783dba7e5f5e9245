// bench:round-trips: the D1 round trips and Durable Object calls each kind of request makes, as
// the Worker's counting bindings report them (COUNT_ROUND_TRIPS, src/round-trips/count.ts). On
// Cloudflare each is a network round trip from an edge far from D1 or the project's object, so
// these counts are the production cost whatever this machine's speed. Requests go one at a time,
// with an API key (not the admin token), first cold (a fresh isolate) and then warm.
// Then what a million points cost in D1: rows written (D1's own count) and bytes stored (the local
// database file's growth) for 20,000 SDK-shaped entries of 10 metrics, in 100-entry batches.
// Last line: one JSON object {kind: {cold: {d1, do, do_d1, rows_read, rows_written}, warm: {…}}, per_million_points: {…}}.
import { call, d1Bytes, log, request, startServer } from "./lib.mjs";

const HEADER = "x-trackflare-round-trips";

function parseCounts(h) {
  if (!h) throw new Error(`no ${HEADER} header: is COUNT_ROUND_TRIPS on?`);
  return Object.fromEntries(h.split(",").map((kv) => kv.trim().split("=")).map(([k, v]) => [k, Number(v)]));
}

const counted = async (base, key, method, p, body) => parseCounts((await request(base, key, method, p, body)).headers.get(HEADER));

const entries = (from, n, value = (s) => Math.sin(s)) =>
  Array.from({ length: n }, (_, k) => {
    const step = from + k;
    const metrics = {};
    for (let j = 0; j < 10; j++) metrics[`train/m${j}`] = value(step + j);
    return { step, metrics, log_id: `e-${step}-${Math.random().toString(36).slice(2)}` };
  });

const server = await startServer({ COUNT_ROUND_TRIPS: "true" });
try {
  const admin = (m, p, b) => call(server.url, server.key, m, p, b);
  const { key } = await admin("POST", "/v1/keys", { name: "bench", scope: "write" });
  const plain = (await admin("POST", "/v1/projects/rt-plain/runs", { name: "r" })).id;
  const ruled = (await admin("POST", "/v1/projects/rt-rules/runs", { name: "r" })).id;
  await admin("POST", "/v1/projects/rt-rules/rules", { metric: "train/*", condition: { type: "gt", value: 1e9 }, title: "{metric} too high" });
  await admin("POST", "/v1/projects/rt-plain/alerts", { title: "seed", run: "r" });
  const cursor = (await admin("GET", "/v1/projects/rt-plain/alerts?limit=1")).next_cursor;
  const trackioRunId = crypto.randomUUID().replaceAll("-", "");
  let step = 0;
  let trackioStep = 0;
  const trackioBatch = () => ({
    kwargs: { logs: entries(trackioStep, 100).map((e) => ({ project: "rt-trackio", run: "tr", run_id: trackioRunId, metrics: e.metrics, step: (trackioStep++, e.step), config: null, log_id: e.log_id })) },
  });
  const kinds = {
    health: () => counted(server.url, key, "GET", "/health"),
    ingest_no_rules: () => counted(server.url, key, "POST", `/v1/projects/rt-plain/runs/${plain}/logs`, { logs: entries((step += 100), 100) }),
    ingest_non_finite: () => counted(server.url, key, "POST", `/v1/projects/rt-plain/runs/${plain}/logs`, { logs: entries((step += 100), 100, (s) => (s % 50 ? s : "NaN")) }),
    ingest_with_rules: () => counted(server.url, key, "POST", `/v1/projects/rt-rules/runs/${ruled}/logs`, { logs: entries((step += 100), 100) }),
    trackio_bulk_log: () => counted(server.url, key, "POST", "/api/bulk_log", trackioBatch()),
    alert_create: () => counted(server.url, key, "POST", "/v1/projects/rt-plain/alerts", { title: "x", run: "r" }),
    poll_cursor: () => counted(server.url, key, "GET", `/v1/projects/rt-plain/alerts?cursor=${cursor + 1_000_000}`),
    poll_since: () => counted(server.url, key, "GET", `/v1/projects/rt-plain/alerts?since=${encodeURIComponent(new Date(Date.now() + 3600e3).toISOString())}`),
    trackio_get_alerts_since: () =>
      counted(server.url, key, "POST", "/api/get_alerts", { kwargs: { project: "rt-plain", since: new Date(Date.now() + 3600e3).toISOString() } }),
    run_summary: () => counted(server.url, key, "GET", `/v1/projects/rt-plain/runs/${plain}`),
  };
  const out = {};
  for (const [kind, fn] of Object.entries(kinds)) {
    const cold = await fn();
    let warm = cold;
    for (let i = 0; i < 3; i++) warm = await fn();
    out[kind] = { cold, warm };
    log(`${kind.padEnd(26)} cold d1=${cold.d1} do=${cold.do} do_d1=${cold.do_d1}   warm d1=${warm.d1} do=${warm.do} do_d1=${warm.do_d1}  rows read ${warm.rows_read}, written ${warm.rows_written}`);
  }
  // Storage and billed rows per million points.
  const sizeRun = (await admin("POST", "/v1/projects/rt-size/runs", { name: "size" })).id;
  const ENTRIES = 20_000;
  let written = 0;
  const bytesBefore = d1Bytes(server.persistTo);
  for (let s = 0; s < ENTRIES; s += 100) written += (await counted(server.url, key, "POST", `/v1/projects/rt-size/runs/${sizeRun}/logs`, { logs: entries(s, 100, (x) => Math.random() * x) })).rows_written;
  const bytes = d1Bytes(server.persistTo) - bytesBefore;
  const points = ENTRIES * 10;
  out.per_million_points = { rows_written: Math.round((written / points) * 1e6), bytes: Math.round((bytes / points) * 1e6) };
  log(`per million points (10 metrics per entry, 100-entry batches): ${out.per_million_points.rows_written} rows written, ${(out.per_million_points.bytes / 1e6).toFixed(1)} MB stored`);
  console.log(JSON.stringify(out));
} finally {
  await server.close();
}
