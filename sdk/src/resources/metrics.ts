import type { MetricNames, MetricValues, Series, Snapshot } from "../../../src/contract";
import type { Client } from "../client";
import { seg } from "../internal/path";

export type MetricRange = { step?: number; around?: number; window?: number; maxPoints?: number; start?: number; end?: number };

// Metric names may hold '/' (`train/loss`); the route takes the rest of the path as the name.
const metricPath = (name: string) => name.split("/").map(seg).join("/");

export class Metrics {
  constructor(private readonly client: Client) {}

  names(project: string, run: string): Promise<MetricNames> {
    return this.client.request("GET", `/v1/projects/${seg(project)}/runs/${seg(run)}/metrics`);
  }

  /** One metric's points: all, at `step`, within `window` of `around`, or downsampled to `maxPoints`. */
  values(project: string, run: string, metric: string, r: MetricRange = {}): Promise<MetricValues> {
    return this.client.request("GET", `/v1/projects/${seg(project)}/runs/${seg(run)}/metrics/${metricPath(metric)}`, {
      query: { step: r.step, around: r.around, window: r.window, max_points: r.maxPoints, start: r.start, end: r.end },
    });
  }

  /** Every metric at `step`, or within `window` steps of `around`. */
  snapshot(project: string, run: string, r: { step?: number; around?: number; window?: number }): Promise<Snapshot> {
    return this.client.request("GET", `/v1/projects/${seg(project)}/runs/${seg(run)}/snapshot`, { query: r });
  }

  /** Several runs × metrics at once, downsampled. */
  series(project: string, q: { runs: string[]; metrics?: string[]; maxPoints?: number; after?: number }): Promise<Series> {
    return this.client.request("GET", `/v1/projects/${seg(project)}/series`, {
      query: { runs: q.runs.join(","), metrics: q.metrics?.join(","), max_points: q.maxPoints, after: q.after },
    });
  }
}
