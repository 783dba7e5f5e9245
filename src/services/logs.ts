import type { z } from "zod";
import { LIMITS, type AppendLogs, type AppendLogsResult } from "../contract";
import { parseTimestamp } from "../contract/time";
import { appendLogRows, appendLogRowsToRuns, type NewLogEntry } from "../db/logs";
import { createRunStatements, setRunConfigStatement, type RunRow } from "../db/runs";
import { badRequest } from "../errors";
import type { Svc } from "./context";
import { evaluateRulesOnIngest, watchStartedRun } from "./rules";
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

/** Appends a batch to a run already looked up. */
export async function appendLogs(s: Svc, run: RunRow, body: z.output<typeof AppendLogs>): Promise<AppendLogsResult> {
  checkAssignedSteps(run.lastStep, body.logs.map((e) => e.step));
  const { stored, duplicates, lastStep } = await appendLogRows(s.env.DB, { id: run.id, project: run.project, lastStep: run.lastStep }, toEntries(body), s.nowUs);
  // What the batch newly stored (not its duplicates) goes through the project's rules and detectors.
  if (stored.length) await evaluateRulesOnIngest(s, run, stored);
  return { run_id: run.id, accepted: stored.length, duplicates, last_step: lastStep };
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
      return { run_id: ref, accepted: r.stored.length, duplicates: r.duplicates, last_step: r.lastStep };
    }
  }
  return appendLogs(s, await getRunOr404(s, project, ref), body);
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
    if (w.create) await watchStartedRun(s, w.run);
    if (results[i].stored.length) await evaluateRulesOnIngest(s, w.run, results[i].stored);
  }
}
