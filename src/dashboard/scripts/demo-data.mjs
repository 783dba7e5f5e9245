// Seeds a Trackflare server with realistic runs over its REST API (used by the dashboard's browser
// tests and by the screenshot script). Plain ESM so both Node scripts and vitest can import it.

/** A tiny REST client: `call(method, path, body)` → `{ status, json }`; throws on network errors only. */
export function restClient(baseUrl, token) {
  return async function call(method, path, body) {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json };
  };
}

async function ok(p, what) {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what} failed: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

export async function createKey(baseUrl, adminToken, scope, projects) {
  const r = await ok(restClient(baseUrl, adminToken)("POST", "/v1/keys", { name: `dashboard-${scope}`, scope, projects }), "key creation");
  return r.key;
}

export async function createRun(call, project, body) {
  return ok(call("POST", `/v1/projects/${project}/runs`, body), "run creation");
}

/**
 * Appends entries, retrying 5xx and network errors (a dev server reloading answers 503 for a
 * moment). Entries carry log_ids, so a retried batch that did land is not stored twice.
 */
export async function logBatch(call, project, runId, logs) {
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await call("POST", `/v1/projects/${project}/runs/${runId}/logs`, { logs });
      if (r.status < 500 || attempt === 6) return ok(Promise.resolve(r), "logs");
    } catch (err) {
      if (attempt === 6) throw err;
    }
    await new Promise((res) => setTimeout(res, 250 * 2 ** attempt));
  }
}

/** Deterministic noise so screenshots and assertions do not change between runs. */
function noise(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) / 4294967296) * 2 - 1;
  };
}

/** Timestamps one second apart ending now, so "time" x axes and "x min ago" look real. */
const tsAt = (startMs, step, msPerStep = 1000) => new Date(startMs + step * msPerStep).toISOString();

/**
 * A small hyper-parameter sweep: runs with `lr`, `optimizer`, `batch_size` config, train metrics
 * every step, eval metrics every 10 steps, and `final/score` logged once. Returns the runs.
 */
export async function seedSweep(call, project, { steps = 300, runs: specs } = {}) {
  const configs = specs ?? [
    { name: "adam-lr3e-4", group: "adam", config: { lr: 3e-4, optimizer: "adam", batch_size: 64, warmup: 100 } },
    { name: "adam-lr1e-3", group: "adam", config: { lr: 1e-3, optimizer: "adam", batch_size: 64, warmup: 100 } },
    { name: "sgd-lr1e-2", group: "sgd", config: { lr: 1e-2, optimizer: "sgd", batch_size: 128, momentum: 0.9 } },
  ];
  const startMs = Date.now() - steps * 1000;
  const out = [];
  for (const [i, spec] of configs.entries()) {
    const run = await createRun(call, project, spec);
    const rnd = noise(i + 7);
    const rate = 0.004 + i * 0.003;
    const logs = [];
    for (let step = 0; step < steps; step++) {
      const loss = 2.5 * Math.exp(-rate * step) + 0.15 + 0.08 * rnd();
      const metrics = { "train/loss": loss, "train/acc": Math.min(1, 1 - loss / 2.8 + 0.02 * rnd()), "system/lr": spec.config.lr * Math.min(1, (step + 1) / 100) };
      if (step % 10 === 0) Object.assign(metrics, { "eval/loss": loss + 0.1 + 0.03 * rnd(), "eval/acc": Math.min(1, 0.95 - loss / 3 + 0.01 * rnd()) });
      logs.push({ step, metrics, timestamp: tsAt(startMs, step), log_id: `s${step}` });
    }
    logs.push({ step: steps, metrics: { "final/score": 0.7 + 0.1 * i }, timestamp: tsAt(startMs, steps), log_id: "final" });
    await logBatch(call, project, run.id, logs);
    if (spec.finish) await ok(call("POST", `/v1/projects/${project}/runs/${run.id}/finish`, { status: spec.finish }), "finish");
    out.push(run);
  }
  return out;
}

/**
 * One run with `points` steps of one metric, sent as `batch`-entry requests with explicit steps
 * (a spike every 100,000 steps, which downsampling must keep).
 */
export async function seedLongRun(call, project, { points = 1_000_000, batch = 5000, metric = "loss", concurrency = 2 } = {}) {
  const run = await createRun(call, project, { name: `long-${points}`, config: { points } });
  const startMs = Date.now() - points * 10;
  let next = 0;
  async function worker() {
    while (next < points) {
      const from = next;
      next += batch;
      const logs = [];
      for (let step = from; step < Math.min(points, from + batch); step++) {
        const v = step % 100_000 === 50_000 ? 10 : 1 / Math.sqrt(1 + step / 1000) + 0.01 * Math.sin(step / 50);
        logs.push({ step, metrics: { [metric]: v }, timestamp: new Date(startMs + step * 10).toISOString(), log_id: `s${step}` });
      }
      await logBatch(call, project, run.id, logs);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return run;
}

export async function postAlert(call, project, alert) {
  return ok(call("POST", `/v1/projects/${project}/alerts`, alert), "alert");
}
