import type { SeriesItem } from "../api";
import { parseTimestamp } from "../../../contract/time";
import type { XAxis } from "../router";

/** One plotted point: step, wall-clock seconds, and the value (null when not a finite number). */
export type Pt = { step: number; t: number; v: number | null };

export function toPoints(values: SeriesItem["values"]): Pt[] {
  return values.map((p) => ({
    step: p.step,
    t: (parseTimestamp(p.timestamp) ?? 0) / 1e6,
    v: typeof p.value === "number" && Number.isFinite(p.value) ? p.value : null,
  }));
}

/** Merges newly fetched points after the existing ones (live runs fetch only steps after the last). */
export function appendPoints(old: Pt[], fresh: Pt[]): Pt[] {
  if (!fresh.length) return old;
  const last = old.length ? old[old.length - 1].step : -Infinity;
  return old.concat(fresh.filter((p) => p.step > last));
}

/** The value of `xs` at the greatest step <= `step` (x by another metric logged at other steps). */
function valueAtOrBefore(xs: Pt[], step: number): number | null {
  let lo = 0;
  let hi = xs.length - 1;
  let found: number | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid].step <= step) {
      found = xs[mid].v;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Pairs of (x, y) sorted by x with one y per x, as uPlot needs for a line. */
export function xyPairs(points: Pt[], x: XAxis, xMetric?: Pt[]): [number[], (number | null)[]] {
  const t0 = points.length ? points[0].t : 0;
  const pairs: [number, number | null][] = [];
  for (const p of points) {
    const xv = x === "step" ? p.step : x === "time" ? p.t : x === "relative" ? p.t - t0 : valueAtOrBefore(xMetric ?? [], p.step);
    if (xv !== null && Number.isFinite(xv)) pairs.push([xv, p.v]);
  }
  if (x.startsWith("metric:")) pairs.sort((a, b) => a[0] - b[0]);
  const xs: number[] = [];
  const ys: (number | null)[] = [];
  for (const [xv, yv] of pairs) {
    if (xs.length && xs[xs.length - 1] === xv) ys[ys.length - 1] = yv;
    else {
      xs.push(xv);
      ys.push(yv);
    }
  }
  return [xs, ys];
}
