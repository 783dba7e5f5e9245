import type { RunCondition, RunStatus } from "../contract";
import { isEndedStatus } from "../contract";
import { batchHolds, type RunWaitHit } from "../run-wait/conditions";

/** How a run wait ended: its condition held (with the value), its time ran out, or its run was deleted. */
export type RunWaitOutcome = { kind: "hit"; hit: RunWaitHit } | { kind: "timeout" } | { kind: "deleted" };

type RunWaiter = { runId: string; condition: RunCondition; settle: (o: RunWaitOutcome) => void };

/**
 * Waits on run conditions, held in memory like the alert waiters (a pending timer keeps the object
 * awake, so none is lost to hibernation). Stored batches, status changes and deletions wake them:
 * there is no polling loop.
 */
export class RunWaiters {
  private readonly pending = new Set<RunWaiter>();

  get size() {
    return this.pending.size;
  }

  /** Registers a waiter; `settle` ends it early (the caller's own check found the condition true). */
  add(runId: string, condition: RunCondition, timeoutMs: number): { outcome: Promise<RunWaitOutcome>; settle: (o: RunWaitOutcome) => void } {
    let settle!: (o: RunWaitOutcome) => void;
    const outcome = new Promise<RunWaitOutcome>((resolve) => {
      const waiter: RunWaiter = {
        runId,
        condition,
        settle: (o) => {
          clearTimeout(timer);
          this.pending.delete(waiter);
          resolve(o);
        },
      };
      const timer = setTimeout(() => waiter.settle({ kind: "timeout" }), timeoutMs);
      this.pending.add(waiter);
      settle = waiter.settle;
    });
    return { outcome, settle };
  }

  /** A stored batch of the run, entries in logged order. */
  onEntries(runId: string, entries: { step: number; metrics: Record<string, unknown> }[]) {
    if (!entries.length) return;
    for (const w of [...this.pending]) {
      if (w.runId !== runId) continue;
      const hit = batchHolds(w.condition, entries);
      if (hit) w.settle({ kind: "hit", hit });
    }
  }

  /** The run's stored status changed (finished, failed, stopped, stale, …). */
  onStatus(runId: string, status: RunStatus) {
    if (!isEndedStatus(status)) return;
    for (const w of [...this.pending]) if (w.runId === runId && w.condition.kind === "ended") w.settle({ kind: "hit", hit: {} });
  }

  onDeleted(runId: string) {
    for (const w of [...this.pending]) if (w.runId === runId) w.settle({ kind: "deleted" });
  }
}
