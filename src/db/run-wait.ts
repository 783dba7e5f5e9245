import type { RunStatus } from "../contract";
import { ROLLUP_WIDTHS } from "../metrics/rollup";
import type { RunWaitState } from "../run-wait/conditions";

const RUN = `SELECT status, last_step FROM runs WHERE id = ?1`;
// The finest rollup's newest bucket holds the value at the run's highest step (finite values only).
const LATEST = `SELECT last, last_step FROM metric_rollups WHERE run_id = ?1 AND name = ?2 AND width = ?3 ORDER BY bucket DESC LIMIT 1`;

/** A run's status, last step and (with `metric`) that metric's latest finite value, in one round trip; null when the run is gone. */
export async function runWaitState(d1: D1Database, runId: string, metric: string | null): Promise<RunWaitState | null> {
  const statements = [d1.prepare(RUN).bind(runId)];
  if (metric !== null) statements.push(d1.prepare(LATEST).bind(runId, metric, ROLLUP_WIDTHS[0]));
  const [run, latest] = await d1.batch<Record<string, unknown>>(statements);
  const r = run.results[0];
  if (!r) return null;
  const state: RunWaitState = { status: r.status as RunStatus, lastStep: (r.last_step as number | null) ?? null };
  const l = latest?.results[0];
  if (l) state.value = { value: l.last as number, step: l.last_step as number };
  return state;
}
