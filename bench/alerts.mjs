// bench:alerts: how fast an alert reaches its watchers, and what an incremental query costs.
//  1. Push: 100 `ws` subscribers on one project; each alert is POSTed alone and timed from the
//     moment the Durable Object accepted it (its server-stamped timestamp) to its arrival at each
//     subscriber (p50/p99 over alerts × subscribers), beside a real client polling every 1 s and the
//     expected delay of an agent loop that polls every 30 s (half the period plus one query).
//  2. Query cost: a `since` and a `cursor` query that return the 10 newest alerts, with 1k and with
//     100k alerts of history in the project (medians of interleaved runs, through HTTP).
// Last line: one JSON object. BENCH_SCALE=0.1 for a quick run.
import WebSocket from "ws";
import { ENGINE, call, log, median, percentile, round, startServer } from "./lib.mjs";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SUBSCRIBERS = 100;
const PUSHES = Math.max(20, Math.round(200 * SCALE));
const POLLED = Math.max(5, Math.round(15 * SCALE));
const BIG = Math.round(100_000 * SCALE);
const SMALL = 1_000;
const QUERY_REPS = Math.max(20, Math.round(100 * SCALE));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nowMs = () => performance.timeOrigin + performance.now();

/**
 * A subscriber that reconnects with its last cursor when the socket drops (`wrangler dev` restarts
 * its runtime whenever a source file changes, which drops every socket). `generation` counts
 * connections, so a sample that spans a reconnect can be told apart.
 */
function subscribe(url, key, deflate) {
  const sub = { arrivals: new Map(), generation: 0, ready: false, cursor: null, ws: null, closed: false };
  const connect = () =>
    new Promise((resolve) => {
      const ws = new WebSocket(sub.cursor === null ? url : `${url}?cursor=${sub.cursor}`, {
        headers: { authorization: `Bearer ${key}` },
        perMessageDeflate: deflate,
      });
      sub.ws = ws;
      sub.generation++;
      ws.on("message", (data) => {
        const at = nowMs();
        const m = JSON.parse(data.toString());
        if (m.type === "ready") {
          sub.cursor = m.cursor;
          sub.ready = true;
          resolve();
        }
        if (m.type === "alerts") {
          sub.cursor = m.cursor;
          for (const a of m.alerts) sub.arrivals.set(a.alert_id, (sub.arrivals.get(a.alert_id) ?? []).concat(at));
        }
      });
      const retry = () => {
        sub.ready = false;
        if (!sub.closed) setTimeout(() => connect().then(resolve), 200);
      };
      ws.once("close", retry);
      ws.once("error", () => ws.terminate());
    });
  return connect().then(() => sub);
}

async function pushLatency(server, subscribers, pushes, project, deflate = false) {
  await call(server.url, server.key, "POST", `/v1/projects/${project}/runs`, { name: "train" });
  const wsUrl = `${server.url.replace(/^http/, "ws")}/v1/projects/${project}/alerts/ws`;
  const subs = [];
  for (let i = 0; i < subscribers; i++) subs.push(await subscribe(wsUrl, server.key, deflate));
  log(`push: ${subscribers} subscriber(s) connected${deflate ? " with permessage-deflate" : ""}; ${pushes} alerts`);
  const fromAccept = [];
  const fromPost = [];
  let dropped = 0;
  for (let i = 0; i < pushes; i++) {
    while (subs.some((s) => !s.ready)) await sleep(50);
    const generations = subs.map((s) => s.generation);
    const id = `push-${i}`;
    const sent = nowMs();
    const [alert] = (await call(server.url, server.key, "POST", `/v1/projects/${project}/alerts`, { title: `p${i}`, alert_id: id, run: "train" })).alerts;
    const accepted = Date.parse(alert.timestamp);
    const deadline = Date.now() + 5000;
    while (subs.some((s) => !s.arrivals.has(id)) && Date.now() < deadline) await sleep(1);
    if (subs.some((s, k) => s.generation !== generations[k] || !s.arrivals.has(id))) {
      dropped++; // the runtime restarted under this sample; exactness across reconnects is tested elsewhere
      continue;
    }
    for (const s of subs) {
      const times = s.arrivals.get(id);
      if (times.length !== 1) throw new Error(`a subscriber got alert ${id} ${times.length} times`);
      fromAccept.push(Math.max(0, times[0] - accepted));
      fromPost.push(times[0] - sent);
    }
    // Spaced beyond the batching window, so each alert is measured on its own.
    await sleep(10 + Math.random() * 10);
  }
  if (dropped) log(`push: ${dropped} samples dropped (the runtime restarted during them)`);
  for (const s of subs) {
    s.closed = true;
    s.ws.close();
  }
  return { fromAccept, fromPost, dropped };
}

