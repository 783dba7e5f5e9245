import { z } from "zod";
import { AlertLevel, WebhookKind } from "../contract";

/**
 * The dead-letter queue's name in wrangler.toml: one `queue` handler serves it and the deliveries
 * queue (`trackflare-webhooks`), and branches on `batch.queue`.
 */
export const DEAD_LETTER_QUEUE_NAME = "trackflare-webhooks-dlq";

/** The alert fields a payload is built from (Trackio's webhook arguments plus ids). */
export const JobAlert = z.object({
  alert_id: z.string(),
  level: AlertLevel,
  title: z.string(),
  text: z.string().nullable(),
  run: z.string().nullable(),
  run_id: z.string().nullable(),
  step: z.number().int().nullable(),
  timestamp: z.string(),
});
export type JobAlert = z.infer<typeof JobAlert>;

/**
 * One delivery of one alert to one target: the body of a `trackflare-webhooks` message. Written by the
 * project's Durable Object (outbox) and parsed by the consumer, which never trusts its shape.
 */
export const WebhookJob = z.object({
  /** Stable across every attempt; sent as `webhook-id`. */
  delivery_id: z.string().min(1).max(128),
  project: z.string().min(1),
  webhook_id: z.string().nullable(),
  url: z.string().min(1),
  kind: WebhookKind,
  alert: JobAlert,
  created_at: z.string(),
});
export type WebhookJob = z.infer<typeof WebhookJob>;

/** `dlv_` + 32 hex digits. */
export const newDeliveryId = () => `dlv_${crypto.randomUUID().replaceAll("-", "")}`;
