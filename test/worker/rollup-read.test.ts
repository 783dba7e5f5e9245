import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { rollupBuckets } from "../../src/db/metrics";
import { runWaitState } from "../../src/db/run-wait";
import { ROLLUP_WIDTHS } from "../../src/metrics/rollup";
import { createRun, logEntries, uniqueProject } from "../helpers/api";

// rollupBuckets (db/metrics.ts) must answer what a plain scan of the table finds for the same
// metrics and buckets, each metric's buckets in order, for dense, sparse and stopped series.
const scan = async (runId: string, names: string[], width: number, lo: number, hi: number) => {
  const { results } = await env.DB.prepare(
    `SELECT name, bucket, first AS f, last AS l, min AS a, max AS z FROM metric_rollups
     WHERE run_id = ?1 AND width = ?2 AND bucket BETWEEN ?3 AND ?4 AND name IN (SELECT value FROM json_each(?5)) ORDER BY name, bucket`,
  )
    .bind(runId, width, Math.floor(lo / width), Math.floor(hi / width), JSON.stringify(names))
    .all<{ name: string; bucket: number; f: number; l: number; a: number; z: number }>();
  return results.map((r) => `${r.name}@${r.bucket}:${r.f},${r.l},${r.a},${r.z}`);
};

// Each metric's buckets must come in bucket order; the metrics themselves in any order.
const read = async (runId: string, names: string[], width: number, lo: number, hi: number) =>
  [...(await rollupBuckets(env.DB, runId, names, width, lo, hi))]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([name, buckets]) => buckets.map((b) => `${name}@${b.bucket}:${b.f},${b.l},${b.a},${b.z}`));

describe("rollup reads", () => {
  it("find what a scan finds, for dense, sparse and stopped metrics", async ({ expect }) => {
    const p = uniqueProject("rr");
    const run = await createRun(p, { name: "r" });
    // dense: every step; sparse: every 997th; early: only below step 3000; late: from 20,000 on.
    const logs = Array.from({ length: 25_000 }, (_, s) => {
      const m: Record<string, number> = { dense: Math.sin(s / 50) };
      if (s % 997 === 0) m.sparse = s;
      if (s < 3000) m.early = -s;
      if (s >= 20_000) m.late = s / 2;
      return { step: s, metrics: m };
    });
    for (let i = 0; i < logs.length; i += 5000) expect((await logEntries(p, run.id, logs.slice(i, i + 5000))).status).toBe(200);
    const names = [["dense"], ["sparse"], ["early"], ["late"], ["dense", "sparse", "late"], ["missing"]];
    const ranges = [[0, 24_999], [1234, 8901], [2999, 20_001], [24_000, 1e9], [30_000, 40_000]];
    let compared = 0;
    for (const width of ROLLUP_WIDTHS)
      for (const n of names)
        for (const [lo, hi] of ranges) {
          const expected = await scan(run.id, n, width, lo, hi);
          expect(await read(run.id, n, width, lo, hi), `${n} ${width} ${lo}-${hi}`).toEqual(expected);
          compared += expected.length;
        }
    expect(compared).toBeGreaterThan(4000);
  });

  it("give a metric's latest value, also for a metric that stopped long ago", async ({ expect }) => {
    const p = uniqueProject("rr");
    const run = await createRun(p, { name: "r" });
    const logs = Array.from({ length: 10_000 }, (_, s) => ({ step: s, metrics: s < 100 ? { early: s * 2, loss: -s } : { loss: -s } }));
    expect((await logEntries(p, run.id, logs)).status).toBe(200);
    expect((await runWaitState(env.DB, run.id, "loss"))?.value).toEqual({ value: -9999, step: 9999 });
    expect((await runWaitState(env.DB, run.id, "early"))?.value).toEqual({ value: 198, step: 99 });
    expect((await runWaitState(env.DB, run.id, "absent"))?.value).toBeUndefined();
  });
});
