import type { MetricPoint } from "../contract";
import { formatTimestamp } from "../contract/time";
import { mergeBucket, pointBucket, ROLLUP_WIDTHS, type Bucket } from "./rollup";

/** A series of at most this many log rows is bucketed from its exact rows (a few tens of ms). */
export const RAW_BUCKET_LIMIT = 20_000;

/**
 * The finest rollup width whose bucket count over `span` steps is at most `rowsPerPoint` ×
 * maxPoints. One series reads up to 4 rows a point, enough to merge into maxPoints/2 min/max
 * pairs in a few ms; a many-series read (all metrics of many runs) takes 1, so its cost stays
 * proportional to the points it returns.
 */
export function pickWidth(span: number, maxPoints: number, rowsPerPoint = 4): number {
  for (const w of ROLLUP_WIDTHS) if (Math.ceil(span / w) <= rowsPerPoint * maxPoints) return w;
  return ROLLUP_WIDTHS[ROLLUP_WIDTHS.length - 1];
}

/**
 * Reduces buckets (sorted by step) to at most `maxPoints` points: the first and the last point,
 * and each merged bucket's minimum and maximum, so spikes survive any zoom level.
 */
export function downsampleBuckets(buckets: Bucket[], maxPoints: number, lo: number, hi: number): MetricPoint[] {
  if (!buckets.length) return [];
  const target = Math.max(1, Math.floor((maxPoints - 2) / 2));
  const span = Math.max(1, hi - lo + 1);
  const merged: Bucket[] = [];
  for (const b of buckets) {
    const slot = Math.min(target - 1, Math.floor(((b.fs - lo) / span) * target));
    const last = merged[merged.length - 1];
    if (last && last.bucket === slot) mergeBucket(last, b);
    else merged.push({ ...b, bucket: slot });
  }
  const first = merged[0];
  const end = merged[merged.length - 1];
  const points = new Map<string, MetricPoint>();
  const add = (step: number, value: number, us: number) => {
    const key = `${step}:${us}:${value}`;
    if (!points.has(key)) points.set(key, { step, timestamp: formatTimestamp(us), value });
  };
  add(first.fs, first.f, first.fu);
  if (maxPoints >= 4) {
    for (const b of merged) {
      if (b.as <= b.zs) { add(b.as, b.a, b.au); add(b.zs, b.z, b.zu); }
      else { add(b.zs, b.z, b.zu); add(b.as, b.a, b.au); }
    }
  }
  add(end.ls, end.l, end.lu);
  return [...points.values()].sort((x, y) => x.step - y.step).slice(0, maxPoints);
}

/** Exact points → the same reduction, bucketed by step range over [lo, hi]. */
export function downsamplePoints(points: { step: number; value: number; us: number }[], maxPoints: number): MetricPoint[] {
  if (!points.length) return [];
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of points) { lo = Math.min(lo, p.step); hi = Math.max(hi, p.step); }
  const target = Math.max(1, Math.floor((maxPoints - 2) / 2));
  const span = Math.max(1, hi - lo + 1);
  const buckets = new Map<number, Bucket>();
  const sorted = [...points].sort((a, b) => a.step - b.step || a.us - b.us);
  for (const p of sorted) {
    const slot = Math.min(target - 1, Math.floor(((p.step - lo) / span) * target));
    const b = pointBucket(slot, p.step, p.value, p.us);
    const cur = buckets.get(slot);
    if (cur) mergeBucket(cur, b);
    else buckets.set(slot, b);
  }
  return downsampleBuckets([...buckets.values()], maxPoints, lo, hi);
}
