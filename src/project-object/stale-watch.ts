import { formatTimestamp, type ProjectSettings } from "../contract";
import { STALE_RULE_ID } from "../rules/builtins";
import type { RuleEntry } from "../rules/engine";
import type { ProjectD1 } from "./d1";
import type { RuleStore, RunWatch } from "./rule-store";
import type { AlertInput, EvaluatedRun } from "./types";
import { logFailure } from "../log";

/** Stale checks per alarm run; more stay due and the alarm fires again at once. */
const STALE_BATCH = 50;
/** After a failed D1 check the run is checked again this much later. */
const RETRY_US = 30_000_000;

/**
 * The stale detector: when each live run is due a check, and when it last reported as far as this
 * object knows (it hears only of batches a rule or detector can fire on; D1 holds the rest, and the
 * check reads it). Its rows are in the rules' tables (rule-store.ts); its due times drive the
 * object's alarm.
 */
export class StaleWatch {
  constructor(
    private readonly store: RuleStore,
    private readonly d1: ProjectD1,
  ) {}

  /** When the next check is due, in epoch milliseconds, or null. */
  nextDueMs(): number | null {
    const next = this.store.nextDue();
    return next === null ? null : Math.ceil(next / 1000);
  }

  /** Re-times every live watch for new settings (due `stale_after` after its last entry, or never when off). */
  retime(s: ProjectSettings) {
    this.store.rescheduleAll(s.detectors.stale ? s.stale_after * 1_000_000 : null);
  }

  /** Updates the run's watch; pushes the "resumed" alert if it was stale. Returns when it is next due. */
  report(run: EvaluatedRun, entries: RuleEntry[], s: ProjectSettings, nowUs: number, out: AlertInput[]): number | null {
    if (run.status === "finished" || run.status === "failed") {
      this.store.forgetWatch(run.id);
      return null;
    }
    let lastStep: number | null = null;
    for (const e of entries) if (lastStep === null || e.step > lastStep) lastStep = e.step;
    const prev = this.store.watch(run.id);
    if (prev?.last_step != null && (lastStep === null || prev.last_step > lastStep)) lastStep = prev.last_step;
    const dueUs = s.detectors.stale ? nowUs + s.stale_after * 1_000_000 : null;
    if (prev?.stale_since_us != null) out.push(resumedAlert(prev, run, lastStep, nowUs));
    this.store.putWatch({ run_id: run.id, run_name: run.name, last_us: nowUs, last_step: lastStep, due_us: dueUs, stale_since_us: null });
    return dueUs;
  }

  /**
   * Every watched run past its due time is checked against D1 and, when D1 agrees it has been quiet
   * for stale_after, marked stale (or `ended`, without an alert, when made over Trackio's protocol);
   * returns the stale ones' "Run stopped reporting" alerts, and every run whose status it changed
   * (for the object's run waits). Never throws: a failed check is retried later.
   */
  async checkDue(s: ProjectSettings, nowUs: number): Promise<{ alerts: AlertInput[]; changed: [runId: string, status: "stale" | "ended"][] }> {
    const staleAfterUs = s.stale_after * 1_000_000;
    const alerts: AlertInput[] = [];
    const changed: [string, "stale" | "ended"][] = [];
    for (const w of this.store.dueWatches(nowUs, STALE_BATCH)) {
      const found = await this.check(w, nowUs - staleAfterUs, nowUs);
      if (found?.kind === "stale") {
        this.store.markStale(w.run_id, nowUs);
        // The alert quotes D1's last entry: most batches never reach this object.
        alerts.push(staleAlert({ ...w, last_us: found.lastUs, last_step: found.lastStep ?? w.last_step }, s.stale_after));
      }
      if (found) changed.push([w.run_id, found.kind]);
    }
    return { alerts, changed };
  }

  /** What the check found: the run just became stale (with its last activity from D1), just ended (no alert), or neither. */
  private async check(w: RunWatch, cutoffUs: number, nowUs: number): Promise<{ kind: "stale"; lastUs: number; lastStep: number | null } | { kind: "ended" } | null> {
    try {
      const found = await this.d1.markRunStale(w.run_id, cutoffUs, nowUs);
      if (found.kind === "stale") return found;
      // The run logged since this object last heard of it (most batches never come here): check again stale_after after its last entry.
      if (found.kind === "reporting") this.store.setDue(w.run_id, Math.max(found.lastUs + (nowUs - cutoffUs), nowUs + 1_000_000));
      // Done, gone, or `ended`: a Trackio-protocol run went quiet, which is no failure, so no alert;
      // its watch goes, so that a later entry (back to `running` in D1) raises no "resumed" alert either.
      else {
        this.store.forgetWatch(w.run_id);
        if (found.kind === "ended") return { kind: "ended" };
      }
    } catch (err) {
      logFailure("stale check failed", err);
      this.store.setDue(w.run_id, nowUs + RETRY_US);
    }
    return null;
  }
}

export function staleAlert(w: RunWatch, staleAfterSeconds: number): AlertInput {
  const step = w.last_step === null ? "" : `, at step ${w.last_step}`;
  return {
    alert_id: `stale-${w.run_id}-${w.last_us}`,
    run_id: w.run_id,
    run: w.run_name,
    title: "Run stopped reporting",
    text: `No log entry for ${staleAfterSeconds} s (the run last reported at ${formatTimestamp(w.last_us)}${step}); it is now stale.`,
    level: "warn",
    step: w.last_step,
    timestamp: null,
    rule_id: STALE_RULE_ID,
  };
}

export function resumedAlert(w: RunWatch, run: { id: string; name: string }, step: number | null, nowUs: number): AlertInput {
  const quiet = Math.round((nowUs - w.last_us) / 1_000_000);
  return {
    alert_id: `resumed-${run.id}-${w.stale_since_us}`,
    run_id: run.id,
    run: run.name,
    title: "Run resumed reporting",
    text: `Logging again after ${quiet} s without entries; the run is running again.`,
    level: "info",
    step,
    timestamp: null,
    rule_id: STALE_RULE_ID,
  };
}
