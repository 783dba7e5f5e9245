import type { GapDiagnosis, MetricDiagnosis, Trend } from "../contract";
import type { Bucket } from "../metrics/rollup";
import { DIVERGE_FACTOR, FLAT_RELATIVE_CHANGE, MIN_RECENT_BUCKETS, OVERFIT_RELATIVE, RECENT_FRACTION, goalOf, valNameFor } from "./rules";

/**
 * First and last point of each bucket that reaches into the recent part of the run, and of at
 * least the last MIN_RECENT_BUCKETS buckets (a short run's recent quarter may lie in one bucket).
 */
function recentPoints(buckets: Bucket[], firstStep: number, lastStep: number) {
  const from = lastStep - (lastStep - firstStep) * RECENT_FRACTION;
  const points: { step: number; value: number; us: number }[] = [];
  for (const [i, b] of buckets.entries()) {
    if (b.ls < from && i < buckets.length - MIN_RECENT_BUCKETS) continue;
    points.push({ step: b.fs, value: b.f, us: b.fu });
    if (b.ls !== b.fs) points.push({ step: b.ls, value: b.l, us: b.lu });
  }
  return points;
}

/** Least-squares slope's change over the points' step range, relative to their magnitude. */
function trendOf(points: { step: number; value: number }[]): Exclude<Trend, "diverging"> | null {
  if (points.length < 3) return null;
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.step, 0) / n;
  const my = points.reduce((a, p) => a + p.value, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.step - mx) * (p.value - my);
    sxx += (p.step - mx) ** 2;
  }
  if (sxx === 0) return null;
  const change = (sxy / sxx) * (points[n - 1].step - points[0].step);
  const scale = Math.max(points.reduce((a, p) => a + Math.abs(p.value), 0) / n, 1e-12);
  const rel = change / scale;
  return Math.abs(rel) < FLAT_RELATIVE_CHANGE ? "flat" : rel < 0 ? "decreasing" : "increasing";
}

export type Analyzed = MetricDiagnosis & { recent: { step: number; us: number }[] };

/** One metric from its rollup buckets (sorted by bucket) and its stored non-finite count. */
export function analyzeMetric(name: string, buckets: Bucket[], nonFinite: number): Analyzed {
  const goal = goalOf(name);
  if (!buckets.length) return { name, last: null, last_step: null, goal, best: null, best_step: null, trend: null, non_finite: nonFinite, recent: [] };
  const lastB = buckets[buckets.length - 1];
  let best: { v: number; step: number } | null = null;
  if (goal) {
    for (const b of buckets) {
      const v = goal === "min" ? b.a : b.z;
      if (!best || (goal === "min" ? v < best.v : v > best.v)) best = { v, step: goal === "min" ? b.as : b.zs };
    }
  }
  const recent = recentPoints(buckets, buckets[0].fs, lastB.ls);
  let trend: Trend | null = trendOf(recent);
  if (goal === "min" && best && best.v > 0 && lastB.l >= DIVERGE_FACTOR * best.v && trend !== "decreasing") trend = "diverging";
  return {
    name,
    last: lastB.l,
    last_step: lastB.ls,
    goal,
    best: best?.v ?? null,
    best_step: best?.step ?? null,
    trend,
    non_finite: nonFinite,
    recent: recent.map((p) => ({ step: p.step, us: p.us })),
  };
}

/** How far `m`'s last value is from its best, as a fraction of the best's magnitude (worse is positive). */
function worseThanBest(m: MetricDiagnosis): number | null {
  if (m.last === null || m.best === null) return null;
  const d = m.goal === "min" ? m.last - m.best : m.best - m.last;
  return d / Math.max(Math.abs(m.best), 1e-12);
}

/** The train/val gap of each pair of diagnosed metrics, with the overfitting flag. */
export function gapsOf(metrics: MetricDiagnosis[]): GapDiagnosis[] {
  const byName = new Map(metrics.map((m) => [m.name, m]));
  const gaps: GapDiagnosis[] = [];
  for (const train of metrics) {
    const valName = valNameFor(train.name);
    const val = valName ? byName.get(valName) : undefined;
    if (!val || train.last === null || val.last === null) continue;
    const worse = worseThanBest(val);
    const trainHolds = train.trend === "flat" || train.trend === (val.goal === "max" ? "increasing" : "decreasing");
    const overfitting = val.goal !== null && worse !== null && worse >= OVERFIT_RELATIVE && trainHolds && (val.goal === "min" ? val.last > train.last : val.last < train.last);
    gaps.push({ train: train.name, val: val.name, gap: val.last - train.last, overfitting });
  }
  return gaps;
}

/** Steps per second over the recent part, from the rollups' times of the metric reported last. */
export function stepsPerSecond(metrics: Analyzed[]): number | null {
  const newest = metrics.reduce<Analyzed | null>((a, m) => (m.last_step !== null && (!a || m.last_step > (a.last_step ?? -1)) ? m : a), null);
  if (!newest || newest.recent.length < 2) return null;
  const pts = [...newest.recent].sort((x, y) => x.step - y.step);
  const dt = (pts[pts.length - 1].us - pts[0].us) / 1e6;
  const ds = pts[pts.length - 1].step - pts[0].step;
  return dt > 0 && ds > 0 ? Math.round((ds / dt) * 100) / 100 : null;
}

export function flagsOf(metrics: MetricDiagnosis[], gaps: GapDiagnosis[], stopRequested: boolean): string[] {
  const flags: string[] = [];
  for (const m of metrics) if (m.trend === "diverging") flags.push(`diverging:${m.name}`);
  for (const g of gaps) if (g.overfitting) flags.push(`overfitting:${g.val}`);
  for (const m of metrics) if (m.non_finite > 0) flags.push(`non_finite:${m.name}`);
  if (stopRequested) flags.push("stop_requested");
  return flags;
}

/** Loss-like names first, then score-like, then the rest; alphabetical within each. */
export function diagnosisOrder(a: string, b: string): number {
  const rank = (n: string) => {
    const g = goalOf(n);
    return g === "min" ? 0 : g === "max" ? 1 : 2;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
