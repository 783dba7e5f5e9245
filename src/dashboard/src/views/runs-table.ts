import type { AlertCounts, Run } from "../api";
import { runColor } from "../chart/colors";
import { ago, append, formatValue, h } from "../dom";
import { comparePath, mediaPath, paramsQuery, runPath, type ViewParams } from "../router";
import { configKeys, configMatcher, groupRuns, nameMatcher } from "../run-filters";

type Props = {
  project: string;
  params: ViewParams;
  /** The filters or the selection changed (the URL is updated by the caller). */
  onChange: (what: "filter" | "selection") => void;
};

const MAX_CONFIG_COLUMNS = 24;

function alertCell(c: AlertCounts | undefined) {
  if (!c || c.info + c.warn + c.error === 0) return h("td", { class: "muted" }, "–");
  const badge = (level: keyof AlertCounts) => (c[level] ? h("span", { class: `badge level-${level}`, title: `${c[level]} ${level}` }, `${c[level]} ${level}`) : null);
  return h("td", { class: "alerts-cell" }, badge("error"), badge("warn"), badge("info"));
}

/**
 * The runs of a project with their config as columns, filters (name regex, config values),
 * grouping (by group or a config key) and a selection that drives the charts and comparison.
 */
export class RunsTable {
  readonly el: HTMLElement;
  private runs: Run[] = [];
  private counts: Record<string, AlertCounts> = {};
  private readonly tableBox = h("div", { class: "table-scroll" });
  private readonly toolbar = h("div", { class: "selection-bar" });
  private readonly nameInput: HTMLInputElement;
  private readonly cfgInput: HTMLInputElement;
  private readonly groupSelect: HTMLSelectElement;
  private readonly nameError = h("span", { id: "name-filter-error", class: "error-text", "aria-live": "polite" });

  constructor(private readonly props: Props) {
    const p = props.params;
    this.nameInput = h("input", { id: "filter-name", type: "search", value: p.q, placeholder: "regex, e.g. ^lr-", "aria-describedby": "name-filter-error", onInput: () => this.filterChanged() });
    this.cfgInput = h("input", { id: "filter-config", type: "search", value: p.cfg, placeholder: "key=value, e.g. optimizer=adam", onInput: () => this.filterChanged() });
    this.groupSelect = h("select", { id: "group-by", onChange: () => this.filterChanged() });
    this.el = h(
      "section",
      { class: "runs", "aria-labelledby": "runs-title" },
      h("h2", { id: "runs-title" }, "Runs"),
      h(
        "div",
        { class: "filters" },
        h("label", {}, "Name ", this.nameInput),
        this.nameError,
        h("label", {}, "Config ", this.cfgInput),
        h("label", {}, "Group by ", this.groupSelect),
      ),
      this.toolbar,
      this.tableBox,
    );
  }

  update(runs: Run[], counts: Record<string, AlertCounts>) {
    this.runs = runs;
    this.counts = counts;
    this.render();
  }

  /** The runs that pass the filters, in table order. */
  visible(): Run[] {
    const name = nameMatcher(this.props.params.q);
    const cfg = configMatcher(this.props.params.cfg);
    return this.runs.filter((r) => name.test(r.name) && cfg(r));
  }

  private filterChanged() {
    const p = this.props.params;
    p.q = this.nameInput.value;
    p.cfg = this.cfgInput.value;
    p.groupBy = this.groupSelect.value;
    this.render();
    this.props.onChange("filter");
  }

  private setSelected(ids: string[], on: boolean) {
    const sel = new Set(this.props.params.runs);
    for (const id of ids) on ? sel.add(id) : sel.delete(id);
    // Keep table order so colours and comparison columns do not jump around.
    this.props.params.runs = this.runs.map((r) => r.id).filter((id) => sel.has(id));
    this.render();
    this.props.onChange("selection");
  }

