import type { Run } from "../api";
import { registerRuns, runColor } from "../chart/colors";
import { toPoints } from "../chart/points";
import { formatValue, h } from "../dom";
import { paramsQuery, parseParams, projectPath, updateParams } from "../router";
import { errorBox } from "../session";
import { ChartsPanel } from "./charts-panel";
import type { View, ViewContext } from "./view";

/** Names whose smaller values are better; every other metric's best is its largest value. */
const LOWER_IS_BETTER = /loss|err|perplex|ppl|mse|mae|rmse|wer|cer|nll|regret|latency|time/i;

export const lowerIsBetter = (metric: string) => LOWER_IS_BETTER.test(metric);

function runHeader(r: Run) {
  return h("th", { scope: "col" }, h("span", { class: "swatch", style: `background:${runColor(r.id)}`, "aria-hidden": "true" }), r.name);
}

function configTable(runs: Run[]) {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.config)))].sort();
  if (!keys.length) return h("p", { class: "hint" }, "These runs have no config.");
  const rows = keys.map((k) => {
    const values = runs.map((r) => (k in r.config ? JSON.stringify(r.config[k]) : undefined));
    const differs = new Set(values).size > 1;
    return h(
      "tr",
      { class: differs ? "differs" : null, "data-config-key": k },
      h("th", { scope: "row" }, k, differs ? h("span", { class: "diff-mark", title: "differs between runs" }, " ≠", h("span", { class: "sr-only" }, " (differs)")) : null),
      ...runs.map((r) => h("td", {}, k in r.config ? formatValue(r.config[k]) : h("span", { class: "muted" }, "unset"))),
    );
  });
  return h("table", { class: "table compare-table", id: "compare-config" }, h("caption", {}, "Config (rows that differ are highlighted)"), h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "key"), ...runs.map(runHeader))), h("tbody", {}, rows));
}

type Stat = { final: number | null; best: number | null };

function metricsTable(runs: Run[], stats: Map<string, Map<string, Stat>>) {
  const metrics = [...stats.keys()].sort();
  if (!metrics.length) return h("p", { class: "hint" }, "No numeric metrics logged yet.");
  const rows = metrics.map((m) => {
    const low = lowerIsBetter(m);
    const per = runs.map((r) => stats.get(m)!.get(r.id));
    const bests = per.map((s) => s?.best).filter((v): v is number => v !== null && v !== undefined);
    const winner = bests.length > 1 ? (low ? Math.min(...bests) : Math.max(...bests)) : null;
    return h(
      "tr",
      { "data-metric": m },
      h("th", { scope: "row" }, m, h("span", { class: "muted" }, low ? " (min)" : " (max)")),
      ...per.map((s) =>
        s
          ? h("td", { class: s.best !== null && s.best === winner ? "winner" : null },
              h("span", { title: "final value" }, formatValue(s.final)), h("span", { class: "muted" }, " / best "), h("span", { title: "best value" }, formatValue(s.best)),
              s.best !== null && s.best === winner ? h("span", { class: "sr-only" }, " (best of these runs)") : null,
            )
          : h("td", { class: "muted" }, "–"),
      ),
    );
  });
  return h("table", { class: "table compare-table", id: "compare-metrics" }, h("caption", {}, "Metrics: final / best value (best across runs highlighted)"), h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "metric"), ...runs.map(runHeader))), h("tbody", {}, rows));
}

/** The selected runs side by side: config differences, final and best metric values, overlaid charts. */
export function compareView({ api }: ViewContext, project: string): View {
  const params = parseParams();
  const body = h("div", { "aria-busy": "true" }, h("p", { class: "hint" }, "Loading…"));
  const charts = new ChartsPanel(api, project, params, () => updateParams(params));
  const back = h("a", { href: projectPath(project) + paramsQuery(params), "data-link": true }, `← ${project}`);
  const el = h("main", { class: "page" }, h("p", {}, back), h("h1", {}, "Compare runs"), body, charts.el);

  (async () => {
    if (!params.runs.length) {
      body.replaceChildren(h("p", { class: "empty-state" }, "No runs selected. Select runs in the project's table, then choose Compare."));
      return;
    }
    const all = await api.runs(project);
    registerRuns(all);
    const runs = params.runs.map((id) => all.find((r) => r.id === id || r.name === id)).filter((r): r is Run => !!r);
    const series = await api.series(project, runs.map((r) => r.id), { maxPoints: 1000 });
    const stats = new Map<string, Map<string, Stat>>();
    for (const s of series) {
      const vals = toPoints(s.values).map((p) => p.v).filter((v): v is number => v !== null);
      const low = lowerIsBetter(s.metric);
      const stat = { final: vals.length ? vals[vals.length - 1] : null, best: vals.length ? (low ? Math.min(...vals) : Math.max(...vals)) : null };
      (stats.get(s.metric) ?? stats.set(s.metric, new Map()).get(s.metric)!).set(s.run_id, stat);
    }
    body.removeAttribute("aria-busy");
    body.replaceChildren(h("section", { class: "compare-section" }, configTable(runs)), h("section", { class: "compare-section" }, metricsTable(runs, stats)));
    void charts.show(runs);
  })().catch((err) => body.replaceChildren(errorBox(err)));

  return { el, title: `Compare · ${project} · Trackflare`, dispose: () => charts.dispose() };
}
