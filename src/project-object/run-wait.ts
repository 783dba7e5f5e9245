import type { RunCondition, RunWaitResult } from "../contract";
import { conditionMetric, stateHolds, type RunWaitHit, type RunWaitState } from "../run-wait/conditions";
import type { ProjectD1 } from "./d1";
import type { RunWaiters } from "./run-waiters";

function answer(state: RunWaitState, hit: RunWaitHit | null): RunWaitResult {
  const shown = hit?.value !== undefined ? { value: hit.value, value_step: hit.value_step } : state.value ? { value: state.value.value, value_step: state.value.step } : {};
  return { matched: hit !== null, timed_out: hit === null, status: state.status, step: state.lastStep, ...shown };
}

/**
 * One round of a run wait, inside the project's object. The waiter is registered (and the ingest
 * hooks told, `announce`) before D1 is read: a batch written before the read is seen by it, and one
 * written after reaches this object's `evaluate` and wakes the waiter, so nothing falls in between.
 * Null when the run does not exist (or is deleted meanwhile).
 */
export async function waitOnRun(
  waiters: RunWaiters,
  d1: ProjectD1,
  runId: string,
  condition: RunCondition,
  timeoutMs: number,
  announce: () => Promise<void>,
): Promise<RunWaitResult | null> {
  const waiter = waiters.add(runId, condition, timeoutMs);
  await announce();
  const metric = conditionMetric(condition);
  const now = await d1.runWaitState(runId, metric);
  if (!now) {
    waiter.settle({ kind: "deleted" });
    return null;
  }
  const held = stateHolds(condition, now);
  if (held) {
    waiter.settle({ kind: "hit", hit: held });
    return answer(now, held);
  }
  const outcome = await waiter.outcome;
  if (outcome.kind === "deleted") return null;
  // The status and step as they are now (the batch that woke the wait is already in D1).
  const after = await d1.runWaitState(runId, metric);
  if (!after) return null;
  return answer(after, outcome.kind === "hit" ? outcome.hit : stateHolds(condition, after));
}