/** A real client polling `cursor=` every second; alerts land at random moments. */
async function pollLatency(server) {
  const project = "bench-poll";
  await call(server.url, server.key, "POST", `/v1/projects/${project}/runs`, { name: "train" });
  const created = new Map();
  const seen = [];
  let cursor = 0;
  let polling = true;
  const queryTimes = [];
  const poller = (async () => {
    while (polling) {
      const t = nowMs();
      const page = await call(server.url, server.key, "GET", `/v1/projects/${project}/alerts?cursor=${cursor}`);
      const at = nowMs();
      queryTimes.push(at - t);
      for (const a of page.alerts) seen.push(at - created.get(a.alert_id));
      cursor = page.next_cursor;
      await sleep(1000 - (at - t));
    }
  })();
  for (let i = 0; i < POLLED; i++) {
    await sleep(300 + Math.random() * 1400);
    const [a] = (await call(server.url, server.key, "POST", `/v1/projects/${project}/alerts`, { title: `q${i}`, alert_id: `poll-${i}` })).alerts;
    created.set(a.alert_id, Date.parse(a.timestamp));
  }
  while (seen.length < POLLED) await sleep(50);
  polling = false;
  await poller;
  return { seen, queryMs: median(queryTimes) };
}

async function seedHistory(server, project, n) {
  await call(server.url, server.key, "POST", `/v1/projects/${project}/runs`, { name: "train" });
  const base = Date.UTC(2026, 0, 1);
  for (let i = 0; i < n; i += 1000) {
    const alerts = Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({
      title: `history ${i + k}`,
      level: ["info", "warn", "error"][(i + k) % 3],
      run: "train",
      alert_id: `h-${i + k}`,
      timestamp: new Date(base + (i + k) * 1000).toISOString(),
    }));
    await call(server.url, server.key, "POST", `/v1/projects/${project}/alerts`, { alerts });
    if ((i / 1000) % 20 === 19) log(`  ${project}: ${i + 1000} alerts`);
  }
  const before = (await call(server.url, server.key, "GET", `/v1/projects/${project}/alerts?limit=1`)).next_cursor;
  const since = new Date(Date.UTC(2026, 6, 1)).toISOString();
  await call(server.url, server.key, "POST", `/v1/projects/${project}/alerts`, {
    alerts: Array.from({ length: 10 }, (_, k) => ({ title: `new ${k}`, run: "train", alert_id: `n-${k}`, level: "error" })),
  });
  return { project, since, cursor: before };
}

async function queryCost(server) {
  log(`query: seeding ${SMALL} and ${BIG} alerts of history`);
  const small = await seedHistory(server, "bench-q-small", SMALL);
  const big = await seedHistory(server, "bench-q-big", BIG);
  const kinds = {
    since: (h) => `/v1/projects/${h.project}/alerts?since=${encodeURIComponent(h.since)}`,
    cursor: (h) => `/v1/projects/${h.project}/alerts?cursor=${h.cursor}`,
    since_run_min_level: (h) => `/v1/projects/${h.project}/alerts?since=${encodeURIComponent(h.since)}&run=train&min_level=warn`,
  };
  const out = {};
  for (const [kind, path] of Object.entries(kinds)) {
    const times = { small: [], big: [] };
    for (let i = 0; i < QUERY_REPS + 3; i++) {
      // Interleaved, so drift on the shared machine hits both alike; the first rounds warm up.
      for (const [name, h] of [["small", small], ["big", big]]) {
        const t = nowMs();
        const page = await call(server.url, server.key, "GET", path(h));
        const dt = nowMs() - t;
        if (page.alerts.length !== 10) throw new Error(`${kind} on ${name} returned ${page.alerts.length} alerts`);
        if (i >= 3) times[name].push(dt);
      }
    }
    out[kind] = { small_ms: median(times.small), big_ms: median(times.big), ratio: median(times.big) / median(times.small) };
    log(`  ${kind}: ${round(out[kind].small_ms)} ms with ${SMALL}, ${round(out[kind].big_ms)} ms with ${BIG} → ×${round(out[kind].ratio)}`);
  }
  return out;
}

