import type { z } from "zod";
import type { AppendLogs, AppendLogsResult } from "../contract";
import { parseTimestamp } from "../contract/time";
import { appendLogRows, type IngestSeen, type NewLogEntry, type StoredEntry } from "../db/logs";
import type { RunRow } from "../db/runs";
import { mustCallObject } from "../ingest/hooks";
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

/**
 * What the batch newly stored (not its duplicates) goes through the project's rules and detectors,
 * when the write transaction says something there can fire (src/ingest/hooks.ts); `run` carries
 * the status the transaction found.
 */
async function afterStore(s: Svc, run: RunRow, stored: StoredEntry[], seen: IngestSeen) {
  if (mustCallObject(seen.hooks, { entries: stored, statusBefore: seen.statusBefore }))
    await evaluateRulesOnIngest(s, seen.statusBefore ? { ...run, status: seen.statusBefore } : run, stored, seen.hooks);
}

/** Appends a batch to a run already looked up. */
export async function appendLogs(s: Svc, run: RunRow, body: z.output<typeof AppendLogs>): Promise<AppendLogsResult> {
  const { stored, duplicates, lastStep, seen } = await appendLogRows(s.env.DB, { id: run.id, project: run.project, lastStep: run.lastStep }, toEntries(body), s.nowUs);
  await afterStore(s, run, stored, seen);
  return { run_id: run.id, accepted: stored.length, duplicates, last_step: lastStep, ...stopAnswer(run) };
}

/**
 * Appends a batch to a run named by the request. The common case (the SDK: a run id, every step
 * given) costs one D1 round trip: the write transaction reads the run itself. Otherwise, or when
 * the id is no run of the project (a name that looks like an id), the run is looked up first.
 */
export async function appendLogsTo(s: Svc, project: string, ref: string, body: z.output<typeof AppendLogs>): Promise<AppendLogsResult> {
  return (await appendLogsToRunId(s, project, ref, body)) ?? appendLogs(s, await getRunOr404(s, project, ref), body);
}

/**
 * The one-round-trip write: `id` is taken for a run id of the project and every entry must give
 * its step. Null (nothing written) when it is not such an id, the run does not exist, or a step
 * is missing: the caller looks the run up instead.
 */
export async function appendLogsToRunId(s: Svc, project: string, id: string, body: z.output<typeof AppendLogs>): Promise<AppendLogsResult | null> {
  const entries = toEntries(body);
  if (!isRunId(id) || entries.some((e) => e.step === null)) return null;
  const r = await appendLogRows(s.env.DB, { id, project }, entries, s.nowUs);
  if (!r.before) return null;
  await afterStore(s, r.before, r.stored, r.seen);
  return { run_id: id, accepted: r.stored.length, duplicates: r.duplicates, last_step: r.lastStep, ...stopAnswer(r.before) };
}
