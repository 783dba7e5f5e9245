import type { z } from "zod";
import { LIMITS, type AppendLogs, type AppendLogsResult } from "../contract";
import { parseTimestamp } from "../contract/time";
import { appendLogRows, appendLogRowsToRuns, type IngestSeen, type NewLogEntry, type StoredEntry } from "../db/logs";
import { createRunStatements, setRunConfigStatement, type RunRow } from "../db/runs";
import { badRequest } from "../errors";
import { mustCallObject } from "../ingest/hooks";
import type { Svc } from "./context";
import { evaluateRulesOnIngest, watchStartedRun } from "./rules";
import { audit } from "./audit";
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
 * Refuses a batch whose server-assigned steps (max + 1 for an entry without one) would pass
 * LIMITS.maxStep: past 2^53 − 1 consecutive integers are no longer distinct doubles. Counted
 * as if no entry were a duplicate, so it can only refuse early, never store past the limit.
 */
export function checkAssignedSteps(lastStep: number | null, steps: (number | null | undefined)[], field = (i: number) => `logs.${i}.step`) {
  let top = lastStep ?? -1;
  steps.forEach((step, i) => {
    if ((step ?? null) === null && top >= LIMITS.maxStep) {
      const message = `the next step would pass ${LIMITS.maxStep} (2^53 - 1); give this entry an explicit step`;
      throw badRequest(`Invalid body: ${field(i)}: ${message}`, [{ path: field(i), message }]);
    }
    top = Math.max(top, step ?? top + 1);
  });
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
  checkAssignedSteps(run.lastStep, body.logs.map((e) => e.step));
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

/**
 * One run's part of a multi-run write: the run as it will be (to `create`, or stored, with a
 * config to `replaceConfig`), its entries, and how to name an entry's step in an error.
 */
export type RunWrite = {
  run: RunRow;
  create: boolean;
  replaceConfig: boolean;
  entries: z.output<typeof AppendLogs>["logs"];
  stepField?: (i: number) => string;
};

/**
 * Appends entries to several runs, creating those that do not exist yet and replacing configs,
 * in one D1 transaction (Trackio's `bulk_log`, which may hold many runs and any number of
 * entries): all of it is stored or none. The batches are checked first (assigned steps), so a
 * refused request writes nothing. Then created runs are watched and every batch goes through
 * the project's rules, as appendLogs does.
 */
export async function appendLogsToRuns(s: Svc, writes: RunWrite[]): Promise<void> {
  for (const w of writes) checkAssignedSteps(w.run.lastStep, w.entries.map((e) => e.step), w.stepField);
  const first = writes.flatMap((w) =>
    w.create ? createRunStatements(s.env.DB, w.run) : w.replaceConfig ? [setRunConfigStatement(s.env.DB, w.run.id, w.run.config, w.run.groupName, w.run.updatedAt)] : [],
  );
  const results = await appendLogRowsToRuns(
    s.env.DB,
    first,
    writes.map((w) => ({ run: { id: w.run.id, project: w.run.project, lastStep: w.run.lastStep }, entries: toEntries({ logs: w.entries }) })),
    s.nowUs,
  );
  for (const [i, w] of writes.entries()) {
    if (w.create) {
      await audit(s, w.run.project, "run.create", w.run.id, { name: w.run.name });
      await watchStartedRun(s, w.run);
    }
    await afterStore(s, w.run, results[i].stored, results[i].seen);
  }
}
