// bench:requests: the latency of the requests an agent makes all the time, through HTTP on the
// local default, against Trackio 0.36's own server measured with the same shapes on this machine
// (the figures): `/health` (target ≤ 1.0 ms), a poll that finds nothing new with 5,000
// alerts stored, by `cursor`, by `since` and as Trackio's `get_alerts(since=<newest>)` (Trackio:
// 1.4 ms), all 5,000 alerts through `get_alerts` (Trackio: 23.8 ms), a run summary and the
// project list. Medians (and p90) of sequential requests with a write key, after a warm-up.
// Last line: one JSON object. BENCH_SCALE=0.1 for a quick run.
import { ENGINE, call, log, percentile, round, startServer, writeKey } from "./lib.mjs";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const REPS = Math.max(50, Math.round(300 * SCALE));
const ALERTS = 5000;
const TRACKIO = { poll_since_ms: 1.4, all_alerts_ms: 23.8 };

async function timed(fn, reps = REPS) {
  for (let i = 0; i < 20; i++) await fn();
  const times = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return { p50: round(percentile(times, 0.5), 3), p90: round(percentile(times, 0.9), 3) };
}

async function fetchOk(url, init) {
  const res = await fetch(url, init);
  const body = await res.text();
  if (!res.ok) throw new Error(`${url} → ${res.status} ${body.slice(0, 200)}`);
  return body;
}

const server = await startServer();
try {
  const key = await writeKey(server);
  const project = "bench-requests";
  const run = await call(server.url, key, "POST", `/v1/projects/${project}/runs`, { name: "train" });
  await call(server.url, key, "POST", `/v1/projects/${project}/runs/${run.id}/logs`, { logs: [{ step: 0, metrics: { loss: 1 } }] });
  const base = Date.UTC(2026, 0, 1);
  for (let i = 0; i < ALERTS; i += 1000) {
    const alerts = Array.from({ length: 1000 }, (_, k) => ({ title: `a${i + k}`, run: "train", level: ["info", "warn", "error"][(i + k) % 3], alert_id: `b-${i + k}`, timestamp: new Date(base + (i + k) * 1000).toISOString() }));
    await call(server.url, key, "POST", `/v1/projects/${project}/alerts`, { alerts });
  }
  const newest = await call(server.url, key, "GET", `/v1/projects/${project}/alerts?limit=1`);
  const cursor = newest.next_cursor;
  const since = newest.alerts[0].timestamp;
  const auth = { authorization: `Bearer ${key}` };
  const trackio = (kwargs) => () => fetchOk(`${server.url}/api/get_alerts`, { method: "POST", headers: { "x-trackio-write-token": key, "content-type": "application/json" }, body: JSON.stringify({ args: [], kwargs }) });
  const get = (p) => () => fetchOk(`${server.url}${p}`, { headers: auth });

  const all = JSON.parse(await trackio({ project })());
  if (all.data.length !== ALERTS) throw new Error(`get_alerts returned ${all.data.length} alerts, not ${ALERTS}`);
  const nothing = JSON.parse(await get(`/v1/projects/${project}/alerts?cursor=${cursor}`)());
  if (nothing.alerts.length !== 0) throw new Error("a cursor poll at the newest cursor returned alerts");

  const out = { engine: ENGINE };
  const kinds = {
    health: () => fetchOk(`${server.url}/health`),
    poll_cursor_nothing_new: get(`/v1/projects/${project}/alerts?cursor=${cursor}`),
    // `since` is inclusive of nothing newer than the newest alert: a strictly later instant.
    poll_since_nothing_new: get(`/v1/projects/${project}/alerts?since=${encodeURIComponent(new Date(Date.parse(since) + 1).toISOString())}`),
    trackio_get_alerts_since_newest: trackio({ project, since: new Date(Date.parse(since) + 1).toISOString() }),
    trackio_get_alerts_all_5000: trackio({ project }),
    run_summary: get(`/v1/projects/${project}/runs/${run.id}`),
    list_projects: get("/v1/projects"),
  };
  for (const [kind, fn] of Object.entries(kinds)) {
    out[kind] = await timed(fn, kind === "trackio_get_alerts_all_5000" ? Math.max(20, Math.round(REPS / 10)) : REPS);
    log(`${kind.padEnd(32)} p50 ${out[kind].p50} ms  p90 ${out[kind].p90} ms`);
  }
  out.health_over_1ms_target = round(out.health.p50 / 1.0);
  out.poll_over_trackio = round(Math.min(out.poll_cursor_nothing_new.p50, out.poll_since_nothing_new.p50) / TRACKIO.poll_since_ms);
  out.trackio_poll_over_trackio = round(out.trackio_get_alerts_since_newest.p50 / TRACKIO.poll_since_ms);
  out.all_alerts_over_trackio = round(out.trackio_get_alerts_all_5000.p50 / TRACKIO.all_alerts_ms);
  log(`ratios to the targets (≤ 1 meets them): /health ×${out.health_over_1ms_target}, poll ×${out.poll_over_trackio} (Trackio get_alerts since ×${out.trackio_poll_over_trackio}), all 5,000 ×${out.all_alerts_over_trackio}`);
  console.log(JSON.stringify(out));
} finally {
  await server.close();
}