const server = await startServer();
try {
  // One subscriber first: the pipeline's own delay (write, durable commit, the dev server's hops),
  // without the fan-out.
  const single = await pushLatency(server, 1, Math.ceil(PUSHES / 2), "bench-push-1");
  log(`push to 1: accepted → received p50 ${round(percentile(single.fromAccept, 0.5))} ms, p99 ${round(percentile(single.fromAccept, 0.99))} ms`);
  const push = await pushLatency(server, SUBSCRIBERS, PUSHES, "bench-push");
  // `ws` and browsers offer permessage-deflate by default and the runtime accepts it; for frames of
  // a few hundred bytes it only adds work at both ends (the headline figure is without it).
  const deflated = await pushLatency(server, SUBSCRIBERS, Math.ceil(PUSHES / 2), "bench-push-deflate", true);
  log(`push with deflate: p50 ${round(percentile(deflated.fromAccept, 0.5))} ms, p99 ${round(percentile(deflated.fromAccept, 0.99))} ms`);
  const p50 = percentile(push.fromAccept, 0.5);
  const p99 = percentile(push.fromAccept, 0.99);
  log(`push: accepted → received p50 ${round(p50)} ms, p99 ${round(p99)} ms; POST sent → received p50 ${round(percentile(push.fromPost, 0.5))} ms, p99 ${round(percentile(push.fromPost, 0.99))} ms`);
  const poll = await pollLatency(server);
  const poll1s = { p50: percentile(poll.seen, 0.5), mean: poll.seen.reduce((a, b) => a + b, 0) / poll.seen.length };
  const agent30s = 15_000 + poll.queryMs;
  log(`1 s polling: p50 ${round(poll1s.p50)} ms, mean ${round(poll1s.mean)} ms (query ${round(poll.queryMs)} ms); 30 s agent loop: expected ${round(agent30s)} ms`);
  const q = await queryCost(server);
  console.log(
    JSON.stringify({
      engine: ENGINE,
      subscribers: SUBSCRIBERS,
      alerts_pushed: PUSHES - push.dropped,
      push_deflate_p50_ms: round(percentile(deflated.fromAccept, 0.5)),
      push_deflate_p99_ms: round(percentile(deflated.fromAccept, 0.99)),
      push_1_sub_p50_ms: round(percentile(single.fromAccept, 0.5)),
      push_1_sub_p99_ms: round(percentile(single.fromAccept, 0.99)),
      push_post_p50_ms: round(percentile(push.fromPost, 0.5)),
      push_post_p99_ms: round(percentile(push.fromPost, 0.99)),
      poll_1s_p50_ms: round(poll1s.p50),
      poll_1s_mean_ms: round(poll1s.mean),
      poll_30s_expected_ms: round(agent30s),
      history_small: SMALL,
      history_big: BIG,
      since_1k_ms: round(q.since.small_ms),
      since_100k_ms: round(q.since.big_ms),
      cursor_1k_ms: round(q.cursor.small_ms),
      cursor_100k_ms: round(q.cursor.big_ms),
      cursor_100k_over_1k: round(q.cursor.ratio),
      since_filtered_100k_over_1k: round(q.since_run_min_level.ratio),
      push_p50_ms: round(p50),
      push_p99_ms: round(p99),
      since_100k_over_1k: round(q.since.ratio),
    }),
  );
} finally {
  await server.close();
}
