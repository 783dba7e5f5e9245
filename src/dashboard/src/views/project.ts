import type { Alert, AlertCounts, Run } from "../api";
import { registerRuns } from "../chart/colors";
import { h } from "../dom";
import { parseParams, updateParams } from "../router";
import { errorBox } from "../session";
import { AlertsPanel } from "./alerts-panel";
import { ChartsPanel } from "./charts-panel";
import { RunsTable } from "./runs-table";
import type { View, ViewContext } from "./view";

const DEFAULT_CHARTED = 5;
const REFRESH_MS = 5000;

export const newestFirst = (runs: Run[]) => [...runs].sort((a, b) => b.created_at.localeCompare(a.created_at));

/** A project: its runs table, the charts of the selected runs, and the live alerts panel. */
export function projectView({ api }: ViewContext, project: string): View {
  const params = parseParams();
  let runs: Run[] = [];
  let counts: Record<string, AlertCounts> = {};
  let charted = "";

  const message = h("div");
  const table = new RunsTable({
    project,
    params,
    onChange: (what) => {
      updateParams(params);
      if (what === "selection" || !params.runs.length) chartRuns();
    },
  });
  const charts = new ChartsPanel(api, project, params, () => updateParams(params));
  const alerts = new AlertsPanel(api, project, {
    onAlerts: (fresh: Alert[]) => {
      for (const a of fresh) {
        if (!a.run_id) continue;
        const c = (counts[a.run_id] ??= { info: 0, warn: 0, error: 0 });
        c[a.level]++;
      }
      table.update(runs, counts);
    },
  });

  /** The selected runs, or the newest few shown when nothing is selected. */
  function chartRuns() {
    const selected = params.runs.length ? runs.filter((r) => params.runs.includes(r.id)) : table.visible().slice(0, DEFAULT_CHARTED);
    // The note depends on whether the user chose the runs, so choosing exactly the runs shown by
    // default still redraws without it.
    const key = `${params.runs.length ? "chosen" : "default"}:${selected.map((r) => r.id).join(",")}`;
    if (key === charted) return;
    charted = key;
    const note = params.runs.length || !selected.length ? "" : `Showing the ${selected.length} newest run${selected.length > 1 ? "s" : ""}; select runs in the table to choose.`;
    void charts.show(selected, note);
  }

  async function load(first: boolean) {
    try {
      const [list, c] = await Promise.all([api.runs(project), api.alertCounts(project).catch(() => counts)]);
      runs = newestFirst(list);
      registerRuns(runs);
      counts = c;
      table.update(runs, counts);
      charts.refreshRuns(runs);
      if (first) chartRuns();
      message.replaceChildren();
    } catch (err) {
      if (first || !(err instanceof TypeError)) message.replaceChildren(errorBox(err));
    }
  }

  void load(true);
  const timer = setInterval(() => !document.hidden && void load(false), REFRESH_MS);
  const el = h(
    "main",
    { class: "page project-page" },
    h("h1", {}, project),
    message,
    h("div", { class: "project-layout" }, h("div", { class: "project-main" }, table.el, charts.el), alerts.el),
  );
  return {
    el,
    title: `${project} · Trackflare`,
    dispose: () => {
      clearInterval(timer);
      charts.dispose();
      alerts.dispose();
    },
  };
}
