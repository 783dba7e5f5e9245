import { describe, it } from "vitest";
import { api, createRun, logEntries, uniqueProject } from "../helpers/api";

type Point = { step: number; value: number };
const get = async (path: string) => (await api("GET", path)).json;

/** The exact answer the downsampled read must contain: first, last, every bucket's min and max. */
function mustKeep(points: Point[]) {
  const min = points.reduce((a, b) => (b.value < a.value ? b : a));
  const max = points.reduce((a, b) => (b.value > a.value ? b : a));
  return { first: points[0], last: points[points.length - 1], min, max };
}

describe("metric reads", () => {
  it("reads at a step, around a step with a window, and a snapshot", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    await logEntries(p, run.id, Array.from({ length: 30 }, (_, i) => ({ metrics: { loss: 100 - i, acc: i / 30 } })));
    const base = `/v1/projects/${p}/runs/${run.id}`;
    expect((await get(`${base}/metrics/loss?step=5`)).values.map((v: Point) => v.value)).toEqual([95]);
    expect((await get(`${base}/metrics/loss?around=10&window=2`)).values.map((v: Point) => v.step)).toEqual([8, 9, 10, 11, 12]);
    const snap = await get(`${base}/snapshot?around=3&window=1`);
    expect(Object.keys(snap.metrics).sort()).toEqual(["acc", "loss"]);
    expect(snap.metrics.loss.map((v: Point) => v.step)).toEqual([2, 3, 4]);
    expect((await get(`${base}/metrics`)).metrics).toEqual(["acc", "loss"]);
    const bad = await api("GET", `${base}/metrics/loss?step=abc`);
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].path).toBe("step");
    const both = await api("GET", `${base}/metrics/loss?step=1&around=2`);
    expect(both.status).toBe(400);
  });

  it("reads metric names with slashes", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    await logEntries(p, run.id, [{ metrics: { "train/loss": 1, 'we"ird': 2 } }]);
    expect((await get(`/v1/projects/${p}/runs/${run.id}/metrics/train/loss`)).values[0].value).toBe(1);
    expect((await get(`/v1/projects/${p}/runs/${run.id}/metrics/${encodeURIComponent('we"ird')}`)).values[0].value).toBe(2);
  });

  it("downsamples exact rows to max_points keeping first, last, minimum and maximum", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    const pts: Point[] = Array.from({ length: 5000 }, (_, i) => ({ step: i, value: Math.sin(i / 50) + (i === 2345 ? 50 : 0) - (i === 4000 ? 70 : 0) }));
    for (let i = 0; i < pts.length; i += 2500) await logEntries(p, run.id, pts.slice(i, i + 2500).map((x) => ({ step: x.step, metrics: { y: x.value } })));
    const r = await get(`/v1/projects/${p}/runs/${run.id}/metrics/y?max_points=200`);
    expect(r.downsampled).toBe(true);
    expect(r.values.length).toBeLessThanOrEqual(200);
    const keep = mustKeep(pts);
    const steps = r.values.map((v: Point) => v.step);
    for (const k of Object.values(keep)) expect(steps).toContain(k.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
  });

  it("reads a long series from the rollup with the same extremes as the raw rows", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "long" });
    const n = 40_000;
    const value = (i: number) => Math.cos(i / 700) * 10 + (i === 12_345 ? 999 : 0) + (i === 33_333 ? -999 : 0);
    for (let start = 0; start < n; start += 5000) {
      const logs = Array.from({ length: 5000 }, (_, k) => ({ step: start + k, metrics: { y: value(start + k) } }));
      expect((await logEntries(p, run.id, logs)).status).toBe(200);
    }
    const r = await get(`/v1/projects/${p}/runs/${run.id}/metrics/y?max_points=1000`);
    expect(r.downsampled).toBe(true);
    expect(r.values.length).toBeLessThanOrEqual(1000);
    expect(r.values.length).toBeGreaterThan(400);
    const steps = r.values.map((v: Point) => v.step);
    expect(steps[0]).toBe(0);
    expect(steps[steps.length - 1]).toBe(n - 1);
    expect(r.values.find((v: Point) => v.step === 12_345)?.value).toBe(value(12_345));
    expect(r.values.find((v: Point) => v.step === 33_333)?.value).toBe(value(33_333));
    // A zoomed window is read exactly from the rows.
    const zoom = await get(`/v1/projects/${p}/runs/${run.id}/metrics/y?max_points=1000&start=12000&end=12499`);
    expect(zoom.downsampled).toBe(false);
    expect(zoom.values).toHaveLength(500);
  });

  it("returns several runs × metrics at once, and only new points after a step", async ({ expect }) => {
    const p = uniqueProject();
    const a = await createRun(p, { name: "a" });
    const b = await createRun(p, { name: "b" });
    await logEntries(p, a.id, Array.from({ length: 10 }, (_, i) => ({ metrics: { loss: i, acc: i } })));
    await logEntries(p, b.id, Array.from({ length: 5 }, (_, i) => ({ metrics: { loss: i, note: { x: 1 } } })));
    const s = await get(`/v1/projects/${p}/series?runs=${a.id},${b.id}&max_points=100`);
    const keys = s.series.map((x: { run: string; metric: string; values: unknown[] }) => `${x.run}/${x.metric}/${x.values.length}`).sort();
    expect(keys).toEqual(["a/acc/10", "a/loss/10", "b/loss/5"]);
    const after = await get(`/v1/projects/${p}/series?runs=a&metrics=loss&after=7`);
    expect(after.series[0].values.map((v: Point) => v.step)).toEqual([8, 9]);
  });

  it("downsamples every metric of several runs, keeping each series' spikes", async ({ expect }) => {
    const p = uniqueProject();
    const short = await createRun(p, { name: "short" });
    const long = await createRun(p, { name: "long" });
    const v = (i: number, spikeAt: number) => Math.sin(i / 100) + (i === spikeAt ? 500 : 0);
    await logEntries(p, short.id, Array.from({ length: 3000 }, (_, i) => ({ step: i, metrics: { a: v(i, 1234), b: -v(i, 2222) } })));
    for (let start = 0; start < 30_000; start += 5000)
      await logEntries(p, long.id, Array.from({ length: 5000 }, (_, k) => ({ step: start + k, metrics: { a: v(start + k, 27_000) } })));
    const s = await get(`/v1/projects/${p}/series?runs=short,long&max_points=500`);
    const by = Object.fromEntries(s.series.map((x: { run: string; metric: string }) => [`${x.run}/${x.metric}`, x]));
    expect(Object.keys(by).sort()).toEqual(["long/a", "short/a", "short/b"]);
    for (const [key, spike] of [["short/a", 1234], ["short/b", 2222], ["long/a", 27_000]] as const) {
      expect(by[key].downsampled, key).toBe(true);
      expect(by[key].values.length, key).toBeLessThanOrEqual(500);
      expect(by[key].values.map((x: Point) => x.step), key).toContain(spike);
    }
  });
});
