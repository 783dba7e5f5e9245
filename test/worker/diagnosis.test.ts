import { describe, it } from "vitest";
import { DIAGNOSIS_MAX_BYTES } from "../../src/contract";
import { api, createRun, logEntries, uniqueProject } from "../helpers/api";
import { entries } from "../helpers/control";

type Metric = { name: string; last: number; best: number; best_step: number; trend: string; non_finite: number; goal: string | null };

async function diagnose(project: string, run: string) {
  const r = await api("GET", `/v1/projects/${project}/runs/${run}/diagnosis`);
  if (r.status !== 200) throw new Error(`diagnosis failed: ${r.status} ${r.text}`);
  return { body: r.json, bytes: new TextEncoder().encode(r.text).length };
}

const metric = (d: { metrics: Metric[] }, name: string) => d.metrics.find((m) => m.name === name)!;
// A small deterministic wobble, so no series is perfectly smooth.
const noise = (step: number) => Math.sin(step * 12.9898) * 0.005;

describe("run diagnosis", () => {
  it("a converging run: loss decreasing, best at the end, no flags", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "conv" });
    await logEntries(p, run.id, entries(0, 400, (s) => ({ "train/loss": 2 * Math.exp(-s / 100) + 0.05 + noise(s), "train/acc": (0.9 * s) / 400 })));
    const { body, bytes } = await diagnose(p, "conv");
    expect(bytes).toBeLessThanOrEqual(DIAGNOSIS_MAX_BYTES);
    expect(metric(body, "train/loss")).toMatchObject({ goal: "min", trend: "decreasing", non_finite: 0 });
    expect(metric(body, "train/loss").best_step).toBeGreaterThan(350);
    expect(metric(body, "train/acc")).toMatchObject({ goal: "max", trend: "increasing" });
    expect(body.flags).toEqual([]);
    expect(body).toMatchObject({ status: "running", last_step: 399, log_count: 400 });
    expect(body.seconds_since_last_entry).toBeGreaterThanOrEqual(0);
  });

  it("a plateaued run: loss flat over the recent part", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "flat" });
    await logEntries(p, run.id, entries(0, 400, (s) => ({ loss: (s < 100 ? 1.5 - s / 200 : 1) + noise(s) })));
    const { body } = await diagnose(p, "flat");
    expect(metric(body, "loss").trend).toBe("flat");
    expect(body.flags).toEqual([]);
  });

  it("a diverging run: a loss several-fold above its best is flagged, with its non-finite values counted", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "div" });
    await logEntries(p, run.id, entries(0, 300, (s) => ({ loss: s < 150 ? 1 - s / 300 : 0.5 * Math.exp((s - 150) / 40) })));
    await logEntries(p, run.id, [{ step: 300, metrics: { loss: "NaN" } }, { step: 301, metrics: { loss: "Infinity" } }]);
    // A retried batch is no new values.
    await logEntries(p, run.id, [{ step: 300, metrics: { loss: "NaN" }, log_id: "nan-1" }]);
    await logEntries(p, run.id, [{ step: 300, metrics: { loss: "NaN" }, log_id: "nan-1" }]);
    const { body } = await diagnose(p, "div");
    expect(metric(body, "loss")).toMatchObject({ trend: "diverging", non_finite: 3, best_step: 150 });
    expect(body.flags).toEqual(["diverging:loss", "non_finite:loss"]);
  });

  it("an overfitting run: train loss still falls while val loss climbs from its best", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "over" });
    await logEntries(p, run.id, entries(0, 400, (s) => ({
      train_loss: 2 * Math.exp(-s / 80) + 0.01,
      val_loss: s < 150 ? 2 * Math.exp(-s / 80) + 0.3 : 0.6 + (s - 150) / 250,
    })));
    const { body } = await diagnose(p, "over");
    expect(body.gaps).toHaveLength(1);
    expect(body.gaps[0]).toMatchObject({ train: "train_loss", val: "val_loss", overfitting: true });
    expect(body.gaps[0].gap).toBeGreaterThan(1);
    expect(body.flags).toContain("overfitting:val_loss");
    expect(metric(body, "train_loss").trend).toBe("decreasing");
  });

  it("stays within its bound for a long run with many long-named metrics, and names what it left out", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "big" });
    // 20 train/val pairs of 240-character names, each with a non-finite value: flags and gaps repeat the names.
    const stem = (i: number) => `${i}_${"gradient_norm_of_a_very_deep_module_".repeat(6)}loss`.slice(0, 236);
    const names = Array.from({ length: 20 }, (_, i) => [`train/${stem(i)}`, `val/${stem(i)}`]).flat();
    for (let from = 0; from < 1200; from += 400)
      await logEntries(p, run.id, entries(from, from + 400, (i) => Object.fromEntries(names.map((n, j) => [n, i === 7 ? "NaN" : 1 / (1 + i + j)]))).map((e) => ({ ...e, step: e.step * 5 })));
    await api("POST", `/v1/projects/${p}/runs/big/notes`, { body: { text: "n".repeat(4000) } });
    const { body, bytes } = await diagnose(p, "big");
    expect(bytes).toBeLessThanOrEqual(DIAGNOSIS_MAX_BYTES);
    expect(body.metrics.length).toBeGreaterThan(0);
    expect(body.metrics.length + body.metrics_omitted).toBe(40);
    expect(body.notes[0].text.length).toBeLessThanOrEqual(200);
    expect(body.last_step).toBe(5995);
    expect(body.metrics.length).toBeLessThan(16);
  });

  it("shows alerts by level with the newest titles, the notes and a stop request", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    await logEntries(p, run.id, entries(0, 10, (s) => ({ loss: 1 / (s + 1) })));
    for (const [title, level] of [["a", "warn"], ["b", "error"], ["c", "warn"], ["d", "warn"]])
      await api("POST", `/v1/projects/${p}/alerts`, { body: { run: "r", title, level } });
    await api("POST", `/v1/projects/${p}/runs/r/notes`, { body: { text: "trying warmup" } });
    await api("POST", `/v1/projects/${p}/runs/r/stop`, { body: { reason: "budget" } });
    const { body } = await diagnose(p, "r");
    expect(body.alerts.counts).toEqual({ info: 1, warn: 3, error: 1 });
    expect(body.alerts.recent.map((a: { title: string }) => a.title)).toEqual(["Stop requested", "d", "c"]);
    expect(body.notes).toMatchObject([{ text: "trying warmup" }]);
    expect(body.stop_requested).toMatchObject({ reason: "budget" });
    expect(body.flags).toContain("stop_requested");
    expect((await api("GET", `/v1/projects/${p}/runs/nope/diagnosis`)).status).toBe(404);
  });
});
