import { beforeAll, describe, inject, it } from "vitest";
import * as trackflare from "../../sdk/src/index";
import { cli, TRACKIO_TS } from "../helpers/cli";

// The seed workflow: a training script logs through the SDK; an agent reads everything back
// with the CLI, whose --json documents have Trackio's keys (reference: trackio 0.36 cli.py).

let seq = 0;
const uniqueProject = (p: string) => `${p}-${Date.now().toString(36)}-${(seq++).toString(36)}`;
const ALERT_KEYS = ["timestamp", "run", "title", "text", "level", "step"];
const POINT_KEYS = ["timestamp", "step", "value"];

describe("seed workflow: SDK writes, CLI reads", () => {
  const project = uniqueProject("seed");
  const config = { lr: 0.01, batch_size: 64, model: "mlp", augment: { hflip: true } };
  const warnings: string[] = [];
  let run: trackflare.Run;

  beforeAll(async () => {
    run = await trackflare.init({
      project,
      name: "lr-0.01",
      group: "sweep",
      config,
      url: inject("baseUrl"),
      token: inject("adminToken"),
      onWarning: (m) => warnings.push(m),
      quiet: true,
      exitHook: false,
    });
    for (let i = 0; i < 50; i++) trackflare.log({ loss: 1 / (i + 1), "train/acc": i / 50 });
    trackflare.alert("loss plateau", "no progress for 10 steps", trackflare.AlertLevel.INFO);
    trackflare.alert("lr too high"); // Trackio's default: warn, no text
    trackflare.alert("diverged", "loss is NaN", "ERROR"); // a plain string in any case, which Trackio drops
    await trackflare.finish();
  });

  it("initialises with the config, delivers everything and finishes without a warning", async ({ expect }) => {
    expect(run.id).toMatch(/^[0-9a-f]{32}$/);
    expect(run.name).toBe("lr-0.01");
    expect(String(run)).toBe(`<Run lr-0.01 (${run.id.slice(0, 8)}) in project ${project}>`);
    expect(trackflare.config).toMatchObject(config);
    expect(warnings).toEqual([]);
    expect(run.stats()).toMatchObject({ buffered_logs: 0, buffered_alerts: 0, delivered_logs: 50, delivered_alerts: 3 });
  });

  it("list projects: {projects: [names]} sorted", async ({ expect }) => {
    const r = await cli(["list", "projects", "--json"]);
    expect(r.code).toBe(0);
    expect(Object.keys(r.json)).toEqual(["projects"]);
    expect(r.json.projects).toContain(project);
    expect(r.json.projects).toEqual([...r.json.projects].sort());
  });

  it("list runs and list metrics", async ({ expect }) => {
    const runs = await cli(["list", "runs", "--project", project, "--json"]);
    expect(runs.json).toEqual({ project, runs: ["lr-0.01"], run_ids: [run.id] });
    const metrics = await cli(["list", "metrics", "--project", project, "--run", "lr-0.01", "--json"]);
    expect(metrics.json).toEqual({ project, run: "lr-0.01", metrics: ["loss", "train/acc"] });
  });

  it("get project: Trackio's keys, last_activity the time of the last log as in REST, last_step the highest step", async ({ expect }) => {
    const r = await cli(["get", "project", "--project", project, "--json"]);
    expect(Object.keys(r.json)).toEqual(["project", "num_runs", "runs", "last_activity", "last_step"]);
    const rest = await new trackflare.Api({ url: inject("baseUrl"), token: inject("adminToken") }).client.projects.get(project);
    expect(r.json).toMatchObject({ project, num_runs: 1, last_activity: rest.last_activity, last_step: 49 });
    expect(r.json.last_activity).toMatch(TRACKIO_TS);
    expect(Object.keys(r.json.runs[0])).toEqual(["id", "name", "created_at"]);
    expect(r.json.runs[0]).toMatchObject({ id: run.id, name: "lr-0.01" });
    expect(r.json.runs[0].created_at).toMatch(TRACKIO_TS);
  });

  it("get run: logs, sorted metrics, config with Trackio's _ keys, last step", async ({ expect }) => {
    const r = await cli(["get", "run", "--project", project, "--run", "lr-0.01", "--json"]);
    expect(Object.keys(r.json).slice(0, 7)).toEqual(["project", "run", "run_id", "num_logs", "metrics", "config", "last_step"]);
    expect(r.json).toMatchObject({ project, run: "lr-0.01", run_id: run.id, num_logs: 50, metrics: ["loss", "train/acc"], last_step: 49, status: "finished" });
    expect(r.json.config).toMatchObject({ ...config, _Username: null, _Group: "sweep" });
    expect(r.json.config._Created).toMatch(TRACKIO_TS);
  });

  it("get metric: all values, --step, --around/--window", async ({ expect }) => {
    const all = await cli(["get", "metric", "--project", project, "--run", "lr-0.01", "--metric", "loss", "--json"]);
    expect(Object.keys(all.json)).toEqual(["project", "run", "metric", "values"]);
    expect(all.json.values).toHaveLength(50);
    expect(Object.keys(all.json.values[0])).toEqual(POINT_KEYS);
    expect(all.json.values.map((v: { step: number }) => v.step)).toEqual([...Array(50).keys()]);
    expect(all.json.values[3].value).toBeCloseTo(0.25);
    expect(all.json.values[0].timestamp).toMatch(TRACKIO_TS);

    const one = await cli(["get", "metric", "--project", project, "--run", "lr-0.01", "--metric", "train/acc", "--step", "10", "--json"]);
    expect(one.json.values).toEqual([expect.objectContaining({ step: 10, value: 0.2 })]);

    const around = await cli(["get", "metric", "--project", project, "--run", "lr-0.01", "--metric", "loss", "--around", "20", "--window", "2", "--json"]);
    expect(around.json.values.map((v: { step: number }) => v.step)).toEqual([18, 19, 20, 21, 22]);
  });

  it("get snapshot: every metric at a step, or around one", async ({ expect }) => {
    const at = await cli(["get", "snapshot", "--project", project, "--run", "lr-0.01", "--step", "0", "--json"]);
    expect(Object.keys(at.json)).toEqual(["project", "run", "metrics", "step"]);
    expect(at.json.metrics.loss).toEqual([expect.objectContaining({ step: 0, value: 1 })]);
    expect(Object.keys(at.json.metrics).sort()).toEqual(["loss", "train/acc"]);
    const around = await cli(["get", "snapshot", "--project", project, "--run", "lr-0.01", "--around", "10", "--window", "1", "--json"]);
    expect(around.json).toMatchObject({ project, run: "lr-0.01", around: 10, window: 1 });
    expect(around.json.metrics["train/acc"].map((p: { step: number }) => p.step)).toEqual([9, 10, 11]);
  });

  it("list/get alerts: Trackio's document and items, newest first, filters echoed", async ({ expect }) => {
    const r = await cli(["list", "alerts", "--project", project, "--json"]);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ project, run: null, level: null, since: null });
    expect(r.json.alerts.map((a: { title: string }) => a.title)).toEqual(["diverged", "lr too high", "loss plateau"]);
    for (const a of r.json.alerts) {
      expect(Object.keys(a)).toEqual(ALERT_KEYS);
      expect(a.timestamp).toMatch(TRACKIO_TS);
      expect(a).toMatchObject({ run: "lr-0.01", step: 49 });
    }
    expect(r.json.alerts.map((a: { level: string }) => a.level)).toEqual(["error", "warn", "info"]);
    expect(r.json.alerts[1].text).toBeNull();
    expect(typeof r.json.next_cursor).toBe("number");

    const get = await cli(["get", "alerts", "--project", project, "--json"]);
    expect(get.json.alerts).toEqual(r.json.alerts);

    const errors = await cli(["list", "alerts", "--project", project, "--level", "error", "--json"]);
    expect(errors.json).toMatchObject({ level: "error", alerts: [expect.objectContaining({ title: "diverged" })] });
    expect(errors.json.alerts).toHaveLength(1);

    const atLeastWarn = await cli(["get", "alerts", "--project", project, "--min-level", "warn", "--json"]);
    expect(atLeastWarn.json.alerts.map((a: { level: string }) => a.level)).toEqual(["error", "warn"]);

    const byRun = await cli(["list", "alerts", "--project", project, "--run", "lr-0.01", "--json"]);
    expect(byRun.json).toMatchObject({ run: "lr-0.01" });
    expect(byRun.json.alerts).toHaveLength(3);

    const infoTs = r.json.alerts[2].timestamp;
    const since = await cli(["list", "alerts", "--project", project, "--since", infoTs, "--json"]);
    expect(since.json.since).toBe(infoTs);
    expect(since.json.alerts.map((a: { title: string }) => a.title)).toEqual(["diverged", "lr too high"]);
  });

  it("prints Trackio's human views without --json", async ({ expect }) => {
    const alerts = await cli(["list", "alerts", "--project", project]);
    const lines = alerts.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("Found 3 alert(s):");
    expect(lines[1]).toBe("Timestamp | Run | Level | Title | Text | Step");
    expect(lines[2]).toBe("-".repeat(80));
    expect(lines[3]).toMatch(/^\S+ \| lr-0\.01 \| ERROR \| diverged \| loss is NaN \| 49$/);
    const runs = await cli(["list", "runs", "--project", project]);
    expect(runs.stdout).toBe(`Runs:\n  - lr-0.01  ${run.id.slice(0, 8)}\n`);
    const none = await cli(["list", "alerts", "--project", project, "--level", "info", "--run", "no-such-run"]);
    expect(none.stdout).toBe("No alerts found.\n");
  });
});
