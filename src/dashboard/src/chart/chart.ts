import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatNumber, h } from "../dom";
import type { XAxis } from "../router";
import { prefersDark, runColor, themeColors } from "./colors";
import { xyPairs, type Pt } from "./points";
import { ema } from "./smoothing";

export type ChartRun = { id: string; name: string; points: Pt[]; xMetric?: Pt[] };
export type ChartSettings = { x: XAxis; smooth: number; log: boolean };
export type Window = [number, number];

const HEIGHT = 220;

/** Legend labels: a name shared by two charted runs gets the start of each run's id. */
function runLabels(runs: ChartRun[]): Map<string, string> {
  const count = new Map<string, number>();
  for (const r of runs) count.set(r.name, (count.get(r.name) ?? 0) + 1);
  return new Map(runs.map((r) => [r.id, count.get(r.name)! > 1 ? `${r.name} · ${r.id.slice(0, 8)}` : r.name]));
}

const legendValue = (_u: uPlot, v: number | null) => (v === null || v === undefined ? "–" : formatNumber(v));

const xLabel = (x: XAxis) => (x === "step" ? "step" : x === "time" ? "time" : x === "relative" ? "seconds since first point" : x.slice("metric:".length));

/**
 * One metric's chart: the runs overlaid in their colours, the raw line faded behind the smoothed
 * one, single-point series drawn as points. Dragging zooms; `onZoom` reports the step window so
 * the caller can fetch exact points for it, and a double click returns to the whole run.
 */
export class MetricChart {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  private plot: uPlot | null = null;
  private shape = "";
  private full: Window | null = null;
  private zoom: Window | null = null;
  private readonly resize = new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: HEIGHT }));

  constructor(
    readonly metric: string,
    private readonly onZoom: (w: Window | null) => void,
  ) {
    this.body = h("div", { class: "chart-body" });
    this.el = h("figure", { class: "chart", "data-metric": metric, "aria-label": `Chart of ${metric}` }, h("figcaption", {}, metric), this.body);
    this.resize.observe(this.el);
  }

  private width() {
    return Math.max(240, this.el.clientWidth - 2);
  }

  /** Draws `runs`; `window` keeps a zoomed step range (the data then covers only that window). */
  render(runs: ChartRun[], s: ChartSettings, window: Window | null = null) {
    const withData = runs.filter((r) => r.points.some((p) => p.v !== null));
    const smooth = s.smooth > 0;
    const tables: uPlot.AlignedData[] = [];
    const series: uPlot.Series[] = [{ label: xLabel(s.x) }];
    let count = 0;
    let yMax = -Infinity;
    const labels = runLabels(withData);
    for (const r of withData) {
      const label = labels.get(r.id)!;
      const [xs, raw] = xyPairs(r.points, s.x, r.xMetric);
      const ys = s.log ? raw.map((v) => (v !== null && v > 0 ? v : null)) : raw;
      const single = ys.filter((v) => v !== null).length <= 1;
      const color = runColor(r.id);
      const dot = { show: single, size: 8, fill: color, stroke: color };
      const cols: (number | null)[][] = [xs, ys];
      series.push({ label, value: legendValue, stroke: runColor(r.id, smooth ? 0.28 : 1), width: 1, points: smooth ? { show: false } : dot });
      if (smooth) {
        cols.push(ema(ys, s.smooth));
        series.push({ label, value: legendValue, stroke: color, width: 1.75, points: dot });
      }
      tables.push(cols as uPlot.AlignedData);
      count += xs.length;
      for (const v of ys) if (v !== null && v > yMax) yMax = v;
    }
    const data: uPlot.AlignedData = tables.length === 0 ? [[]] : tables.length === 1 ? tables[0] : uPlot.join(tables);
    this.el.dataset.runs = String(withData.length);
    this.el.dataset.points = String(count);
    this.el.dataset.series = String(series.length - 1);
    // What the tests read: the largest value drawn (a spike must survive downsampling).
    this.el.dataset.ymax = Number.isFinite(yMax) ? String(yMax) : "";
    if (!window) {
      const xs = data[0];
      this.full = xs.length ? [xs[0], xs[xs.length - 1]] : null;
    }
    this.zoom = window;

    const shape = JSON.stringify([withData.map((r) => r.id), s, prefersDark()]);
    if (this.plot && shape === this.shape) {
      this.plot.setData(data, !window);
      if (window) this.plot.setScale("x", { min: window[0], max: window[1] });
    } else {
      this.shape = shape;
      this.plot?.destroy();
      this.plot = new uPlot(this.options(series, s), data, this.body);
      if (window) this.plot.setScale("x", { min: window[0], max: window[1] });
      // Smoothed and raw share a name: list each run once in the legend.
      if (smooth) this.plot.root.querySelectorAll<HTMLElement>(".u-legend .u-series").forEach((row, i) => i % 2 === 1 && (row.style.display = "none"));
      this.plot.over.addEventListener("dblclick", (ev) => {
        if (!this.zoom) return;
        ev.stopImmediatePropagation();
        this.onZoom(null);
      }, { capture: true });
    }
    this.el.classList.toggle("empty", withData.length === 0);
    this.el.dataset.ready = "1";
  }

  private options(series: uPlot.Series[], s: ChartSettings): uPlot.Options {
    const theme = themeColors();
    const axis = { stroke: theme.fg, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 } };
    return {
      width: this.width(),
      height: HEIGHT,
      series,
      scales: { x: { time: s.x === "time" }, y: { distr: s.log ? 3 : 1 } },
      axes: [{ ...axis, label: s.x === "step" ? undefined : xLabel(s.x) }, { ...axis, size: 60 }],
      cursor: { drag: { x: true, y: false, setScale: true } },
      legend: { show: true, live: true },
      hooks: { setScale: [(u, key) => key === "x" && this.scaleChanged(u)] },
    };
  }

  /** A drag zoomed in: report the window (x by step only; other axes zoom on the drawn points). */
  private scaleChanged(u: uPlot) {
    const { min, max } = u.scales.x;
    if (min === undefined || max === undefined || !this.full) return;
    const same = (a: Window | null, b: Window) => !!a && Math.abs(a[0] - b[0]) < 1e-9 && Math.abs(a[1] - b[1]) < 1e-9;
    const coversAll = min <= this.full[0] && max >= this.full[1];
    if (coversAll || same(this.zoom, [min, max])) return;
    this.zoom = [min, max];
    this.onZoom([min, max]);
  }

  destroy() {
    this.resize.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }
}
