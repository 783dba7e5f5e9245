import type { z } from "zod";
import type { MetricPoint, MetricQuery, MetricValues, Series, SeriesQuery, Snapshot, SnapshotQuery } from "../contract";
import { countLogsBetween, logRowsBetween, metricNamesOf, rawPoints, rollupBuckets } from "../db/metrics";
import type { RunRow } from "../db/runs";
import { downsampleBuckets, downsamplePoints, pickWidth, RAW_BUCKET_LIMIT } from "../metrics/downsample";
import { parseTimestamp } from "../contract/time";
import { getRunOr404 } from "./run-refs";
import type { Svc } from "./context";

type Range = { lo: number; hi: number };

function rangeOf(q: { step?: number; around?: number; window: number; start?: number; end?: number }, run: RunRow): Range {
  if (q.step !== undefined) return { lo: q.step, hi: q.step };
  if (q.around !== undefined) return { lo: Math.max(0, q.around - q.window), hi: q.around + q.window };
  return { lo: q.start ?? 0, hi: q.end ?? Math.max(run.lastStep ?? 0, 0) };
}

const toPoint = (p: { step: number; timestamp: string; value: unknown }): MetricPoint => ({ step: p.step, timestamp: p.timestamp, value: p.value as MetricPoint["value"] });

/** Exact points bucketed to at most maxPoints (finite numbers only, as the rollup keeps). */
function bucketExact(points: MetricPoint[], maxPoints: number): MetricPoint[] {
  const numeric = points.filter((p) => typeof p.value === "number");
  return downsamplePoints(numeric.map((p) => ({ step: p.step, value: p.value as number, us: parseTimestamp(p.timestamp) ?? 0 })), maxPoints);
}

/**
 * A metric's values. Exact points when no `max_points` is asked or the range holds at most
 * `max_points` log rows (a zoomed window); otherwise the rollup of the finest width that fits,
 * reduced to first/last and per-bucket min/max, so a 1M-step series costs as much as a short one.
 */
export async function seriesOf(s: Svc, run: RunRow, metric: string, q: z.output<typeof MetricQuery> & { after?: number }): Promise<{ downsampled: boolean; values: MetricPoint[] }> {
  const r = rangeOf(q, run);
  if (q.after !== undefined) r.lo = Math.max(r.lo, q.after + 1);
  if (r.hi < r.lo) return { downsampled: false, values: [] };
  const maxPoints = q.max_points;
  if (maxPoints === undefined) {
    return { downsampled: false, values: (await rawPoints(s.env.DB, run.id, metric, r.lo, r.hi)).map(toPoint) };
  }
  const fullRange = r.lo <= 0 && r.hi >= (run.lastStep ?? 0);
  const rows = fullRange ? run.logCount : await countLogsBetween(s.env.DB, run.id, r.lo, r.hi);
  // max_points is at most MAX_POINTS_LIMIT (10k), under RAW_BUCKET_LIMIT: exact reads take this branch too.
  if (rows <= RAW_BUCKET_LIMIT) {
    const raw = (await rawPoints(s.env.DB, run.id, metric, r.lo, r.hi)).map(toPoint);
    return rows <= maxPoints ? { downsampled: false, values: raw } : { downsampled: true, values: bucketExact(raw, maxPoints) };
  }
  const width = pickWidth(r.hi - r.lo + 1, maxPoints);
  const buckets = (await rollupBuckets(s.env.DB, run.id, [metric], width, r.lo, r.hi)).get(metric) ?? [];
  return { downsampled: true, values: downsampleBuckets(buckets, maxPoints, r.lo, r.hi) };
}

export async function metricValues(s: Svc, project: string, ref: string, metric: string, q: z.output<typeof MetricQuery>): Promise<MetricValues> {
  const run = await getRunOr404(s, project, ref);
  const { downsampled, values } = await seriesOf(s, run, metric, q);
  return { project, run: run.name, run_id: run.id, metric, downsampled, values };
}

export async function metricNames(s: Svc, project: string, ref: string) {
  const run = await getRunOr404(s, project, ref);
  const names = await metricNamesOf(s.env.DB, run.id);
  return { project, run: run.name, run_id: run.id, metrics: names.map((n) => n.name) };
}

/** Every metric logged at a step, or within `window` steps around one. */
export async function snapshot(s: Svc, project: string, ref: string, q: z.output<typeof SnapshotQuery>): Promise<Snapshot> {
  const run = await getRunOr404(s, project, ref);
  const r = rangeOf({ ...q }, run);
  const rows = await logRowsBetween(s.env.DB, run.id, r.lo, r.hi);
  const metrics: Record<string, MetricPoint[]> = {};
  for (const row of rows) {
    for (const [name, value] of Object.entries(row.metrics)) {
      (metrics[name] ??= []).push(toPoint({ step: row.step, timestamp: row.timestamp, value }));
    }
  }
  const where = q.step !== undefined ? { step: q.step } : { around: q.around, window: q.window };
  return { project, run: run.name, run_id: run.id, ...where, metrics };
}

/**
 * Several runs × metrics at once (charts, comparisons); metrics default to each run's numeric
 * ones. Per run it costs one or two queries whatever the number of metrics: the log rows when the
 * range is short, else all the metrics' rollup buckets at one width.
 */
export async function series(s: Svc, project: string, q: z.output<typeof SeriesQuery>): Promise<Series> {
  const runs = await Promise.all(q.runs.map((ref) => getRunOr404(s, project, ref)));
  const perRun = await Promise.all(runs.map((run) => seriesOfRun(s, run, q)));
  return { project, series: perRun.flat() };
}

async function seriesOfRun(s: Svc, run: RunRow, q: z.output<typeof SeriesQuery>): Promise<Series["series"]> {
  const names = q.metrics ?? (await metricNamesOf(s.env.DB, run.id)).filter((n) => n.numeric).map((n) => n.name);
  const lo = q.after === undefined ? 0 : q.after + 1;
  const hi = Math.max(run.lastStep ?? 0, 0);
  const base = { run: run.name, run_id: run.id };
  if (!names.length || hi < lo) return names.map((metric) => ({ ...base, metric, downsampled: false, values: [] }));
  const rows = lo === 0 ? run.logCount : await countLogsBetween(s.env.DB, run.id, lo, hi);
  if (rows <= Math.min(4 * q.max_points, RAW_BUCKET_LIMIT)) {
    // Short enough to read every row once for all the metrics: exact, or bucketed from exact rows.
    const byName = new Map<string, MetricPoint[]>(names.map((n) => [n, []]));
    for (const row of await logRowsBetween(s.env.DB, run.id, lo, hi)) {
      for (const [name, value] of Object.entries(row.metrics)) byName.get(name)?.push(toPoint({ step: row.step, timestamp: row.timestamp, value }));
    }
    const exact = rows <= q.max_points;
    return names.map((metric) => {
      const values = byName.get(metric) ?? [];
      return exact ? { ...base, metric, downsampled: false, values } : { ...base, metric, downsampled: true, values: bucketExact(values, q.max_points) };
    });
  }
  const width = pickWidth(hi - lo + 1, q.max_points, 1);
  const buckets = await rollupBuckets(s.env.DB, run.id, names, width, lo, hi);
  return names.map((metric) => ({ ...base, metric, downsampled: true, values: downsampleBuckets(buckets.get(metric) ?? [], q.max_points, lo, hi) }));
}
