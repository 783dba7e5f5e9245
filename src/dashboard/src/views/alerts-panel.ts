import type { Alert, Api } from "../api";
import { AlertStream, type StreamState } from "../alert-stream";
import { ago, h } from "../dom";
import { runPath } from "../router";
import { errorBox } from "../session";

const HISTORY = 200;
const KEEP = 1000;
const LEVELS = ["error", "warn", "info"] as const;
const STATE_TEXT: Record<StreamState, string> = { connecting: "connecting…", live: "live", offline: "reconnecting…" };

type Options = { run?: { id: string; name: string }; onAlerts?: (alerts: Alert[]) => void };

/**
 * The project's alerts, newest first, coloured by level and filterable by level and run; new
 * ones arrive over the WebSocket as they are raised.
 */
export class AlertsPanel {
  readonly el: HTMLElement;
  private alerts: Alert[] = [];
  private readonly seen = new Set<number>();
  private stream: AlertStream | null = null;
  private readonly list = h("ol", { class: "alerts-list", id: "alerts-list", "aria-live": "polite", "aria-relevant": "additions" });
  private readonly state = h("span", { class: "stream-state", role: "status", "data-state": "connecting" }, STATE_TEXT.connecting);
  private readonly note = h("p", { class: "hint" });
  private readonly levelOn: Record<string, HTMLInputElement> = {};
  private readonly runSelect: HTMLSelectElement;
  private disposed = false;

  constructor(
    private readonly api: Api,
    private readonly project: string,
    private readonly opts: Options = {},
  ) {
    for (const l of LEVELS) this.levelOn[l] = h("input", { type: "checkbox", checked: true, onChange: () => this.render() });
    this.runSelect = h("select", { id: "alerts-run", onChange: () => this.render() }, h("option", { value: "" }, "all runs"));
    this.el = h(
      "aside",
      { class: "alerts-panel", "aria-labelledby": "alerts-title" },
      h("div", { class: "panel-head" }, h("h2", { id: "alerts-title" }, "Alerts"), this.state),
      h(
        "fieldset",
        { class: "alert-filters" },
        h("legend", { class: "sr-only" }, "Filter alerts"),
        LEVELS.map((l) => h("label", { class: `level-toggle level-${l}` }, this.levelOn[l], ` ${l}`)),
        opts.run ? null : h("label", {}, h("span", { class: "sr-only" }, "Run"), this.runSelect),
      ),
      this.note,
      this.list,
    );
    void this.start();
  }

  private async start() {
    try {
      const page = await this.api.alerts(this.project, { run: this.opts.run?.id, limit: HISTORY });
      if (this.disposed) return;
      this.add(page.alerts, false);
      if ((page as { has_more?: boolean }).has_more) this.note.textContent = `Showing the newest ${HISTORY} alerts and every new one.`;
      this.stream = new AlertStream(this.api, this.project, page.next_cursor, { run: this.opts.run?.id }, (a) => this.add(a, true), (s) => {
        this.state.textContent = STATE_TEXT[s];
        this.state.dataset.state = s;
      });
    } catch (err) {
      this.list.replaceChildren(h("li", {}, errorBox(err)));
    }
  }

  private add(alerts: Alert[], live: boolean) {
    const fresh = alerts.filter((a) => !this.seen.has(a.cursor) && (!this.opts.run || a.run_id === this.opts.run.id));
    if (!fresh.length) return;
    for (const a of fresh) this.seen.add(a.cursor);
    this.alerts = this.alerts.concat(fresh).sort((a, b) => b.cursor - a.cursor).slice(0, KEEP);
    this.render();
    if (live) this.opts.onAlerts?.(fresh);
  }

  private render() {
    const runs = new Map<string, string>();
    for (const a of this.alerts) if (a.run_id) runs.set(a.run_id, a.run ?? a.run_id);
    const chosen = this.runSelect.value;
    this.runSelect.replaceChildren(h("option", { value: "" }, "all runs"), ...[...runs].map(([id, name]) => h("option", { value: id }, name)));
    this.runSelect.value = runs.has(chosen) ? chosen : "";
    const shown = this.alerts.filter((a) => this.levelOn[a.level].checked && (!this.runSelect.value || a.run_id === this.runSelect.value));
    if (!shown.length) {
      this.list.replaceChildren(h("li", { class: "empty-state" }, this.alerts.length ? "No alerts match the filters." : "No alerts yet."));
      return;
    }
    this.list.replaceChildren(
      ...shown.map((a) =>
        h(
          "li",
          { class: `alert level-${a.level}`, "data-cursor": a.cursor, "data-level": a.level },
          h("div", { class: "alert-head" },
            h("span", { class: `badge level-${a.level}` }, a.level),
            h("strong", { class: "alert-title" }, a.title),
          ),
          h("div", { class: "alert-meta" },
            a.run_id && !this.opts.run ? h("a", { href: runPath(this.project, a.run_id), "data-link": true }, a.run ?? a.run_id) : null,
            a.step !== null ? h("span", {}, `step ${a.step}`) : null,
            ago(a.timestamp),
          ),
          a.text ? h("p", { class: "alert-text" }, a.text) : null,
        ),
      ),
    );
  }

  dispose() {
    this.disposed = true;
    this.stream?.close();
  }
}
