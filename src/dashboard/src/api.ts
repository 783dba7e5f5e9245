import type { Alert, AlertCounts, AlertPage, RichValues, MetricValues, ProjectList, ProjectSummary, Run, RunList, RunSummary, Series } from "../../contract";

// Types only: the browser trusts its own server's shapes, and bundling zod would triple the page.
export type { Alert, AlertCounts, RichValues, Run, RunSummary };
export type SeriesItem = Series["series"][number];

const KEY_STORAGE = "trackflare.key";

export const keyStore = {
  get: (): string | null => localStorage.getItem(KEY_STORAGE),
  set: (key: string) => localStorage.setItem(KEY_STORAGE, key),
  clear: () => localStorage.removeItem(KEY_STORAGE),
};

/** The API's one error shape, with the HTTP status (401 means the key is bad). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const enc = encodeURIComponent;

/** A read key is enough for everything the dashboard shows. */
export class Api {
  constructor(readonly key: string) {}

  async get<T>(path: string, params: Record<string, string | number | undefined> = {}, signal?: AbortSignal): Promise<T> {
    const url = new URL(path, location.origin);
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") url.searchParams.set(k, String(v));
    const res = await fetch(url, { headers: { authorization: `Bearer ${this.key}` }, signal });
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
      throw new ApiError(res.status, body?.error?.code ?? "error", body?.error?.message ?? `${res.status} ${res.statusText}`);
    }
    return (await res.json()) as T;
  }

  projects() {
    return this.get<ProjectList>("/v1/projects").then((r) => r.projects);
  }
  project(p: string) {
    return this.get<ProjectSummary>(`/v1/projects/${enc(p)}`);
  }
  runs(p: string) {
    return this.get<RunList>(`/v1/projects/${enc(p)}/runs`).then((r) => r.runs);
  }
  run(p: string, run: string) {
    return this.get<RunSummary>(`/v1/projects/${enc(p)}/runs/${enc(run)}`);
  }
  alertCounts(p: string) {
    return this.get<{ runs: Record<string, AlertCounts> }>(`/v1/projects/${enc(p)}/alert-counts`).then((r) => r.runs);
  }
  series(p: string, runs: string[], opts: { metrics?: string[]; maxPoints?: number; after?: number } = {}, signal?: AbortSignal) {
    return this.get<Series>(
      `/v1/projects/${enc(p)}/series`,
      { runs: runs.join(","), metrics: opts.metrics?.join(","), max_points: opts.maxPoints, after: opts.after },
      signal,
    ).then((r) => r.series);
  }
  /** One metric of one run in a step window: exact points when the window holds few enough. */
  metricWindow(p: string, run: string, metric: string, start: number, end: number, maxPoints: number, signal?: AbortSignal) {
    const path = `/v1/projects/${enc(p)}/runs/${enc(run)}/metrics/${metric.split("/").map(enc).join("/")}`;
    return this.get<MetricValues>(path, { start, end, max_points: maxPoints }, signal);
  }
  /** A run's media, table and histogram values by metric and step. */
  richValues(p: string, run: string) {
    return this.get<RichValues>(`/v1/projects/${enc(p)}/runs/${enc(run)}/media/values`);
  }
  /**
   * A stored file as an object URL: fetched with the key in a header (an <img src> could only put
   * it in the URL, where logs keep it). The caller revokes it.
   */
  async fileUrl(p: string, filePath: string, signal?: AbortSignal): Promise<string> {
    const res = await fetch(`/v1/projects/${enc(p)}/media/${filePath.split("/").map(enc).join("/")}`, { headers: { authorization: `Bearer ${this.key}` }, signal });
    if (!res.ok) throw new ApiError(res.status, "error", `${res.status} ${res.statusText}`);
    return URL.createObjectURL(await res.blob());
  }
  alerts(p: string, q: { run?: string; cursor?: number; limit?: number; level?: string } = {}) {
    return this.get<AlertPage>(`/v1/projects/${enc(p)}/alerts`, q);
  }
  alertSocketUrl(p: string, cursor: number) {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    return `${proto}//${location.host}/v1/projects/${enc(p)}/alerts/ws?cursor=${cursor}`;
  }
}
