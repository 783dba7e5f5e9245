import { nowTimestamp } from "../contract/time";
import { insertPendingDeliveries } from "../db/webhooks";
import type { WebhookJob } from "../webhooks/job";
import { redactUrl } from "../webhooks/targets";

/**
 * Lists deliveries in the D1 delivery log as pending as the outbox hands them to the queue, so a
 * delivery is visible before its first attempt (issue 4: pending → delivered/failed). The consumer
 * and the dead-letter consumer then update the same row by id. Best effort, never throws: the
 * consumer creates a row that is missing, so a lost write only delays when the delivery shows up.
 */
export async function logPendingDeliveries(d1: D1Database, jobs: WebhookJob[]): Promise<void> {
  try {
    await insertPendingDeliveries(
      d1,
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
    console.error("webhooks: could not list deliveries as pending", jobs.length, err instanceof Error ? err.message : err);
  }
}
