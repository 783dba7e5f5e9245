import { compare, isEndedStatus, type RunCondition, type RunStatus } from "../contract";

/** What a wait's condition is checked against: the run as D1 has it, with the metric's latest finite value. */
export type RunWaitState = { status: RunStatus; lastStep: number | null; value?: { value: number; step: number } };

/** A condition that holds, with the value that made it hold (metric conditions). */
export type RunWaitHit = { value?: number; value_step?: number };

export const conditionMetric = (c: RunCondition) => (c.kind === "metric" ? c.metric : null);

/** The run's current state against the condition; null when it does not hold. */
export function stateHolds(c: RunCondition, s: RunWaitState): RunWaitHit | null {
  switch (c.kind) {
    case "ended":
      return isEndedStatus(s.status) ? {} : null;
    case "step":
      return s.lastStep !== null && s.lastStep >= c.min ? {} : null;
    case "metric":
      return s.value && compare(s.value.value, c.op, c.value) ? { value: s.value.value, value_step: s.value.step } : null;
  }
}

/**
 * A stored batch against the condition, entries in the order they were logged: the first entry
 * that makes it hold. Only finite numbers count for a metric (NaN compares false anyway).
 */
export function batchHolds(c: RunCondition, entries: { step: number; metrics: Record<string, unknown> }[]): RunWaitHit | null {
  if (c.kind === "ended") return null;
  for (const e of entries) {
    if (c.kind === "step") {
      if (e.step >= c.min) return {};
      continue;
    }
    const v = e.metrics[c.metric];
    if (typeof v === "number" && Number.isFinite(v) && compare(v, c.op, c.value)) return { value: v, value_step: e.step };
  }
  return null;
}
