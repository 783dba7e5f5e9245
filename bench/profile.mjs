// bench:profile: where the Worker's (and its objects') CPU time goes for one request kind, from
// workerd's own V8 profiler (the inspector of the local server, `npm start`'s engine). Prints the
// functions with the most self time and the share of time under a few entry points. Not a
// benchmark: the profiler slows what it watches; use it to find what to measure next.
// Usage: node bench/profile.mjs <ingest|ingest1000|bulk_log|alerts_all|poll> [seconds]
import { freePort } from "../src/local/dev-server.mjs";
import WebSocket from "ws";
import { call, log, startServer, writeKey } from "./lib.mjs";

const KIND = process.argv[2] ?? "ingest";
const SECONDS = Number(process.argv[3] ?? 5);

const metrics = (step, r) => Object.fromEntries(Array.from({ length: 10 }, (_, j) => [`train/m${j}`, Math.sin(step / 100 + j) * Math.random() + r]));

/** Each workload: setup once, then `step()` called by `concurrency` loops until time is up. */
const WORKLOADS = {
  ingest: { concurrency: 8, batch: 100, async setup(s, key) { return restRuns(s, key, this.batch); } },
  ingest1000: { concurrency: 8, batch: 1000, async setup(s, key) { return restRuns(s, key, this.batch); } },
  bulk_log: {
    concurrency: 8,
    async setup(s, key) {
      const steps = new Array(8).fill(0);
      return (i) => {
        const runId = `${"b".repeat(31)}${i}`;
        const logs = Array.from({ length: 100 }, () => {
          const step = steps[i]++;
          return { project: "profile-trackio", run: `trackio-${i}`, run_id: runId, metrics: metrics(step, i), step, config: null, log_id: `${i}-${step}` };
        });
        return post(s.url, "/api/bulk_log", { "x-trackio-write-token": key }, { args: [], kwargs: { logs } });
      };
    },
  },
  alerts_all: { concurrency: 1, async setup(s, key) { await seedAlerts(s, key); return () => post(s.url, "/api/get_alerts", { "x-trackio-write-token": key }, { args: [], kwargs: { project: "profile-alerts" } }); } },
  poll: {
    concurrency: 1,
    async setup(s, key) {
      const cursor = await seedAlerts(s, key);
      return () => fetch(`${s.url}/v1/projects/profile-alerts/alerts?cursor=${cursor}`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.text());
    },
  },
};

async function post(base, p, headers, body) {
  const res = await fetch(`${base}${p}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${p} → ${res.status} ${text.slice(0, 200)}`);
  return text;
}

async function restRuns(s, key, batch) {
  const ids = [];
  for (let r = 0; r < 8; r++) ids.push((await call(s.url, key, "POST", "/v1/projects/profile-rest/runs", { name: `r${r}` })).id);
  const steps = new Array(8).fill(0);
  return (i) => {
    const logs = Array.from({ length: batch }, () => {
      const step = steps[i]++;
      return { step, log_id: `${i}-${step}`, metrics: metrics(step, i) };
    });
    return post(s.url, `/v1/projects/profile-rest/runs/${ids[i]}/logs`, { authorization: `Bearer ${key}` }, { logs });
  };
}

async function seedAlerts(s, key) {
  await call(s.url, key, "POST", "/v1/projects/profile-alerts/runs", { name: "train" });
  for (let i = 0; i < 5000; i += 1000) {
    const alerts = Array.from({ length: 1000 }, (_, k) => ({ title: `a${i + k}`, run: "train", level: "warn", alert_id: `p-${i + k}`, timestamp: new Date(Date.UTC(2026, 0, 1) + (i + k) * 1000).toISOString() }));
    await call(s.url, key, "POST", "/v1/projects/profile-alerts/alerts", { alerts });
  }
  return (await call(s.url, key, "GET", "/v1/projects/profile-alerts/alerts?limit=1")).next_cursor;
}

/** A minimal CDP session over the inspector's WebSocket. */
async function session(url) {
  const ws = new WebSocket(url);
  await new Promise((res, rej) => (ws.once("open", res), ws.once("error", rej)));
  let id = 0;
  const pending = new Map();
  ws.on("message", (d) => {
    const m = JSON.parse(d);
    if (m.id && pending.has(m.id)) pending.get(m.id)(m), pending.delete(m.id);
  });
  return {
    send: (method, params = {}) => new Promise((res) => (pending.set(++id, res), ws.send(JSON.stringify({ id, method, params })))),
    close: () => ws.close(),
  };
}

/** Self time per function, and total time per (function, url:line). */
function summarise(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = new Map();
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let total = 0;
  for (const [id, us] of dt) {
    const f = byId.get(id).callFrame;
    const name = `${f.functionName || "(anon)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + us);
    total += us;
  }
  return { total, top: [...self].sort((a, b) => b[1] - a[1]).slice(0, 30) };
}

// The Worker's workerd and local D1's own (src/local/d1-host.mjs) each have an inspector.
const inspectorPort = await freePort();
const d1InspectorPort = await freePort();
const server = await startServer({}, { inspectorPort, d1InspectorPort });
try {
  const key = await writeKey(server);
  const w = WORKLOADS[KIND];
  const step = await w.setup(server, key);
  for (let i = 0; i < 5; i++) await step(0);
  const lists = await Promise.all([inspectorPort, d1InspectorPort].map((p) => fetch(`http://127.0.0.1:${p}/json/list`).then((r) => r.json(), () => [])));
  const targets = lists.flat();
  const sessions = await Promise.all(targets.map(async (t) => ({ t, s: await session(t.webSocketDebuggerUrl) })));
  for (const { s } of sessions) await s.send("Profiler.enable"), await s.send("Profiler.setSamplingInterval", { interval: 100 }), await s.send("Profiler.start");
  const until = Date.now() + SECONDS * 1000;
  let requests = 0;
  await Promise.all(Array.from({ length: w.concurrency }, async (_, i) => { while (Date.now() < until) await step(i), requests++; }));
  for (const { t, s } of sessions) {
    const { result } = await s.send("Profiler.stop");
    const { total, top } = summarise(result.profile);
    if (total < 1000) continue;
    log(`\n${t.title}: ${(total / 1000).toFixed(0)} ms sampled over ${requests} requests (${(total / 1000 / requests).toFixed(2)} ms each)`);
    for (const [name, us] of top) if (us / total > 0.005) log(`  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000 / requests).toFixed(3)} ms/req  ${name}`);
    s.close();
  }
} finally {
  await server.close();
}
