/**
 * Deep links: the path names the view, the query keeps what a colleague needs to see the same
 * thing (selected runs, smoothing, x axis, log scale, filters).
 *   /                          projects
 *   /signin                    sign-in
 *   /p/:project                runs table, charts and alerts
 *   /p/:project/compare        selected runs side by side
 *   /p/:project/media          media, tables and histograms of the selected runs
 *   /p/:project/runs/:run      one run
 */
export type Route =
  | { view: "signin" }
  | { view: "projects" }
  | { view: "project"; project: string }
  | { view: "compare"; project: string }
  | { view: "media"; project: string }
  | { view: "run"; project: string; run: string };

/** `step`, `time` (wall clock), `relative` (seconds since the run's first point) or `metric:<name>`. */
export type XAxis = "step" | "time" | "relative" | `metric:${string}`;

export type ViewParams = {
  runs: string[];
  smooth: number;
  x: XAxis;
  log: boolean;
  /** Run-name filter (a regular expression). */
  q: string;
  /** Config filter `key=value`. */
  cfg: string;
  /** `group` or `config:<key>`; empty means no grouping. */
  groupBy: string;
};

export const DEFAULT_SMOOTHING = 0.6;

export function parseRoute(url: URL = new URL(location.href)): Route {
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "signin") return { view: "signin" };
  if (parts[0] === "p" && parts[1]) {
    if (parts[2] === "compare") return { view: "compare", project: parts[1] };
    if (parts[2] === "media") return { view: "media", project: parts[1] };
    if (parts[2] === "runs" && parts[3]) return { view: "run", project: parts[1], run: parts[3] };
    return { view: "project", project: parts[1] };
  }
  return { view: "projects" };
}

export function parseParams(url: URL = new URL(location.href)): ViewParams {
  const q = url.searchParams;
  const smooth = Number(q.get("smooth") ?? DEFAULT_SMOOTHING);
  const x = q.get("x") ?? "step";
  return {
    runs: (q.get("runs") ?? "").split(",").filter(Boolean),
    smooth: Number.isFinite(smooth) ? Math.min(0.99, Math.max(0, smooth)) : DEFAULT_SMOOTHING,
    x: x === "time" || x === "relative" || x.startsWith("metric:") ? (x as XAxis) : "step",
    log: q.get("log") === "1",
    q: q.get("q") ?? "",
    cfg: q.get("cfg") ?? "",
    groupBy: q.get("group_by") ?? "",
  };
}

export function paramsQuery(p: Partial<ViewParams>): string {
  const q = new URLSearchParams();
  if (p.runs?.length) q.set("runs", p.runs.join(","));
  if (p.smooth !== undefined && p.smooth !== DEFAULT_SMOOTHING) q.set("smooth", String(p.smooth));
  if (p.x && p.x !== "step") q.set("x", p.x);
  if (p.log) q.set("log", "1");
  if (p.q) q.set("q", p.q);
  if (p.cfg) q.set("cfg", p.cfg);
  if (p.groupBy) q.set("group_by", p.groupBy);
  const s = q.toString();
  return s ? `?${s}` : "";
}

const enc = encodeURIComponent;
export const projectPath = (project: string) => `/p/${enc(project)}`;
export const comparePath = (project: string) => `/p/${enc(project)}/compare`;
export const mediaPath = (project: string) => `/p/${enc(project)}/media`;
export const runPath = (project: string, run: string) => `/p/${enc(project)}/runs/${enc(run)}`;

type Listener = () => void;
let listener: Listener = () => {};

/** Navigates inside the app (no reload); `replace` for state tweaks that should not fill history. */
export function navigate(href: string, opts: { replace?: boolean; render?: boolean } = {}) {
  if (opts.replace) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  if (opts.render !== false) listener();
}

/** Updates the query string of the current view without re-rendering it. */
export function updateParams(p: ViewParams) {
  navigate(location.pathname + paramsQuery(p), { replace: true, render: false });
}

export function startRouter(onChange: Listener) {
  listener = onChange;
  addEventListener("popstate", onChange);
  // Same-origin links marked data-link stay in the app.
  document.addEventListener("click", (ev) => {
    const a = (ev.target as Element).closest?.("a[data-link]") as HTMLAnchorElement | null;
    if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
    ev.preventDefault();
    navigate(a.getAttribute("href")!);
  });
}
