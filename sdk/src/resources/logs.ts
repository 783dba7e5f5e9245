import type { AppendLogsResult, LogEntry } from "../../../src/contract";
import type { Client } from "../client";
import { seg } from "../internal/path";

export class Logs {
  constructor(private readonly client: Client) {}

  /**
   * Appends a batch of log entries. Entries whose `log_id` the run already holds are skipped
   * (counted in `duplicates`), so a retried batch is stored once. `body` may be pre-serialised JSON.
   */
  append(project: string, run: string, body: { logs: LogEntry[] } | string, opts: { signal?: AbortSignal } = {}): Promise<AppendLogsResult> {
    return this.client.request("POST", `/v1/projects/${seg(project)}/runs/${seg(run)}/logs`, { body, signal: opts.signal });
  }
}
