import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, it } from "vitest";
import { baseUrl, call, callError, connect, makeKey, restOk, uniqueProject } from "../helpers/mcp-e2e";

const project = uniqueProject("mcp-read");
let client: Client;
let runA: { id: string; name: string };
let runB: { id: string; name: string };

// Two runs of a sweep: A (lr 0.1) ends with the lower loss, B (lr 0.01) reaches the best accuracy.
const lossA = [2.0, 1.2, 0.7, 0.4, 0.5];
const accA = [0.2, 0.5, 0.7, 0.8, 0.78];
const lossB = [2.1, 1.6, 1.1, 0.9, 0.6];
const accB = [0.1, 0.4, 0.6, 0.85, 0.83];

beforeAll(async () => {
  const write = await makeKey("write", [project]);
  runA = await restOk("POST", `/v1/projects/${project}/runs`, { token: write, body: { name: "lr-0.1", group: "sweep", config: { lr: 0.1, batch: 64 } } });
  runB = await restOk("POST", `/v1/projects/${project}/runs`, { token: write, body: { name: "lr-0.01", group: "sweep", config: { lr: 0.01, batch: 64 } } });
  await restOk("POST", `/v1/projects/${project}/runs/${runA.id}/logs`, {
    token: write,
    body: { logs: lossA.map((loss, step) => ({ step, metrics: { loss, val_accuracy: accA[step] } })) },
  });
  await restOk("POST", `/v1/projects/${project}/runs/${runB.id}/logs`, {
    token: write,
    body: { logs: [...lossB.map((loss, step) => ({ step, metrics: { loss, val_accuracy: accB[step] } })), { step: 5, metrics: { loss: "NaN" } }] },
  });
  await restOk("POST", `/v1/projects/${project}/alerts`, {
    token: write,
    body: {
      alerts: [
        { run: "lr-0.1", title: "Warmup finished", level: "info", step: 1, timestamp: "2026-11-28T10:00:00+00:00" },
        { run: "lr-0.1", title: "Loss plateau", text: "flat for 3 evals", level: "warn", step: 3, timestamp: "2026-11-28T10:00:01.500000Z" },
        { run: runA.id, title: "Accuracy dropped", text: "val_accuracy fell at step 4", level: "error", step: 4, timestamp: "2026-11-28T11:00:02+01:00" },
      ],
    },
  });
  // System metrics arrive through Trackio's protocol (its log_system / GPU logging).
  const sys = await fetch(`${baseUrl()}/api/bulk_log_system`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-trackio-write-token": write },
    body: JSON.stringify({
      kwargs: {
        logs: [
          { project, run: "lr-0.1", run_id: runA.id, metrics: { "gpu/0/util": 91.5 }, timestamp: "2026-11-28T10:00:00+00:00" },
          { project, run: "lr-0.1", run_id: runA.id, metrics: { "gpu/0/util": 88 }, timestamp: "2026-11-28T10:00:05+00:00" },
        ],
        hf_token: null,
      },
    }),
  });
  if (sys.status !== 200) throw new Error(`bulk_log_system -> ${sys.status} ${await sys.text()}`);
  client = await connect(await makeKey("read", [project]));
});

afterAll(async () => {
  await client?.close();
});

