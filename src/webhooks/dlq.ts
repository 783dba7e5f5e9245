import { nowTimestamp } from "../contract/time";
import { getDb } from "../db/client";
import { markExhausted } from "../db/webhooks";
import { WebhookJob } from "./job";
import { redactUrl } from "./targets";
import { logFailure } from "../log";

/**
 * The `trackflare-webhooks-dlq` consumer. A message lands here after its last retry; the delivery is
 * recorded as failed (a row already delivered stays delivered) and the message is acked.
 */
export async function handleDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = getDb(env.DB);
  for (const msg of batch.messages) {
    const job = WebhookJob.safeParse(msg.body);
    if (!job.success) {
      msg.ack();
      continue;
    }
    const j = job.data;
    try {
      await markExhausted(
        db,
        { id: j.delivery_id, project: j.project, webhookId: j.webhook_id, alertId: j.alert.alert_id, url: redactUrl(j.url, j.kind), kind: j.kind, at: nowTimestamp() },
        "retries exhausted",
      );
      msg.ack();
    } catch (err) {
      logFailure("webhooks: could not record an exhausted delivery", err, j.delivery_id);
      msg.retry();
    }
  }
}
