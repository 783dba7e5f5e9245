import { beforeAll, describe, it } from "vitest";
import { groupBudgets, groupStride } from "../../src/trackio/sampling";
import { api, createKey, createRun, logEntries, uniqueProject } from "../helpers/api";
import { postAlerts } from "../helpers/alerts";
import { call } from "../helpers/trackio";

const hex = () => crypto.randomUUID().replaceAll("-", "");

describe("Trackio reads", () => {
  const keys = { write: "", read: "" };
  beforeAll(async () => {
    keys.write = await createKey("write");
    keys.read = await createKey("read");
  });

  const log = (logs: unknown[]) => call("bulk_log", { logs }, { token: keys.write });
  const read = async (name: string, kwargs: Record<string, unknown>, args: unknown[] = []) => {
    const r = await call(name, kwargs, { token: keys.read, args });
    if (r.status !== 200) throw new Error(`${name}: ${r.status} ${r.text}`);
    return r.json.data;
  };
  const alertsOf = (p: string, run: string, id: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      project: p,
      run,
      run_id: id,
      title: `a${i}`,
      text: null,
      level: ["info", "warn", "error"][i % 3],
      step: i,
      timestamp: `2026-11-28T17:25:4${i}.000001+00:00`,
      alert_id: hex(),
    }));

  it("reads get_alerts positionally in the CLI's order with four arguments, in Trackio's order with five", async ({ expect }) => {
    const p = uniqueProject("tr");
    const id = hex();
    await log([{ project: p, run: "r", run_id: id, metrics: { x: 1 }, step: 0, config: null, log_id: hex() }]);
    await call("bulk_alert", { alerts: alertsOf(p, "r", id, 4) }, { token: keys.write });
    const titles = (xs: any[]) => xs.map((a) => a.title);
    // trackio list alerts --level error / --since <ts> / --run r
    expect(titles(await read("get_alerts", {}, [p, null, "error", null]))).toEqual(["a2"]);
    expect(titles(await read("get_alerts", {}, [p, null, null, "2026-11-28T17:25:41.000001+00:00"]))).toEqual(["a3", "a2"]);
    expect(titles(await read("get_alerts", {}, [p, "r", "info", null]))).toEqual(["a3", "a0"]);
    // Trackio's own order (project, run, run_id, level, since) when all five are given.
    expect(titles(await read("get_alerts", {}, [p, null, id, "warn", null]))).toEqual(["a1"]);
    expect(titles(await read("get_alerts", { level: "info" }, [p, "r"]))).toEqual(["a3", "a0"]);
  });

  it("compares since as an instant (Z, offsets, no fraction) and keeps level an exact, case-sensitive match", async ({ expect }) => {
    const p = uniqueProject("tr");
    const id = hex();
    await call("bulk_alert", { alerts: alertsOf(p, "r", id, 4) }, { token: keys.write });
    const titles = async (kw: Record<string, unknown>) => (await read("get_alerts", { project: p, ...kw })).map((a: any) => a.title);
    expect(await titles({ since: "2026-11-28T17:25:41Z" })).toEqual(["a3", "a2", "a1"]);
    expect(await titles({ since: "2026-11-28T18:25:41.000001+01:00" })).toEqual(["a3", "a2"]);
    expect(await titles({ since: "2026-11-28T17:25:43.000001+00:00" })).toEqual([]);
    expect(await titles({ level: "warn" })).toEqual(["a1"]);
    expect(await titles({ level: "WARN" })).toEqual([]);
    expect(await titles({ level: "critical" })).toEqual([]);
  });

  it("orders alerts newest first by their timestamps, not by arrival", async ({ expect }) => {
    const p = uniqueProject("tr");
    const [late, early] = alertsOf(p, "r", hex(), 2).reverse();
    await call("bulk_alert", { alerts: [late] }, { token: keys.write });
    await call("bulk_alert", { alerts: [early] }, { token: keys.write });
    expect((await read("get_alerts", { project: p })).map((a: any) => a.title)).toEqual(["a1", "a0"]);
  });

  it("resolves a run name to its newest run and a run_id to exactly that run", async ({ expect }) => {
    const p = uniqueProject("tr");
    const [older, newer] = [hex(), hex()];
    await log([{ project: p, run: "dup", run_id: older, metrics: { loss: 1 }, step: 0, config: null, log_id: hex() }]);
    await log([{ project: p, run: "dup", run_id: newer, metrics: { loss: 2 }, step: 0, config: null, log_id: hex() }]);
    expect((await read("get_runs_for_project", { project: p })).map((r: any) => r.id)).toEqual([older, newer]);
    expect((await read("get_metric_values", { project: p, run: "dup", metric_name: "loss" }))[0].value).toBe(2);
    expect((await read("get_metric_values", { project: p, run: "dup", metric_name: "loss", run_id: older }))[0].value).toBe(1);
    expect(await read("get_run_summary", { project: p, run_id: older })).toMatchObject({ run: "dup", run_id: older, num_logs: 1 });
  });

  it("selects values by step, around a step, and at a time (as instants), with Trackio's default window", async ({ expect }) => {
    const p = uniqueProject("tr");
    await log(Array.from({ length: 30 }, (_, step) => ({ project: p, run: "r", run_id: null, metrics: { v: step }, step, config: null, log_id: null })));
    const steps = async (kw: Record<string, unknown>) => (await read("get_metric_values", { project: p, run: "r", metric_name: "v", ...kw })).map((x: any) => x.step);
    expect(await steps({ step: 15 })).toEqual([15]);
    expect(await steps({ around_step: 17, window: 2 })).toEqual([15, 16, 17, 18, 19]);
    expect(await steps({ around_step: 3 })).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    const [first] = await read("get_metric_values", { project: p, run: "r", metric_name: "v", step: 0 });
    expect(await steps({ at_time: first.timestamp, window: 1 })).toHaveLength(30);
    expect(await steps({ at_time: "2000-01-01T00:00:00Z", window: 5 })).toEqual([]);
    // The CLI's positional form: [project, run, metric, step, around, at_time, window].
    expect((await read("get_metric_values", {}, [p, "r", "v", null, 20, null, 1])).map((x: any) => x.step)).toEqual([19, 20, 21]);
  });

  it("reads get_snapshot positionally in the CLI's order with six arguments, in Trackio's order with seven", async ({ expect }) => {
    const p = uniqueProject("tr");
    const id = hex();
    await log(Array.from({ length: 5 }, (_, step) => ({ project: p, run: "r", run_id: id, metrics: { a: step, b: -step }, step, config: null, log_id: null })));
    const stepsOf = (snap: Record<string, any[]>) => Object.fromEntries(Object.entries(snap).map(([k, v]) => [k, v.map((x) => x.step)]));
    expect(stepsOf(await read("get_snapshot", {}, [p, "r", 2, null, null, 10]))).toEqual({ a: [2], b: [2] });
    expect(stepsOf(await read("get_snapshot", {}, [p, "r", null, 2, null, 1]))).toEqual({ a: [1, 2, 3], b: [1, 2, 3] });
    expect(stepsOf(await read("get_snapshot", {}, [p, null, id, 4, null, null, null]))).toEqual({ a: [4], b: [4] });
    expect(stepsOf(await read("get_snapshot", { project: p, run: "r" }))).toEqual({ a: [0, 1, 2, 3, 4], b: [0, 1, 2, 3, 4] });
  });

  it("returns whole rows from get_logs, downsampled past 3,000 rows as Trackio does, keeping each group's last", async ({ expect }) => {
    const p = uniqueProject("tr");
    const id = hex();
    // 3,500 rows with {loss} and 1,000 with {loss, acc}: budgets 2,000 and 1,000 (floor 1,500
    // each, the 500 left to the larger group), so the first group keeps every 2nd row and its last.
    const rows = Array.from({ length: 4500 }, (_, step) => ({
      project: p,
      run: "r",
      run_id: id,
      metrics: step % 9 < 7 ? { loss: step } : { loss: step, acc: step / 10 },
      step,
      config: null,
      log_id: null,
    }));
    expect(rows.filter((r) => "acc" in r.metrics)).toHaveLength(1000);
    expect(groupBudgets([3500, 1000], 3000)).toEqual([2000, 1000]);
    expect(groupStride(3500, 2000)).toBe(2);
    for (let i = 0; i < rows.length; i += 1500) expect((await log(rows.slice(i, i + 1500))).status).toBe(200);
    const logs = await read("get_logs", { project: p, run: "r" });
    const lossOnly = rows.filter((r) => !("acc" in r.metrics)).map((r) => r.step);
    const expected = new Set([...lossOnly.filter((_, i) => i % 2 === 0), lossOnly[lossOnly.length - 1], ...rows.filter((r) => "acc" in r.metrics).map((r) => r.step)]);
    expect(logs).toHaveLength(expected.size);
    expect(logs.length).toBeLessThanOrEqual(3000);
    expect(logs.map((l: any) => l.step)).toEqual([...expected].sort((a, b) => a - b));
    expect(logs[logs.length - 1]).toMatchObject({ loss: 4499, step: 4499 });
    for (const l of logs) expect(Object.keys(l).sort()).toEqual("acc" in l ? ["acc", "loss", "step", "timestamp"] : ["loss", "step", "timestamp"]);
    // scalar_only drops non-numeric values; a short run is returned whole.
    await log([{ project: p, run: "small", run_id: hex(), metrics: { loss: 1, note: "text", hist: { _type: "trackio.histogram", bins: [0, 1], values: [1] } }, step: 0, config: null, log_id: null }]);
    const [row] = await read("get_logs", { project: p, run: "small", scalar_only: true });
    expect(Object.keys(row).sort()).toEqual(["hist", "loss", "step", "timestamp"]);
  }, 60_000);

  it("renames and deletes runs with a write key; a read key may not", async ({ expect }) => {
    const p = uniqueProject("tr");
    const id = hex();
    await log([{ project: p, run: "old", run_id: id, metrics: { x: 1 }, step: 0, config: null, log_id: hex() }]);
    await call("bulk_log_system", { logs: [{ project: p, run: "old", run_id: id, metrics: { cpu: 1 }, timestamp: "2026-11-28T17:00:00+00:00", log_id: hex() }] }, { token: keys.write });
    const denied = await call("rename_run", { project: p, old_name: "old", new_name: "new" }, { token: keys.read });
    expect(denied.status).toBe(403);
    expect((await call("rename_run", { project: p, old_name: "nope", new_name: "new" }, { token: keys.write })).json).toEqual({ error: `Run 'nope' does not exist in project '${p}'` });
    expect((await call("rename_run", { project: p, old_name: "old", new_name: "  " }, { token: keys.write })).json).toEqual({ error: "New run name cannot be empty" });
    expect((await call("rename_run", { project: p, old_name: "old", new_name: "new" }, { token: keys.write })).json).toEqual({ data: true });
    expect((await read("get_runs_for_project", { project: p })).map((r: any) => r.name)).toEqual(["new"]);
    const noKey = await call("delete_run", { project: p, run: "new" }, { token: null });
    expect(noKey.status).toBe(400);
    expect(noKey.json.error).toMatch(/write_token is required to delete or rename runs/);
    expect((await call("delete_run", { project: p, run: "new" }, { token: keys.write })).json).toEqual({ data: true });
    expect((await call("delete_run", { project: p, run: "new" }, { token: keys.write })).json).toEqual({ data: false });
    expect(await read("get_runs_for_project", { project: p })).toEqual([]);
    expect(await read("get_system_logs", { project: p, run_id: id })).toEqual([]);
    expect((await api("GET", `/v1/projects/${p}/runs/${id}`)).status).toBe(404);
  });

  it("is one implementation with /v1: runs, logs and alerts written over REST read back over the protocol", async ({ expect }) => {
    const p = uniqueProject("tr");
    const run = await createRun(p, { name: "rest-run", config: { lr: 0.01 } });
    // A run with no logs yet is not listed (Trackio derives runs from their metric rows).
    expect(await read("get_runs_for_project", { project: p })).toEqual([]);
    await logEntries(p, run.id, [{ step: 0, metrics: { loss: 2 } }, { step: 1, metrics: { loss: 1 } }]);
    await postAlerts(p, { title: "from rest", level: "warn", run: "rest-run", step: 1 });
    expect(await read("get_runs_for_project", { project: p })).toEqual([{ id: run.id, name: "rest-run", created_at: run.created_at }]);
    expect(await read("get_project_summary", { project: p })).toEqual({ project: p, num_runs: 1, runs: [{ id: run.id, name: "rest-run", created_at: run.created_at }], last_activity: 1 });
    expect(await read("get_run_summary", { project: p, run: "rest-run" })).toEqual({ project: p, run: "rest-run", run_id: null, num_logs: 2, metrics: ["loss"], config: { lr: 0.01 }, last_step: 1 });
    expect((await read("get_alerts", { project: p, run: "rest-run" })).map((a: any) => a.title)).toEqual(["from rest"]);
    expect(await read("get_tab_availability", { project: p })).toMatchObject({ metrics: true, system: false, reports: true });
  });

  it("answers get_settings with Trackio's keys and defaults", async ({ expect }) => {
    const s = await read("get_settings", {});
    expect(Object.keys(s).sort()).toEqual(["color_palette", "logo_urls", "media_dir", "plot_order", "space_id", "table_truncate_length"]);
    expect(s.color_palette[0]).toBe("#A8769B");
    expect(s.table_truncate_length).toBe(250);
  });
});
