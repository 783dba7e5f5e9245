import type { Api, Run } from "../api";
import { MetricChart, type ChartRun, type ChartSettings, type Window } from "../chart/chart";
import { appendPoints, toPoints, type Pt } from "../chart/points";
import { h } from "../dom";
import type { ViewParams, XAxis } from "../router";
import { errorBox } from "../session";

/** Points per series for the whole run: about two per pixel of a wide chart, spikes kept by the server. */
const MAX_POINTS = 1000;
const LIVE_INTERVAL_MS = 2000;

/** Stale and ended runs are polled too: both went quiet, and either may log again. */
const isLive = (r: Run) => r.status === "running" || r.status === "stale" || r.status === "ended";

const prefixOf = (metric: string) => (metric.includes("/") ? metric.slice(0, metric.indexOf("/")) : "");

/**
 * One chart per metric, grouped by the `/` prefix of the names, for the given runs. Controls
 * (smoothing, x axis, log scale) write to `params`; running runs are extended every couple of
 * seconds with only the points after their last step.
 */
export class ChartsPanel {
  readonly el: HTMLElement;
  private readonly grid = h("div", { class: "chart-groups", "aria-live": "off" });
  private readonly status = h("p", { class: "hint", role: "status" });
  private readonly xSelect: HTMLSelectElement;
  private readonly charts = new Map<string, MetricChart>();
  private readonly zoomed = new Map<string, Window>();
  /** metric → run id → points */
  private data = new Map<string, Map<string, Pt[]>>();
  private runs: Run[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private loading: AbortController | null = null;
  private ticking = false;
  /** Runs that stopped being live since the last tick: fetched once more. */
  private readonly lastLook = new Set<string>();

  constructor(
    private readonly api: Api,
    private readonly project: string,
    private readonly params: ViewParams,
    private readonly onParams: () => void,
  ) {
    const p = params;
    const smoothValue = h("output", { id: "smoothing-value", for: "smoothing" }, p.smooth.toFixed(2));
    const slider = h("input", { id: "smoothing", type: "range", min: 0, max: 0.99, step: 0.01, value: p.smooth, "aria-valuetext": `smoothing ${p.smooth}` });
    slider.addEventListener("input", () => {
      p.smooth = Number(slider.value);
      smoothValue.textContent = p.smooth.toFixed(2);
      slider.setAttribute("aria-valuetext", `smoothing ${p.smooth}`);
      this.settingsChanged();
    });
    this.xSelect = h("select", { id: "x-axis", onChange: () => ((p.x = this.xSelect.value as XAxis), this.settingsChanged()) });
    const log = h("input", { id: "log-scale", type: "checkbox", checked: p.log, onChange: () => ((p.log = log.checked), this.settingsChanged()) });
    this.el = h(
      "section",
      { class: "charts", "aria-labelledby": "charts-title" },
      h("h2", { id: "charts-title" }, "Metrics"),
      h(
        "div",
        { class: "chart-controls" },
        h("label", { for: "smoothing" }, "Smoothing"),
        slider,
        smoothValue,
        h("label", {}, "X axis ", this.xSelect),
        h("label", {}, log, " Log scale"),
        h("span", { class: "hint" }, "Drag to zoom, double-click to reset."),
      ),
      this.status,
      this.grid,
    );
    this.timer = setInterval(() => void this.tick(), LIVE_INTERVAL_MS);
    this.scheme.addEventListener("change", this.onScheme);
  }

  private readonly scheme = matchMedia("(prefers-color-scheme: dark)");
  /** Canvas colours are resolved when a chart is built: rebuild them when the scheme flips. */
  private readonly onScheme = () => this.renderAll();

  private settings(): ChartSettings {
    return { x: this.params.x, smooth: this.params.smooth, log: this.params.log };
  }

  /** Loads every numeric metric of `runs` and draws them (replacing what was shown). */
  async show(runs: Run[], note = "") {
    this.loading?.abort();
    const ctl = (this.loading = new AbortController());
    this.runs = runs;
    this.zoomed.clear();
    this.el.setAttribute("aria-busy", "true");
    this.status.textContent = runs.length ? `Loading metrics of ${runs.length} run${runs.length > 1 ? "s" : ""}…` : "Select runs to chart them.";
    if (!runs.length) {
      this.data = new Map();
      this.renderAll();
      this.el.removeAttribute("aria-busy");
      return;
    }
    try {
      const series = await this.api.series(this.project, runs.map((r) => r.id), { maxPoints: MAX_POINTS }, ctl.signal);
      if (ctl.signal.aborted) return;
      const data = new Map<string, Map<string, Pt[]>>();
      for (const s of series) {
        const byRun = data.get(s.metric) ?? new Map<string, Pt[]>();
        byRun.set(s.run_id, toPoints(s.values));
        data.set(s.metric, byRun);
      }
      this.data = data;
      this.status.textContent = data.size ? note : "No numeric metrics logged yet.";
      this.renderAll();
    } catch (err) {
      if (!ctl.signal.aborted) this.status.replaceChildren(errorBox(err));
    } finally {
      if (this.loading === ctl) this.el.removeAttribute("aria-busy");
    }
  }

  /** New run rows from the caller's poll: statuses decide which runs are extended live. */
  refreshRuns(runs: Run[]) {
    const byId = new Map(runs.map((r) => [r.id, r]));
    // A run that just ended may have logged its last points since the previous tick.
    for (const r of this.runs) if (isLive(r) && !isLive(byId.get(r.id) ?? r)) this.lastLook.add(r.id);
    this.runs = this.runs.map((r) => byId.get(r.id) ?? r);
  }

  private settingsChanged() {
    this.zoomed.clear();
    this.onParams();
    this.renderAll();
  }

  private chartRuns(metric: string): ChartRun[] {
    const byRun = this.data.get(metric);
    const xName = this.params.x.startsWith("metric:") ? this.params.x.slice("metric:".length) : null;
    const xData = xName ? this.data.get(xName) : undefined;
    return this.runs
      .filter((r) => byRun?.has(r.id))
      .map((r) => ({ id: r.id, name: r.name, points: byRun!.get(r.id)!, xMetric: xData?.get(r.id) }));
  }

  private renderAll() {
    const metrics = [...this.data.keys()].sort();
    const x = this.params.x;
    this.xSelect.replaceChildren(
      h("option", { value: "step" }, "step"),
      h("option", { value: "time" }, "time"),
      h("option", { value: "relative" }, "relative time"),
      ...metrics.map((m) => h("option", { value: `metric:${m}` }, `metric: ${m}`)),
    );
    if (x.startsWith("metric:") && !this.data.has(x.slice(7))) this.xSelect.append(h("option", { value: x }, x));
    this.xSelect.value = x;

    for (const [m, chart] of this.charts) {
      if (!this.data.has(m)) {
        chart.destroy();
        chart.el.remove();
        this.charts.delete(m);
      }
    }
    const groups = new Map<string, string[]>();
    for (const m of metrics) groups.set(prefixOf(m), [...(groups.get(prefixOf(m)) ?? []), m]);
    const sections = [...groups].map(([prefix, names]) => {
      const grid = h("div", { class: "chart-grid" });
      for (const m of names) grid.append(this.chart(m).el);
      return h("details", { open: true, class: "chart-group", "data-prefix": prefix }, h("summary", {}, prefix || "metrics", h("span", { class: "muted" }, ` (${names.length})`)), grid);
    });
    // Move (not rebuild) the chart elements so their canvases survive.
    this.grid.replaceChildren(...sections);
    for (const m of metrics) this.charts.get(m)!.render(this.chartRuns(m), this.settings());
  }

  private chart(metric: string): MetricChart {
    let c = this.charts.get(metric);
    if (!c) {
      c = new MetricChart(metric, (w) => void this.zoom(metric, w));
      this.charts.set(metric, c);
    }
    return c;
  }

  /** Zoomed by step: fetch the window so the detail hidden by downsampling shows (exact when few points). */
  private async zoom(metric: string, w: Window | null) {
    const chart = this.charts.get(metric);
    if (!chart) return;
    if (!w) {
      this.zoomed.delete(metric);
      chart.render(this.chartRuns(metric), this.settings());
      return;
    }
    this.zoomed.set(metric, w);
    if (this.params.x !== "step") return;
    const start = Math.max(0, Math.floor(w[0]));
    const end = Math.ceil(w[1]);
    const runs = this.chartRuns(metric);
    try {
      const windows = await Promise.all(runs.map((r) => this.api.metricWindow(this.project, r.id, metric, start, end, MAX_POINTS)));
      if (this.zoomed.get(metric) !== w || this.charts.get(metric) !== chart) return;
      chart.render(runs.map((r, i) => ({ ...r, points: toPoints(windows[i].values) })), this.settings(), w);
    } catch (err) {
      this.status.replaceChildren(errorBox(err));
    }
  }

  /** Extends running runs with the points logged since their last drawn step. */
  private async tick() {
    if (this.ticking || document.hidden || this.el.hasAttribute("aria-busy")) return;
    const live = this.runs.filter((r) => isLive(r) || this.lastLook.has(r.id));
    this.lastLook.clear();
    if (!live.length) return;
    this.ticking = true;
    try {
      const changed = new Set<string>();
      for (const run of live) {
        let after = -1;
        for (const byRun of this.data.values()) {
          const pts = byRun.get(run.id);
          if (pts?.length) after = Math.max(after, pts[pts.length - 1].step);
        }
        const series = await this.api.series(this.project, [run.id], { maxPoints: MAX_POINTS, after: after >= 0 ? after : undefined });
        for (const s of series) {
          if (!s.values.length) continue;
          const byRun = this.data.get(s.metric) ?? new Map<string, Pt[]>();
          byRun.set(run.id, appendPoints(byRun.get(run.id) ?? [], toPoints(s.values)));
          this.data.set(s.metric, byRun);
          changed.add(s.metric);
        }
      }
      // With x by another metric, every chart depends on that metric's new points.
      if ([...changed].some((m) => !this.charts.has(m)) || (changed.size && this.params.x.startsWith("metric:"))) this.renderAll();
      else for (const m of changed) if (!this.zoomed.has(m)) this.charts.get(m)?.render(this.chartRuns(m), this.settings());
    } catch {
      // A failed refresh is retried on the next tick; the charts keep what they have.
    } finally {
      this.ticking = false;
    }
  }

  dispose() {
    clearInterval(this.timer);
    this.scheme.removeEventListener("change", this.onScheme);
    this.loading?.abort();
    for (const c of this.charts.values()) c.destroy();
    this.charts.clear();
    this.zoomed.clear();
  }
}