describe("MCP read tools (Trackio's names and shapes)", () => {
  it("lists every tool with an input and an output schema", async ({ expect }) => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    for (const name of [
      "get_all_projects", "get_runs_for_project", "get_project_summary", "get_run_summary", "get_metrics_for_run",
      "get_metric_values", "get_snapshot", "get_logs", "get_system_logs", "get_media", "get_alerts", "get_settings", "wait_for_alerts", "compare_runs", "log_alert", "finish_run", "rename_run",
      "delete_run",
    ]) expect(names).toContain(name);
    for (const t of tools) {
      expect(t.description!.length, t.name).toBeGreaterThan(40);
      expect(t.inputSchema.type).toBe("object");
      expect(t.outputSchema?.type, t.name).toBe("object");
    }
    const values = tools.find((t) => t.name === "get_metric_values")!;
    expect(values.inputSchema.required).toEqual(expect.arrayContaining(["project", "metric_name"]));
    expect(values.annotations?.readOnlyHint).toBe(true);
    const alerts = tools.find((t) => t.name === "get_alerts")!;
    expect((alerts.inputSchema.properties as any).min_level.enum).toEqual(["info", "warn", "error"]);
    expect(alerts.inputSchema.additionalProperties).toBe(false);
    expect(tools.find((t) => t.name === "delete_run")!.annotations?.destructiveHint).toBe(true);
  });

  it("get_all_projects shows only the projects the key may see", async ({ expect }) => {
    expect(await call(client, "get_all_projects")).toEqual({ result: [project] });
  });

  it("get_runs_for_project lists runs oldest first as {id, name, created_at}", async ({ expect }) => {
    const { result } = await call(client, "get_runs_for_project", { project });
    expect(result.map((r: any) => r.name)).toEqual(["lr-0.1", "lr-0.01"]);
    expect(Object.keys(result[0]).sort()).toEqual(["created_at", "id", "name"]);
    expect(result[0].created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/);
  });

  it("get_project_summary counts runs, last_activity the time of the last log (as REST), last_step the highest step", async ({ expect }) => {
    const s = await call(client, "get_project_summary", { project });
    expect(s).toMatchObject({ project, num_runs: 2, last_step: 5 });
    expect(s.last_activity).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/);
    expect(s.runs.map((r: any) => r.id)).toEqual([runA.id, runB.id]);
  });

  it("get_run_summary gives Trackio's summary plus status and alert counts", async ({ expect }) => {
    const s = await call(client, "get_run_summary", { project, run: "lr-0.1" });
    expect(s).toMatchObject({
      project, run: "lr-0.1", run_id: runA.id, num_logs: 5, metrics: ["loss", "val_accuracy"], last_step: 4, status: "running",
      alert_counts: { info: 1, warn: 1, error: 1 },
    });
    expect(s.config).toMatchObject({ lr: 0.1, batch: 64, _Group: "sweep" });
    const byId = await call(client, "get_run_summary", { project, run_id: runB.id });
    expect(byId.run).toBe("lr-0.01");
  });

  it("get_metrics_for_run lists metric names", async ({ expect }) => {
    expect(await call(client, "get_metrics_for_run", { project, run: "lr-0.01" })).toEqual({ result: ["loss", "val_accuracy"] });
  });

  it("get_metric_values returns all points, one step, or a window", async ({ expect }) => {
    const all = await call(client, "get_metric_values", { project, run: "lr-0.1", metric_name: "loss" });
    expect(all.downsampled).toBe(false);
    expect(all.result.map((p: any) => [p.step, p.value])).toEqual(lossA.map((v, i) => [i, v]));
    const one = await call(client, "get_metric_values", { project, run: "lr-0.1", metric_name: "loss", step: 2 });
    expect(one.result).toEqual([{ step: 2, value: 0.7, timestamp: expect.any(String) }]);
    const win = await call(client, "get_metric_values", { project, run: "lr-0.1", metric_name: "loss", around_step: 3, window: 1 });
    expect(win.result.map((p: any) => p.step)).toEqual([2, 3, 4]);
    const nan = await call(client, "get_metric_values", { project, run: "lr-0.01", metric_name: "loss", step: 5 });
    expect(nan.result[0].value).toBe("NaN");
  });

  it("get_metric_values and get_snapshot select a window of seconds around at_time", async ({ expect }) => {
    const all = await call(client, "get_metric_values", { project, run: "lr-0.1", metric_name: "loss" });
    const at = all.result[0].timestamp;
    const near = await call(client, "get_metric_values", { project, run: "lr-0.1", metric_name: "loss", at_time: at, window: 5 });
    expect(near.result.map((p: any) => p.value)).toEqual(lossA);
    const far = await call(client, "get_metric_values", { project, run: "lr-0.1", metric_name: "loss", at_time: "2001-01-01T00:00:00Z", window: 5 });
    expect(far.result).toEqual([]);
    const snap = await call(client, "get_snapshot", { project, run: "lr-0.1", at_time: at, window: 5 });
    expect(snap.val_accuracy.map((p: any) => p.value)).toEqual(accA);
  });

  it("get_snapshot returns every metric at a step", async ({ expect }) => {
    const snap = await call(client, "get_snapshot", { project, run: "lr-0.1", step: 3 });
    expect(Object.keys(snap).sort()).toEqual(["loss", "val_accuracy"]);
    expect(snap.loss).toEqual([{ step: 3, value: 0.4, timestamp: expect.any(String) }]);
    expect(snap.val_accuracy[0].value).toBe(0.8);
  });

  it("compare_runs puts configs, final and best values side by side", async ({ expect }) => {
    const cmp = await call(client, "compare_runs", { project });
    expect(cmp.truncated).toBe(false);
    expect(cmp.differing_config_keys).toEqual(["lr"]);
    expect(cmp.metrics).toEqual([
      { name: "loss", mode: "min", best_run: { id: runA.id, name: "lr-0.1", step: 3, value: 0.4 } },
      { name: "val_accuracy", mode: "max", best_run: { id: runB.id, name: "lr-0.01", step: 3, value: 0.85 } },
    ]);
    const a = cmp.runs.find((r: any) => r.id === runA.id);
    expect(a).toMatchObject({ name: "lr-0.1", group: "sweep", status: "running", last_step: 4, config: { lr: 0.1, batch: 64 } });
    expect(a.metrics.loss.final).toMatchObject({ step: 4, value: 0.5 });
    expect(a.metrics.loss.best).toMatchObject({ step: 3, value: 0.4 });
    const b = cmp.runs.find((r: any) => r.id === runB.id);
    expect(b.metrics.loss.final).toMatchObject({ step: 5, value: "NaN" });
    expect(b.metrics.loss.best).toMatchObject({ step: 4, value: 0.6 });

    const forced = await call(client, "compare_runs", { project, runs: ["lr-0.1", "lr-0.01"], metrics: ["val_accuracy"], modes: { val_accuracy: "min" } });
    expect(forced.metrics).toEqual([{ name: "val_accuracy", mode: "min", best_run: { id: runB.id, name: "lr-0.01", step: 0, value: 0.1 } }]);
    expect(Object.keys(forced.runs[0].metrics)).toEqual(["val_accuracy"]);
  });

  it("get_logs returns whole rows as Trackio does", async ({ expect }) => {
    const { result } = await call(client, "get_logs", { project, run: "lr-0.1" });
    expect(result).toHaveLength(5);
    expect(result[3]).toEqual({ loss: 0.4, val_accuracy: 0.8, step: 3, timestamp: expect.stringMatching(/\+00:00$/) });
    const b = await call(client, "get_logs", { project, run_id: runB.id });
    expect(b.result.at(-1)).toMatchObject({ step: 5, loss: null });
    expect(await callError(client, "get_logs", { project, run: "ghost" })).toContain("Run 'ghost' not found");
  });

  it("get_system_logs returns the run's system metrics, empty when none were logged", async ({ expect }) => {
    expect(await call(client, "get_system_logs", { project, run: "lr-0.1" })).toEqual({
      result: [
        { "gpu/0/util": 91.5, timestamp: "2026-11-28T10:00:00+00:00" },
        { "gpu/0/util": 88, timestamp: "2026-11-28T10:00:05+00:00" },
      ],
    });
    expect(await call(client, "get_system_logs", { project, run: "lr-0.01" })).toEqual({ result: [] });
  });

  it("get_settings returns Trackio's settings object", async ({ expect }) => {
    const s = await call(client, "get_settings");
    expect(s).toMatchObject({ table_truncate_length: 250, logo_urls: { light: null, dark: null } });
    expect(s.color_palette.length).toBeGreaterThan(3);
  });

  // Run B logged a NaN, on which the server's built-in detectors may raise alerts of their own;
  // the exact expectations below are on run A, whose alerts are only the three seeded ones.
  it("get_alerts returns Trackio's alert items newest first, filtered", async ({ expect }) => {
    const all = await call(client, "get_alerts", { project });
    expect(all.result.filter((a: any) => a.run === "lr-0.1").map((a: any) => a.title)).toEqual(["Accuracy dropped", "Loss plateau", "Warmup finished"]);
    expect(all.result.find((a: any) => a.title === "Loss plateau")).toEqual({
      timestamp: "2026-11-28T10:00:01.500000+00:00", run: "lr-0.1", title: "Loss plateau", text: "flat for 3 evals", level: "warn", step: 3,
    });
    expect(all.has_more).toBe(false);
    const titles = async (args: Record<string, unknown>) => (await call(client, "get_alerts", { project, run: "lr-0.1", ...args })).result.map((a: any) => a.title);
    expect(await titles({})).toEqual(["Accuracy dropped", "Loss plateau", "Warmup finished"]);
    expect(await titles({ run: undefined, run_id: runA.id })).toEqual(["Accuracy dropped", "Loss plateau", "Warmup finished"]);
    expect(await titles({ level: "warn" })).toEqual(["Loss plateau"]);
    expect(await titles({ min_level: "warn" })).toEqual(["Accuracy dropped", "Loss plateau"]);
    // 11:00:02+01:00 is 10:00:02 UTC: compared as instants, not as strings.
    expect(await titles({ since: "2026-11-28T10:00:01.6Z" })).toEqual(["Accuracy dropped"]);
    expect(await titles({ since: "2026-11-28T10:00:00Z" })).toEqual(["Accuracy dropped", "Loss plateau"]);
    expect(await callError(client, "get_alerts", { project, run: "no-such-run" })).toContain("Run 'no-such-run' not found");
  });

  it("get_alerts pages exactly with cursor = next_cursor", async ({ expect }) => {
    const page = (cursor: number) => call(client, "get_alerts", { project, run: "lr-0.1", cursor, limit: 2 });
    const first = await page(0);
    expect(first.result.map((a: any) => a.title)).toEqual(["Loss plateau", "Warmup finished"]);
    expect(first.has_more).toBe(true);
    const second = await page(first.next_cursor);
    expect(second.result.map((a: any) => a.title)).toEqual(["Accuracy dropped"]);
    expect(second.has_more).toBe(false);
    const third = await page(second.next_cursor);
    expect(third.result).toEqual([]);
    expect(third.has_more).toBe(false);
    expect(third.next_cursor).toBeGreaterThanOrEqual(second.next_cursor);
  });

  it("answers an unknown run or project with a tool error naming it", async ({ expect }) => {
    expect(await callError(client, "get_run_summary", { project, run: "no-such-run" })).toContain("Run 'no-such-run' not found");
    expect(await callError(client, "get_metric_values", { project, run: "lr-0.1", metric_name: "loss", step: 1, around_step: 2 })).toMatch(/at most one of step, around_step and at_time/);
    expect(await callError(client, "get_run_summary", { project })).toMatch(/run or run_id/);
  });
});
