import type { CreateRun, CreatedRun, FinishRun, Run, RunList, RunStatus, RunSummary } from "../../../src/contract";
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
}
