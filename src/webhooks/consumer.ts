import { nowTimestamp } from "../contract/time";
import { getDb, type Db } from "../db/client";
import { disableWebhook, findDelivery, findWebhook, recordAttempt } from "../db/webhooks";
import { retryDelaySeconds } from "./backoff";
import { deliver, type Outcome } from "./deliver";
import { WebhookJob } from "./job";
import { payloadBody } from "./payloads";
import { standardWebhookHeaders } from "./sign";
import { loopbackAllowed, redactUrl } from "./targets";
import { logFailure } from "../log";

/**
 * The `trackflare-webhooks` consumer: classify each message, then ack or retry it on its own (a
 * throw would retry the whole batch and re-send the deliveries that succeeded).
 */
export async function handleWebhookBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = getDb(env.DB);
  await Promise.all(batch.messages.map((msg) => handleMessage(msg, env, db)));
}

async function handleMessage(msg: Message<unknown>, env: Env, db: Db) {
  const parsed = WebhookJob.safeParse(msg.body);
  if (!parsed.success) {
    // Retrying cannot fix its shape, and without a delivery id there is no log row to write.
    console.warn("webhooks: dropped a malformed job", msg.id, parsed.error.issues.map((i) => i.path.join(".")).join(","));
    msg.ack();
    return;
  }
  const job = parsed.data;
  let outcome: Outcome | "done";
  try {
    outcome = await attempt(job, env, db);
  } catch (err) {
    // D1 could not be read, so nothing was sent: try again later.
    logFailure("webhooks: delivery lookup failed", err, job.delivery_id);
    msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
    return;
  }
  if (outcome === "done") {
    msg.ack();
    return;
  }
  await record(db, job, msg.attempts, outcome);
  if (outcome.kind === "retry") msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts, outcome.retryAfterSeconds) });
  else msg.ack();
}

/** One POST, or "done" when the log already holds a final outcome (queues deliver at least once). */
async function attempt(job: WebhookJob, env: Env, db: Db): Promise<Outcome | "done"> {
  const previous = await findDelivery(db, job.delivery_id);
  if (previous && previous.status !== "pending") return "done";
  let secret: string | null = null;
  if (job.webhook_id) {
    const sub = await findWebhook(db, job.webhook_id);
    if (!sub) return { kind: "failed", status: null, error: "subscription deleted", disable: null };
    if (!sub.enabled) return { kind: "failed", status: null, error: `subscription disabled: ${sub.disabledReason ?? "by the server"}`, disable: null };
    secret = sub.secret;
  }
  const body = payloadBody(job.kind, job.project, job.alert);
  const headers = job.kind === "generic" ? await standardWebhookHeaders(secret, job.delivery_id, body) : {};
  return deliver({ url: job.url, kind: job.kind, body, headers, allowLoopback: loopbackAllowed(env) });
}

/** The delivery log is best effort: losing a log write must not re-send a delivery that landed. */
async function record(db: Db, job: WebhookJob, attempts: number, outcome: Outcome) {
  try {
    await recordAttempt(db, {
      id: job.delivery_id,
      project: job.project,
      webhookId: job.webhook_id,
      alertId: job.alert.alert_id,
      url: redactUrl(job.url, job.kind),
      kind: job.kind,
      status: outcome.kind === "delivered" ? "delivered" : outcome.kind === "retry" ? "pending" : "failed",
      attempts,
      lastStatus: outcome.status,
      lastError: outcome.kind === "delivered" ? null : outcome.error,
      at: nowTimestamp(),
    });
    if (outcome.kind === "failed" && outcome.disable && job.webhook_id) await disableWebhook(db, job.webhook_id, outcome.disable);
  } catch (err) {
    logFailure("webhooks: could not record delivery", err, job.delivery_id);
  }
}
