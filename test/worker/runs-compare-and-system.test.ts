import { describe, it } from "vitest";
import { api, createKey, createRun, logEntries, uniqueProject } from "../helpers/api";

// Two REST routes the Python client needs: run comparison (the service MCP's compare_runs uses too) and
// system metrics (Trackio's log_system), both answered with the one error shape on bad input.

describe("GET /v1/projects/:project/compare", () => {
  it("compares runs by id or name: final and best per metric, the best run, differing config keys", async ({ expect }) => {
    const project = uniqueProject("cmp");
    const a = await createRun(project, { name: "a", config: { lr: 0.1, bs: 64 } });
    const b = await createRun(project, { name: "b", config: { lr: 0.01, bs: 64 } });
    await logEntries(project, a.id, [0.9, 0.4, 0.6].map((v, step) => ({ step, metrics: { val_loss: v, val_acc: 1 - v } })));
    await logEntries(project, b.id, [0.8, 0.5, 0.45].map((v, step) => ({ step, metrics: { val_loss: v, val_acc: 1 - v } })));

    const all = await api("GET", `/v1/projects/${project}/compare`);
    expect(all.status).toBe(200);
    expect(all.json.runs.map((r: { name: string }) => r.name)).toEqual(["a", "b"]);
    expect(all.json.differing_config_keys).toEqual(["lr"]);
    expect(all.json.metrics).toEqual([
      { name: "val_acc", mode: "max", best_run: { id: a.id, name: "a", step: 1, value: 0.6 } },
      { name: "val_loss", mode: "min", best_run: { id: a.id, name: "a", step: 1, value: 0.4 } },
    ]);
    expect(all.json.runs[1].metrics.val_loss).toMatchObject({ final: { step: 2, value: 0.45 }, best: { step: 2, value: 0.45 } });
    expect(all.json.truncated).toBe(false);

    const some = await api("GET", `/v1/projects/${project}/compare?runs=b&runs=${a.id}&metrics=val_loss&modes=val_loss:max`);
    expect(some.json.runs.map((r: { id: string }) => r.id)).toEqual([b.id, a.id]);
    expect(some.json.metrics).toEqual([{ name: "val_loss", mode: "max", best_run: { id: a.id, name: "a", step: 0, value: 0.9 } }]);
  });

  it("answers 404 for an unknown project or run and 400 naming a bad mode", async ({ expect }) => {
    const project = uniqueProject("cmp");
    await createRun(project, { name: "only" });
    expect((await api("GET", `/v1/projects/${project}-missing/compare`)).status).toBe(404);
    const run = await api("GET", `/v1/projects/${project}/compare?runs=ghost`);
    expect([run.status, run.json.error.message]).toEqual([404, `Run 'ghost' not found in project '${project}'`]);
    const bad = await api("GET", `/v1/projects/${project}/compare?mode=best`);
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].path).toBe("mode");
    const badModes = await api("GET", `/v1/projects/${project}/compare?modes=loss:up`);
    expect(badModes.status).toBe(400);
    expect(badModes.json.error.details[0].path).toBe("modes.loss");
  });
});

describe("POST /v1/projects/:project/runs/:run/system", () => {
  it("stores system metrics with the client's time, once per log_id, readable through Trackio's get_system_logs", async ({ expect }) => {
    const project = uniqueProject("sys");
    const run = await createRun(project, { name: "gpu" });
    const body = { logs: [{ metrics: { "gpu/0/utilization": 80 }, timestamp: "2026-11-28T16:57:00.5Z", log_id: "s1" }, { metrics: { "gpu/0/utilization": 90 }, log_id: "s2" }] };
    const r = await api("POST", `/v1/projects/${project}/runs/${run.id}/system`, { body });
    expect([r.status, r.json]).toEqual([200, { run_id: run.id, received: 2 }]);
    await api("POST", `/v1/projects/${project}/runs/gpu/system`, { body }); // by name, retried: stored once
    const rows = await api("POST", "/api/get_system_logs", { body: { args: [], kwargs: { project, run: "gpu" } } });
    expect(rows.json.data.map((x: Record<string, unknown>) => x["gpu/0/utilization"])).toEqual([80, 90]);
    expect(rows.json.data[0].timestamp).toBe("2026-11-28T16:57:00.500000+00:00");
  });

  it("refuses a bad entry whole with a 400 naming the field, a read key with 403, an unknown run with 404", async ({ expect }) => {
    const project = uniqueProject("sys");
    const run = await createRun(project, { name: "gpu" });
    const bad = await api("POST", `/v1/projects/${project}/runs/${run.id}/system`, { body: { logs: [{ metrics: { ok: 1 } }, { metrics: { x: 1 }, timestamp: "yesterday" }] } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].path).toBe("logs.1.timestamp");
    const rows = await api("POST", "/api/get_system_logs", { body: { args: [], kwargs: { project, run: "gpu" } } });
    expect(rows.json.data).toEqual([]);
    const reader = await createKey("read");
    expect((await api("POST", `/v1/projects/${project}/runs/${run.id}/system`, { body: { logs: [{ metrics: { x: 1 } }] }, token: reader })).status).toBe(403);
    expect((await api("POST", `/v1/projects/${project}/runs/ghost/system`, { body: { logs: [{ metrics: { x: 1 } }] } })).status).toBe(404);
  });
});
