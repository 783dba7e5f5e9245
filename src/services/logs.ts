import type { z } from "zod";
import type { AppendLogs, AppendLogsResult } from "../contract";
import { parseTimestamp } from "../contract/time";
import { appendLogRows, type NewLogEntry } from "../db/logs";
import type { RunRow } from "../db/runs";
import type { Svc } from "./context";
import { evaluateRulesOnIngest } from "./rules";
import { getRunOr404, isRunId } from "./run-refs";

function toEntries(body: z.output<typeof AppendLogs>): NewLogEntry[] {
  return body.logs.map((e) => ({
    log_id: e.log_id ?? crypto.randomUUID().replaceAll("-", ""),
    step: e.step ?? null,
    metrics: e.metrics as Record<string, unknown>,
    us: e.timestamp ? (parseTimestamp(e.timestamp) ?? undefined) : undefined,
  }));
}

/**
 * A stop request rides on the answer to the run's next log batch: the script learns it with no
 * extra request. The row is the one the write read (or the lookup before it), so a request made
 * while the batch was in flight is seen on the batch after.
 */
const stopAnswer = (run: RunRow): Partial<AppendLogsResult> =>
  run.stopRequestedAt ? { stop_requested: true, stop_reason: run.stopReason } : {};

/** Appends a batch to a run already looked up. */
export async function appendLogs(s: Svc, run: RunRow, body: z.output<typeof AppendLogs>): Promise<AppendLogsResult> {
  const { stored, duplicates, lastStep } = await appendLogRows(s.env.DB, { id: run.id, project: run.project, lastStep: run.lastStep }, toEntries(body), s.nowUs);
  // What the batch newly stored (not its duplicates) goes through the project's rules and detectors.
  if (stored.length) await evaluateRulesOnIngest(s, run, stored);
  return { run_id: run.id, accepted: stored.length, duplicates, last_step: lastStep, ...stopAnswer(run) };
}

/**
 * Appends a batch to a run named by the request. The common case (the SDK: a run id, every step
 * given) costs one D1 round trip: the write transaction reads the run itself. Otherwise, or when
 * the id is no run of the project (a name that looks like an id), the run is looked up first.
 */
export async function appendLogsTo(s: Svc, project: string, ref: string, body: z.output<typeof AppendLogs>): Promise<AppendLogsResult> {
  const entries = toEntries(body);
  if (isRunId(ref) && entries.every((e) => e.step !== null)) {
    const r = await appendLogRows(s.env.DB, { id: ref, project }, entries, s.nowUs);
    if (r.before) {
      if (r.stored.length) await evaluateRulesOnIngest(s, r.before, r.stored);
      return { run_id: ref, accepted: r.stored.length, duplicates: r.duplicates, last_step: r.lastStep, ...stopAnswer(r.before) };
    }
  }
  return appendLogs(s, await getRunOr404(s, project, ref), body);
}
