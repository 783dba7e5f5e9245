import { afterEach, beforeAll, describe, it, vi } from "vitest";
import { derivedRunId } from "../../src/trackio/identity";
import { api, createKey, uniqueProject } from "../helpers/api";
import { call, send } from "../helpers/trackio";
import { mockFetch, reply } from "../helpers/webhooks";
import { until } from "../helpers/until";

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/;
const hex = () => crypto.randomUUID().replaceAll("-", "");


describe("Trackio writes", () => {
  const keys = { write: "", read: "" };
  beforeAll(async () => {
    keys.write = await createKey("write");
    keys.read = await createKey("read");
  });
  afterEach(() => vi.restoreAllMocks());

  const log = (logs: unknown[]) => call("bulk_log", { logs, hf_token: null }, { token: keys.write });
  const read = async (name: string, kwargs: Record<string, unknown>, args: unknown[] = []) => {
    const r = await call(name, kwargs, { token: keys.read, args });
    if (r.status !== 200) throw new Error(`${name}: ${r.status} ${r.text}`);
    return r.json.data;
  };

  it("creates the run on its first batch, with the client's id, name and config, visible to /v1 as any run", async ({ expect }) => {
    const p = uniqueProject("tw");
    const id = hex();
    const config = { lr: 0.1, _Username: null, _Created: "2026-11-28T17:25:36.854980+00:00", _Group: "sweep-a" };
    const r = await log([
      { project: p, run: "first", run_id: id, metrics: { loss: 1 }, step: 0, config, log_id: hex() },
      { project: p, run: "first", run_id: id, metrics: { loss: 0.5 }, step: 1, config: null, log_id: hex() },
    ]);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ data: null });
    const rest = await api("GET", `/v1/projects/${p}/runs/${id}`);
    expect(rest.status).toBe(200);
    expect(rest.json).toMatchObject({ id, name: "first", group: "sweep-a", config, log_count: 2, last_step: 1, metrics: ["loss"] });
    const summary = await read("get_run_summary", { project: p, run: "first" });
    expect(summary).toEqual({ project: p, run: "first", run_id: null, num_logs: 2, metrics: ["loss"], config, last_step: 1 });
  });

  it("stores a retried batch once (log_id) and stamps every row of a batch with one server time", async ({ expect }) => {
    const p = uniqueProject("tw");
    const id = hex();
    const batch = [0, 1, 2].map((step) => ({ project: p, run: "r", run_id: id, metrics: { loss: step }, step, config: null, log_id: hex() }));
    await log(batch);
    await log(batch);
    await log([batch[2], { ...batch[2], log_id: hex(), step: 3, metrics: { loss: 3 } }]);
    const values = await read("get_metric_values", { project: p, run: "r", metric_name: "loss" });
    expect(values.map((v: any) => [v.step, v.value])).toEqual([[0, 0], [1, 1], [2, 2], [3, 3]]);
    for (const v of values) expect(v.timestamp).toMatch(TS);
    expect(new Set(values.slice(0, 3).map((v: any) => v.timestamp)).size).toBe(1);
    const [run] = await read("get_runs_for_project", { project: p });
    expect(run.created_at).toBe(values[0].timestamp);
    expect((await read("get_run_summary", { project: p, run_id: id })).num_logs).toBe(4);
  });

  it("gives entries without a step the run's max step + 1, in order, after explicit steps", async ({ expect }) => {
    const p = uniqueProject("tw");
    const id = hex();
    await log([{ project: p, run: "r", run_id: id, metrics: { a: 1 }, step: 10, config: null, log_id: hex() }]);
    await log([
      { project: p, run: "r", run_id: id, metrics: { a: 2 }, step: null, config: null, log_id: null },
      { project: p, run: "r", run_id: id, metrics: { a: 3 }, step: 4, config: null, log_id: null },
      { project: p, run: "r", run_id: id, metrics: { a: 4 }, config: null, log_id: null },
    ]);
    const values = await read("get_metric_values", { project: p, run: "r", metric_name: "a" });
    expect(values.map((v: any) => [v.step, v.value]).sort((x: number[], y: number[]) => x[1] - y[1])).toEqual([[10, 1], [11, 2], [4, 3], [12, 4]]);
  });

  it("stores a replay larger than one /v1 batch (12,000 pending rows) with steps continuing in order", async ({ expect }) => {
    const p = uniqueProject("tw");
    const id = hex();
    const rows = Array.from({ length: 12_000 }, (_, i) => ({ project: p, run: "r", run_id: id, metrics: { i }, step: null, config: null, log_id: `l${i}` }));
    expect((await log(rows)).status).toBe(200);
    expect((await log(rows.slice(9_000))).status).toBe(200);
    const summary = await read("get_run_summary", { project: p, run_id: id });
    expect(summary).toMatchObject({ num_logs: 12_000, last_step: 11_999 });
    const tail = await read("get_metric_values", { project: p, run_id: id, run: null, metric_name: "i", around_step: 10_000, window: 1 });
    expect(tail.map((v: any) => [v.step, v.value])).toEqual([[9_999, 9_999], [10_000, 10_000], [10_001, 10_001]]);
  }, 60_000);

  it("replaces the config when a resumed run sends it again, and keeps the run and its steps", async ({ expect }) => {
    const p = uniqueProject("tw");
    const id = hex();
    const c1 = { lr: 0.1, _Created: "2026-11-28T17:25:36.854980+00:00", _Group: null };
    const c2 = { lr: 0.1, _Created: "2026-11-28T17:25:48.393060+00:00", _Group: null };
    await log([{ project: p, run: "r", run_id: id, metrics: { loss: 1 }, step: 0, config: c1, log_id: hex() }]);
    await log([{ project: p, run: "r", run_id: id, metrics: { loss: 2 }, step: 1, config: c2, log_id: hex() }]);
    expect(await read("get_run_summary", { project: p, run: "r" })).toMatchObject({ num_logs: 2, config: c2, last_step: 1 });
    expect(await read("get_runs_for_project", { project: p })).toHaveLength(1);
    expect(await read("get_run_configs", { project: p })).toEqual({ [id]: c2 });
  });

  it("keeps non-finite values and nested values, and reads NaN/±Infinity back as null", async ({ expect }) => {
    const p = uniqueProject("tw");
    await log([{ project: p, run: "r", run_id: hex(), metrics: { loss: "NaN", up: "Infinity", down: "-Infinity", nested: { a: 1, b: "NaN" }, list: [1, 2] }, step: 0, config: null, log_id: hex() }]);
    const snap = await read("get_snapshot", { project: p, run: "r", step: 0 });
    expect(Object.fromEntries(Object.entries(snap).map(([k, v]: [string, any]) => [k, v[0].value]))).toEqual({
      loss: null,
      up: null,
      down: null,
      nested: { a: 1, b: "NaN" },
      list: [1, 2],
    });
    const [row] = await read("get_logs", { project: p, run: "r" });
    expect(row).toMatchObject({ loss: null, up: null, down: null, nested: { a: 1, b: "NaN" }, step: 0 });
    // The REST API keeps the wire strings, so nothing is lost.
    const rest = await api("GET", `/v1/projects/${p}/runs/r/metrics/loss`);
    expect(rest.json.values[0].value).toBe("NaN");
  });

  it("runs the server-side detectors on protocol writes: a NaN raises a 'Non-finite metric' alert that get_alerts returns", async ({ expect }) => {
    const p = uniqueProject("tw");
    await log([{ project: p, run: "r", run_id: hex(), metrics: { val_loss: "NaN" }, step: 19, config: null, log_id: hex() }]);
    const alerts = await read("get_alerts", { project: p, level: "error" });
    expect(alerts).toEqual([{ timestamp: expect.stringMatching(TS), run: "r", title: "Non-finite metric", text: "val_loss=NaN at step 19", level: "error", step: 19 }]);
  });

  it("maps a run_id that is not 32 hex digits (or absent) to a stable derived id, the same for logs, alerts and reads", async ({ expect }) => {
    const p = uniqueProject("tw");
    await log([{ project: p, run: "named", run_id: "my-run-1", metrics: { x: 1 }, step: null, config: null, log_id: null }]);
    await log([{ project: p, run: "named", run_id: "my-run-1", metrics: { x: 2 }, step: null, config: null, log_id: null }]);
    await log([{ project: p, run: "no-id", metrics: { x: 1 }, step: null, config: null, log_id: null }]);
    const derived = await derivedRunId(p, "my-run-1");
    const runs = await read("get_runs_for_project", { project: p });
    expect(runs.map((r: any) => [r.id, r.name])).toEqual([
      [derived, "named"],
      [await derivedRunId(p, "no-id"), "no-id"],
    ]);
    expect((await read("get_run_summary", { project: p, run_id: "my-run-1" })).num_logs).toBe(2);
    await call("bulk_alert", { alerts: [{ project: p, run: "named", run_id: "my-run-1", title: "t", level: "info", step: 1, timestamp: "2026-11-28T17:00:00+00:00" }] }, { token: keys.write });
    expect(await read("get_alerts", { project: p, run_id: "my-run-1" })).toHaveLength(1);
    const rest = await api("GET", `/v1/projects/${p}/alerts`);
    expect(rest.json.alerts[0].run_id).toBe(derived);
  });

  it("gives a client run_id that another project holds a derived id in this project", async ({ expect }) => {
    const id = hex();
    const [a, b] = [uniqueProject("twa"), uniqueProject("twb")];
    await log([{ project: a, run: "r", run_id: id, metrics: { x: 1 }, step: 0, config: null, log_id: hex() }]);
    const r = await log([{ project: b, run: "r", run_id: id, metrics: { x: 2 }, step: 0, config: null, log_id: hex() }]);
    expect(r.status).toBe(200);
    expect((await read("get_runs_for_project", { project: a }))[0].id).toBe(id);
    expect((await read("get_runs_for_project", { project: b }))[0].id).toBe(await derivedRunId(b, id));
    expect((await read("get_metric_values", { project: b, run_id: id, run: null, metric_name: "x" }))[0].value).toBe(2);
  });

  it("stores a project name as Trackio's canonical form", async ({ expect }) => {
    const base = uniqueProject("tw");
    await log([{ project: `${base}/x.y`, run: "r", run_id: hex(), metrics: { x: 1 }, step: 0, config: null, log_id: hex() }]);
    expect(await read("get_all_projects", {})).toContain(`${base}xy`);
    expect(await read("get_runs_for_project", { project: `${base}/x.y` })).toHaveLength(1);
  });

  it("stores system metrics with the client's timestamps, once per log_id, and reads them back in time order", async ({ expect }) => {
    const p = uniqueProject("tw");
    const id = hex();
    const rows = [
      { project: p, run: "r", run_id: id, metrics: { "cpu/utilization": 87, "memory/percent": 43.5 }, timestamp: "2026-11-28T17:25:43.347064+00:00", log_id: hex() },
      { project: p, run: "r", run_id: id, metrics: { "cpu/utilization": 12.5, "memory/percent": 41.25 }, timestamp: "2026-11-28T17:25:43.295535+00:00", log_id: hex() },
      // A zone other than +00:00 is read as the instant it names.
      { project: p, run: "r", run_id: id, metrics: { "gpu/0/temp": 61 }, timestamp: "2026-11-28T18:25:44+01:00", log_id: hex() },
    ];
    for (let i = 0; i < 2; i++) expect((await call("bulk_log_system", { logs: rows, hf_token: null }, { token: keys.write })).status).toBe(200);
    // A run with system metrics only is not listed, as in Trackio (runs come from metric rows).
    expect(await read("get_runs_for_project", { project: p })).toEqual([]);
    await log([{ project: p, run: "r", run_id: id, metrics: { loss: 1 }, step: 0, config: null, log_id: hex() }]);
    expect(await read("get_system_logs", { project: p, run: "r" })).toEqual([
      { "cpu/utilization": 12.5, "memory/percent": 41.25, timestamp: "2026-11-28T17:25:43.295535+00:00" },
      { "cpu/utilization": 87, "memory/percent": 43.5, timestamp: "2026-11-28T17:25:43.347064+00:00" },
      { "gpu/0/temp": 61, timestamp: "2026-11-28T17:25:44+00:00" },
    ]);
    expect(await read("get_system_metrics_for_run", { project: p, run: "r" })).toEqual(["cpu/utilization", "gpu/0/temp", "memory/percent"]);
    expect(await read("get_tab_availability", { project: p })).toEqual({ metrics: true, system: true, traces: false, media: false, reports: false, files: false, artifacts: false });
  });

  it("stores alerts with the client's timestamps once per alert_id, accepts any case of a level, and stamps a missing time", async ({ expect }) => {
    const p = uniqueProject("tw");
    const id = hex();
    const alerts = [
      { project: p, run: "r", run_id: id, title: "plain", text: null, level: "ERROR", step: 3, timestamp: "2026-11-28T17:25:45.807105+00:00", alert_id: hex() },
      { project: p, run: "r", run_id: id, title: "no time", text: "t", level: "Warn", step: null, alert_id: hex() },
    ];
    for (let i = 0; i < 2; i++) expect((await call("bulk_alert", { alerts, hf_token: null }, { token: keys.write })).status).toBe(200);
    const got = await read("get_alerts", { project: p });
    expect(got).toHaveLength(2);
    const byTitle = Object.fromEntries(got.map((a: any) => [a.title, a]));
    expect(byTitle.plain).toEqual({ timestamp: "2026-11-28T17:25:45.807105+00:00", run: "r", title: "plain", text: null, level: "error", step: 3 });
    expect(byTitle["no time"]).toMatchObject({ run: "r", level: "warn", step: null });
    expect(byTitle["no time"].timestamp).toMatch(TS);
    // Alerts that arrive before the run's first log belong to it once it exists.
    await log([{ project: p, run: "r", run_id: id, metrics: { loss: 1 }, step: 0, config: null, log_id: hex() }]);
    const rest = await api("GET", `/v1/projects/${p}/alerts?run=${id}`);
    expect(rest.json.alerts).toHaveLength(2);
  });

  it("sends the project's webhooks for alerts that arrive through the protocol", async ({ expect }) => {
    const p = uniqueProject("tw");
    const m = mockFetch(reply("ok"));
    try {
      expect((await api("POST", `/v1/projects/${p}/webhooks`, { body: { url: "https://hooks.example/trackio", min_level: "warn" } })).status).toBe(201);
      await call("bulk_alert", { alerts: [
        { project: p, run: "r", run_id: hex(), title: "NaN in loss", text: "step 4", level: "error", step: 4, timestamp: "2026-11-28T17:25:45.807105+00:00", alert_id: hex() },
        { project: p, run: "r", run_id: hex(), title: "milestone", text: null, level: "info", step: 5, timestamp: "2026-11-28T17:25:46.807105+00:00", alert_id: hex() },
      ] }, { token: keys.write });
      const calls = await until(() => m.calls, (c) => c.length >= 1);
      await new Promise((r) => setTimeout(r, 300));
      expect(m.calls).toHaveLength(1);
      expect(calls[0].url).toBe("https://hooks.example/trackio");
      expect(JSON.parse(calls[0].body)).toMatchObject({ level: "error", title: "NaN in loss", text: "step 4", project: p, run: "r", step: 4 });
    } finally {
      m.restore();
    }
  }, 20_000);

  it("takes the key from the header, ?write_token=, the cookie or Bearer, and ignores hf_token", async ({ expect }) => {
    const p = uniqueProject("tw");
    const body = (n: number) => ({ args: [], kwargs: { logs: [{ project: p, run: "r", run_id: null, metrics: { n }, step: null, config: null, log_id: null }], hf_token: "hf_ignored" } });
    const carriers: { headers?: Record<string, string>; query?: Record<string, string> }[] = [
      { headers: { "x-trackio-write-token": keys.write } },
      { query: { write_token: keys.write } },
      { headers: { cookie: `other=1; trackio_write_token=${keys.write}` } },
      { headers: { authorization: `Bearer ${keys.write}` } },
    ];
    for (const [i, c] of carriers.entries()) {
      const r = await send("POST", "/api/bulk_log", { headers: { "content-type": "application/json", ...c.headers }, query: c.query, body: body(i) });
      expect(r.status, JSON.stringify(c)).toBe(200);
    }
    expect((await read("get_run_summary", { project: p, run: "r" })).num_logs).toBe(4);
  });

  it("accepts every body form: args+kwargs, {data: [...]}, flat keywords, a bare list; a non-JSON body is {}", async ({ expect }) => {
    const p = uniqueProject("tw");
    await log([{ project: p, run: "r", run_id: hex(), metrics: { loss: 1 }, step: 0, config: null, log_id: hex() }]);
    const h = { "content-type": "application/json", "x-trackio-write-token": keys.read };
    const forms: unknown[] = [{ args: [p], kwargs: {} }, { args: [], kwargs: { project: p } }, { data: [p] }, { project: p }, [p]];
    for (const body of forms) {
      const r = await send("POST", "/api/get_runs_for_project", { headers: h, body });
      expect(r.status, JSON.stringify(body)).toBe(200);
      expect(r.json.data.map((x: any) => x.name)).toEqual(["r"]);
    }
    // Keyword arguments win over positional ones; positional ones fill the rest in order.
    const mixed = await send("POST", "/api/get_metric_values", { headers: h, body: { args: ["loss"], kwargs: { project: p, run: "r" } } });
    expect(mixed.json.data.map((v: any) => v.value)).toEqual([1]);
    const junk = await send("POST", "/api/get_all_projects", { headers: h, raw: "{not json" });
    expect(junk.status).toBe(200);
    expect(junk.json.data).toContain(p);
  });
});