  private render() {
    const p = this.props.params;
    const keys = configKeys(this.runs);
    this.groupSelect.replaceChildren(
      h("option", { value: "" }, "nothing"),
      h("option", { value: "group" }, "group"),
      ...keys.map((k) => h("option", { value: `config:${k}` }, `config: ${k}`)),
    );
    this.groupSelect.value = p.groupBy;
    const matcher = nameMatcher(p.q);
    this.nameInput.setAttribute("aria-invalid", String(!matcher.valid));
    this.nameError.textContent = matcher.valid ? "" : "Not a valid regular expression; matching the text instead.";

    const visible = this.visible();
    const selected = new Set(p.runs);
    const nSel = p.runs.length;
    this.toolbar.replaceChildren();
    append(this.toolbar, [
      h("span", {}, `${visible.length} of ${this.runs.length} runs · ${nSel} selected`),
      nSel ? h("a", { class: "button", href: comparePath(this.props.project) + paramsQuery({ runs: p.runs }), "data-link": true, id: "compare-link" }, `Compare ${nSel} selected`) : null,
      h("a", { class: "button", href: mediaPath(this.props.project) + paramsQuery({ runs: p.runs }), "data-link": true, id: "media-link" }, nSel ? `Media & Tables of ${nSel} selected` : "Media & Tables"),
      nSel ? h("button", { type: "button", class: "link", onClick: () => this.setSelected(p.runs, false) }, "Clear selection") : null,
    ]);

    if (!this.runs.length) {
      this.tableBox.replaceChildren(h("p", { class: "empty-state" }, "This project has no runs yet."));
      return;
    }
    const cfgCols = keys.slice(0, MAX_CONFIG_COLUMNS);
    const allVisibleSelected = visible.length > 0 && visible.every((r) => selected.has(r.id));
    const head = h(
      "tr",
      {},
      h("th", { scope: "col" }, h("input", { type: "checkbox", "aria-label": "Select all shown runs", checked: allVisibleSelected, onChange: (e: Event) => this.setSelected(visible.map((r) => r.id), (e.target as HTMLInputElement).checked) })),
      ...["Name", "Group", "Status", "Last step", "Logs", "Alerts", "Created"].map((t) => h("th", { scope: "col", class: t === "Last step" || t === "Logs" ? "num" : null }, t)),
      ...cfgCols.map((k) => h("th", { scope: "col", class: "config-col", title: `config: ${k}` }, k)),
    );
    const row = (r: Run) =>
      h(
        "tr",
        { "data-run-id": r.id, "data-run-name": r.name, class: selected.has(r.id) ? "selected" : null },
        h("td", {}, h("input", { type: "checkbox", "aria-label": `Select run ${r.name}`, checked: selected.has(r.id), onChange: (e: Event) => this.setSelected([r.id], (e.target as HTMLInputElement).checked) })),
        h("td", { class: "run-name" }, h("span", { class: "swatch", style: `background:${runColor(r.id)}`, "aria-hidden": "true" }), h("a", { href: runPath(this.props.project, r.id), "data-link": true }, r.name)),
        h("td", {}, r.group ?? h("span", { class: "muted" }, "–")),
        h("td", {}, h("span", { class: `status status-${r.status}` }, r.status)),
        h("td", { class: "num" }, r.last_step ?? "–"),
        h("td", { class: "num" }, r.log_count),
        alertCell(this.counts[r.id]),
        h("td", {}, ago(r.created_at)),
        ...cfgCols.map((k) => h("td", { class: "config-col", "data-config-key": k }, k in r.config ? formatValue(r.config[k]) : h("span", { class: "muted" }, "–"))),
      );
    const width = 8 + cfgCols.length;
    const bodies = groupRuns(visible, p.groupBy).map((g) => {
      const ids = g.runs.map((r) => r.id);
      const header = g.label
        ? h(
            "tr",
            { class: "group-row" },
            h("th", { colspan: width, scope: "rowgroup" },
              h("label", {}, h("input", { type: "checkbox", checked: ids.every((id) => selected.has(id)), onChange: (e: Event) => this.setSelected(ids, (e.target as HTMLInputElement).checked) }), ` ${g.label} (${g.runs.length})`),
            ),
          )
        : null;
      return h("tbody", {}, header, g.runs.map(row));
    });
    const focused = document.activeElement?.getAttribute("aria-label");
    this.tableBox.replaceChildren(h("table", { class: "table", id: "runs-table" }, h("caption", { class: "sr-only" }, "Runs of this project"), h("thead", {}, head), bodies));
    // A refresh must not steal the keyboard focus from a checkbox.
    if (focused) this.tableBox.querySelector<HTMLElement>(`[aria-label="${CSS.escape(focused)}"]`)?.focus();
  }
}
