import { MAX_WAIT_SECONDS, type CreateRun, type CreatedRun, type Diagnosis, type FinishRun, type Run, type RunList, type RunStatus, type RunSummary, type RunWaitResult, type StopRun } from "../../../src/contract";
import type { Client } from "../client";
import { seg } from "../internal/path";

export type RunFilters = { group?: string; status?: RunStatus; name?: string; /** `key=value` pairs */ config?: string[] };

export class Runs {
  constructor(private readonly client: Client) {}

  /** Creates a run, or resumes one (201 new, 200 resumed); a known client `id` makes it idempotent. */
  create(project: string, body: CreateRun): Promise<CreatedRun> {
    return this.client.request("POST", `/v1/projects/${seg(project)}/runs`, { body });
  }

  list(project: string, filters: RunFilters = {}): Promise<RunList> {
    return this.client.request("GET", `/v1/projects/${seg(project)}/runs`, { query: filters });
  }

  /** A run by id or name (a name means the newest run with it), with metric names and alert counts. */
  get(project: string, run: string): Promise<RunSummary> {
    return this.client.request("GET", `/v1/projects/${seg(project)}/runs/${seg(run)}`);
  }

  rename(project: string, run: string, name: string): Promise<Run> {
    return this.client.request("PATCH", `/v1/projects/${seg(project)}/runs/${seg(run)}`, { body: { name } });
  }

  finish(project: string, run: string, body: FinishRun = {}): Promise<Run> {
    return this.client.request("POST", `/v1/projects/${seg(project)}/runs/${seg(run)}/finish`, { body });
  }

  delete(project: string, run: string): Promise<{ deleted: true; id: string }> {
    return this.client.request("DELETE", `/v1/projects/${seg(project)}/runs/${seg(run)}`);
  }

  /** Asks the run's script to stop: it learns it from the answer to its next log batch (`shouldStop()`). */
  stop(project: string, run: string, body: StopRun = {}): Promise<Run> {
    return this.client.request("POST", `/v1/projects/${seg(project)}/runs/${seg(run)}/stop`, { body });
  }

  /** A bounded summary of the run's health (a few KB whatever its length); see the README for its rules. */
  diagnosis(project: string, run: string): Promise<Diagnosis> {
    return this.client.request("GET", `/v1/projects/${seg(project)}/runs/${seg(run)}/diagnosis`);
  }

  /**
   * Blocks until `until` holds (`ended`, `step>=N`, `val/loss<0.3`) or `timeout` seconds pass
   * (`timed_out: true`). The server wakes the wait on ingest; timeouts beyond its cap are waited in rounds.
   */
  async wait(project: string, run: string, opts: { until: string; timeout: number; signal?: AbortSignal }): Promise<RunWaitResult> {
    const deadline = Date.now() + opts.timeout * 1000;
    for (;;) {
      const round = Math.min(Math.max(0, (deadline - Date.now()) / 1000), MAX_WAIT_SECONDS);
      const res: RunWaitResult = await this.client.request("GET", `/v1/projects/${seg(project)}/runs/${seg(run)}/wait`, {
        query: { until: opts.until, timeout: Math.round(round * 1000) / 1000 },
        signal: opts.signal,
        timeoutMs: (round + 30) * 1000,
      });
      if (res.matched || Date.now() >= deadline - 50) return res;
    }
  }
}
