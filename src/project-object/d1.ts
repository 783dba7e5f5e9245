import { nowTimestamp } from "../contract/time";
import { getDb } from "../db/client";
import { markRunStale, type StaleOutcome } from "../db/run-status";
import { publishIngestHooks } from "../db/projects";
import { runWaitState } from "../db/run-wait";
import type { RunWaitState } from "../run-wait/conditions";
import { insertPendingDeliveries, webhookTargetRows } from "../db/webhooks";
import type { WebhookJob } from "../webhooks/job";
import { redactUrl } from "../webhooks/targets";
import { unsignedTarget, type WebhookPlan } from "./webhook-plan";
import { logFailure } from "../log";

/**
 * Everything the object reads or writes in D1, and the only module inside it that does: the
 * project's webhook targets when alerts are stored, the run's status when a stale check is due
 * or a run wait starts or wakes, the project's ingest hooks when a reason to see batches changes,
 * and the delivery log's pending rows when the outbox hands deliveries to the queue. The SQL
 * itself is in src/db/.
 */
export class ProjectD1 {
  constructor(private readonly d1: D1Database) {}

  /** The project's enabled subscriptions and the run-level webhook and min level of each run given (indexed queries, one round trip). */
  async webhookPlan(project: string, runIds: Iterable<string | null | undefined>): Promise<WebhookPlan> {
    const ids = [...new Set([...runIds].filter((id): id is string => !!id))];
    const { subs, runs } = await webhookTargetRows(getDb(this.d1), project, ids);
    const plan: WebhookPlan = {
      subscriptions: subs.map((s) => ({ webhook_id: s.id, url: s.url, kind: s.kind, min_level: s.minLevel, run: s.runFilter })),
      runs: {},
      runMinLevels: {},
    };
    for (const r of runs) {
      const level = r.webhookMinLevel?.toLowerCase();
      const minLevel = level === "info" || level === "warn" || level === "error" ? level : null;
      plan.runMinLevels[r.id] = minLevel;
      if (r.webhookUrl) plan.runs[r.id] = unsignedTarget(r.webhookUrl, minLevel);
    }
    return plan;
  }

  /** A run's status, last step and a metric's latest finite value, for a run wait (src/db/run-wait.ts); null when the run is gone. */
  runWaitState(runId: string, metric: string | null): Promise<RunWaitState | null> {
    return runWaitState(this.d1, runId, metric);
  }

  /** Publishes why stored batches must reach the object (src/ingest/hooks.ts), under `version`. */
  publishIngestHooks(project: string, mask: number, version: number): Promise<void> {
    return publishIngestHooks(this.d1, project, mask, version);
  }

  /** Marks a `running` run `stale` (or `ended`, by its origin) when D1 agrees it has logged nothing since `cutoffUs` (src/db/run-status.ts). */
  markRunStale(runId: string, cutoffUs: number, nowUs: number): Promise<StaleOutcome> {
    return markRunStale(this.d1, runId, cutoffUs, nowUs);
  }

  /**
   * Lists deliveries in the D1 delivery log as pending as the outbox hands them to the queue, so a
   * delivery is visible before its first attempt (pending → delivered/failed). The consumer and the
   * dead-letter consumer then update the same row by id. Best effort, never throws: the consumer
   * creates a row that is missing, so a lost write only delays when the delivery shows up.
   */
  async logPendingDeliveries(jobs: WebhookJob[]): Promise<void> {
    try {
      await insertPendingDeliveries(
        this.d1,
        jobs.map((j) => ({
          id: j.delivery_id,
          project: j.project,
          webhookId: j.webhook_id,
          alertId: j.alert.alert_id,
          url: redactUrl(j.url, j.kind),
          kind: j.kind,
          createdAt: j.created_at,
        })),
        nowTimestamp(),
      );
    } catch (err) {
      logFailure("webhooks: could not list deliveries as pending", err, jobs.length);
    }
  }
}
