import type { RichValues, Run } from "../api";
import { registerRuns, runColor } from "../chart/colors";
import { h } from "../dom";
import { paramsQuery, parseParams, projectPath } from "../router";
import { errorBox } from "../session";
import { heatmap } from "./histogram-heatmap";
import { FileUrls, isHistogram, isMediaRef, isTable, mediaElement, tableElement } from "./media-cells";
import { newestFirst } from "./project";
import type { View, ViewContext } from "./view";

const DEFAULT_RUNS = 4;
type Point = RichValues["metrics"][string][number];
type RunValues = { run: Run; metrics: RichValues["metrics"]; truncated: boolean };

/** The value a run shows at `step`: the one logged there, else the latest before it. */
function valueAt(points: Point[] | undefined, step: number): Point | null {
  let best: Point | null = null;
  for (const p of points ?? []) if (p.step <= step && (!best || p.step >= best.step)) best = p;
  return best;
}

function cell(rv: RunValues, metric: string, step: number, files: FileUrls): HTMLElement {
  const points = rv.metrics[metric];
  const head = h("figcaption", {}, h("span", { class: "swatch", style: `background:${runColor(rv.run.id)}`, "aria-hidden": "true" }), rv.run.name);
  const fig = h("figure", { class: "media-cell", "data-run": rv.run.name }, head);
  if (points?.every((p) => isHistogram(p.value))) {
    const series = points.map((p) => ({ step: p.step, ...(p.value as { bins: number[]; values: number[] }) }));
    const shown = valueAt(points, step);
    fig.append(heatmap(series, shown?.step ?? -1));
    const lo = Math.min(...series.map((x) => x.bins[0]));
    const hi = Math.max(...series.map((x) => x.bins[x.bins.length - 1]));
    fig.append(h("p", { class: "media-caption" }, `steps ${series[0].step}–${series[series.length - 1].step} → · values ${lo.toPrecision(3)}–${hi.toPrecision(3)} ↑ · outlined: step ${shown?.step ?? "–"}`));
    return fig;
  }
  const p = valueAt(points, step);
  if (!p) {
    fig.append(h("p", { class: "muted" }, points?.length ? `nothing logged by step ${step}` : "not logged by this run"));
    return fig;
  }
  fig.setAttribute("data-step", String(p.step));
  if (isMediaRef(p.value)) fig.append(mediaElement(p.value, files));
  else if (isTable(p.value)) fig.append(tableElement(p.value, files));
  else fig.append(h("p", { class: "muted" }, "not a media value"));
  const note = [isMediaRef(p.value) ? p.value.caption : null, p.step !== step ? `from step ${p.step}` : null].filter(Boolean).join(" · ");
  if (note) fig.append(h("p", { class: "media-caption" }, note));
  return fig;
}

/** One metric: a step slider over every step any run logged it at, and the runs side by side. */
function metricSection(metric: string, runs: RunValues[], files: FileUrls): HTMLElement {
  const steps = [...new Set(runs.flatMap((r) => (r.metrics[metric] ?? []).map((p) => p.step)))].sort((a, b) => a - b);
  const id = `slider-${metric.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  const output = h("output", { for: id, class: "step-value" });
  const grid = h("div", { class: "media-runs" });
  const show = (i: number) => {
    const step = steps[i];
    output.textContent = `step ${step}`;
    grid.replaceChildren(...runs.map((r) => cell(r, metric, step, files)));
  };
  const slider = h("input", {
    type: "range",
    id,
    class: "step-slider",
    min: 0,
    max: steps.length - 1,
    value: steps.length - 1,
    disabled: steps.length < 2,
    "aria-label": `Step of ${metric}`,
    onInput: (ev: Event) => show(Number((ev.target as HTMLInputElement).value)),
  });
  show(steps.length - 1);
  return h("section", { class: "media-metric", "data-metric": metric }, h("h2", {}, metric), h("div", { class: "step-row" }, h("label", { for: id }, "Step"), slider, output), grid);
}

/** Media & Tables: for each media, table or histogram metric, the selected runs side by side with a step slider. */
export function mediaView({ api }: ViewContext, project: string): View {
  const params = parseParams();
  const files = new FileUrls(api, project);
  const body = h("div", { "aria-busy": "true" }, h("p", { class: "hint" }, "Loading…"));
  const back = h("a", { href: projectPath(project) + paramsQuery(params), "data-link": true }, `← ${project}`);
  const el = h("main", { class: "page media-page" }, h("p", {}, back), h("h1", {}, "Media & Tables"), body);

  (async () => {
    const all = newestFirst(await api.runs(project));
    registerRuns(all);
    const chosen = params.runs.length ? params.runs.map((id) => all.find((r) => r.id === id || r.name === id)).filter((r): r is Run => !!r) : all.slice(0, DEFAULT_RUNS);
    const values: RunValues[] = await Promise.all(
      chosen.map(async (run) => {
        const r = await api.richValues(project, run.id);
        return { run, metrics: r.metrics, truncated: r.truncated };
      }),
    );
    const metrics = [...new Set(values.flatMap((v) => Object.keys(v.metrics)))].sort();
    body.removeAttribute("aria-busy");
    if (!metrics.length) {
      body.replaceChildren(h("p", { class: "empty-state" }, chosen.length ? "These runs logged no images, audio, video, tables or histograms." : "This project has no runs yet."));
      return;
    }
    const note = params.runs.length ? null : h("p", { class: "hint" }, `Showing the ${chosen.length} newest runs; select runs in the project's table to choose.`);
    const cut = values.filter((v) => v.truncated).map((v) => v.run.name);
    const warn = cut.length ? h("p", { class: "hint" }, `Only the first values of ${cut.join(", ")} are shown (too many to show at once).`) : null;
    const notes = [note, warn].filter((x): x is HTMLParagraphElement => x !== null);
    body.replaceChildren(...notes, ...metrics.map((m) => metricSection(m, values, files)));
  })().catch((err) => body.replaceChildren(errorBox(err)));

  return { el, title: `Media & Tables · ${project} · Trackflare`, dispose: () => files.dispose() };
}
