import type { RunSummary } from "../api";
import { registerRuns, runColor } from "../chart/colors";
import { ago, formatValue, h } from "../dom";
import { paramsQuery, parseParams, projectPath, updateParams } from "../router";
import { errorBox } from "../session";
import { AlertsPanel } from "./alerts-panel";
import { ChartsPanel } from "./charts-panel";
import type { View, ViewContext } from "./view";

function summaryList(r: RunSummary) {
  const item = (label: string, value: Node | string | number) => [h("dt", {}, label), h("dd", {}, value)];
  const c = r.alert_counts;
  return h(
    "dl",
    { class: "summary", id: "run-summary" },
    item("Status", h("span", { class: `status status-${r.status}` }, r.status)),
    item("Id", h("code", {}, r.id)),
    item("Group", r.group ?? "–"),
    item("Last step", r.last_step ?? "–"),
    item("Logs", r.log_count),
    item("Alerts", `${c.error} error · ${c.warn} warn · ${c.info} info`),
    item("Created", ago(r.created_at)),
    item("Last log", ago(r.last_log_at)),
    item("Finished", ago(r.finished_at)),
  );
}

function configTable(r: RunSummary) {
  const keys = Object.keys(r.config).sort();
  if (!keys.length) return h("p", { class: "hint" }, "No config.");
  return h(
    "table",
    { class: "table", id: "run-config" },
    h("caption", { class: "sr-only" }, "Config"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "key"), h("th", { scope: "col" }, "value"))),
    h("tbody", {}, keys.map((k) => h("tr", {}, h("th", { scope: "row" }, k), h("td", {}, formatValue(r.config[k]))))),
  );
}

/** The agent's notes on the run (newest first), and a pending stop request. */
function notesSection(r: RunSummary) {
  const stop = r.stop_requested
    ? h("p", { class: "hint", id: "run-stop" }, `Stop requested ${r.stop_requested.reason ? `(${r.stop_requested.reason}) ` : ""}by ${r.stop_requested.by}`)
    : null;
  const list = r.notes.length
    ? h("ul", { class: "notes", id: "run-notes" }, r.notes.map((n) => h("li", {}, h("p", {}, n.text), h("small", {}, `${n.author} · `, ago(n.created_at)))))
    : h("p", { class: "hint" }, "No notes.");
  return h("section", { "aria-labelledby": "notes-title" }, h("h2", { id: "notes-title" }, `Notes (${r.notes.length})`), ...(stop ? [stop] : []), list);
}

/** One run: summary, config, notes, metric names, its charts and all its alerts. */
export function runDetailView({ api }: ViewContext, project: string, runRef: string): View {
  const params = parseParams();
  const body = h("div", { "aria-busy": "true" }, h("p", { class: "hint" }, "Loading run…"));
  const el = h("main", { class: "page" }, h("p", {}, h("a", { href: projectPath(project), "data-link": true }, `← ${project}`)), body);
  let charts: ChartsPanel | null = null;
  let alerts: AlertsPanel | null = null;

  // The project's run list fixes the run's colour (creation order), as in the other views.
  Promise.all([api.run(project, runRef), api.runs(project).catch(() => [])]).then(
    ([run, all]) => {
      registerRuns(all);
      params.runs = [run.id];
      charts = new ChartsPanel(api, project, params, () => updateParams(params));
      alerts = new AlertsPanel(api, project, { run: { id: run.id, name: run.name } });
      const metrics = run.metrics.length
        ? h("ul", { class: "metric-names", id: "run-metrics" }, run.metrics.map((m) => h("li", {}, h("code", {}, m))))
        : h("p", { class: "hint" }, "No metrics logged yet.");
      body.removeAttribute("aria-busy");
      body.replaceChildren(
        h("h1", {}, h("span", { class: "swatch big", style: `background:${runColor(run.id)}`, "aria-hidden": "true" }), run.name),
        h("p", {}, h("a", { href: projectPath(project) + paramsQuery({ ...params, runs: [run.id] }), "data-link": true }, "Open in the project view")),
        h(
          "div",
          { class: "project-layout" },
          h(
            "div",
            { class: "project-main" },
            h("section", { "aria-labelledby": "summary-title" }, h("h2", { id: "summary-title" }, "Summary"), summaryList(run)),
            h("section", { "aria-labelledby": "config-title" }, h("h2", { id: "config-title" }, "Config"), configTable(run)),
            notesSection(run),
            h("section", { "aria-labelledby": "metrics-title" }, h("h2", { id: "metrics-title" }, `Metric names (${run.metrics.length})`), metrics),
            charts.el,
          ),
          alerts.el,
        ),
      );
      void charts.show([run]);
      document.title = `${run.name} · ${project} · Trackflare`;
    },
    (err) => body.replaceChildren(errorBox(err)),
  );
  return {
    el,
    title: `Run · ${project} · Trackflare`,
    dispose: () => {
      charts?.dispose();
      alerts?.dispose();
    },
  };
}
