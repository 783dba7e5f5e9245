import { z } from "zod";
import { AlertLevel, LooseAlertLevel, QueryInt, RunRef } from "./common";

/** How a delivery is formatted: Slack blocks, Discord embeds, or Trackio's generic JSON (signed). */
export const WebhookKind = z.enum(["slack", "discord", "generic"]);
export type WebhookKind = z.infer<typeof WebhookKind>;

export const CreateWebhook = z.object({
  url: z.string().min(1, "url must not be empty").max(2048, "url must be at most 2048 characters"),
  /** Alerts below this level are not sent. */
  min_level: LooseAlertLevel.default("info"),
  /** Only this run's alerts (its name or id); every run when absent. */
  run: RunRef.nullish(),
  /** Detected from the URL as Trackio does when absent. */
  kind: WebhookKind.optional(),
});
export type CreateWebhook = z.input<typeof CreateWebhook>;

export const Webhook = z.object({
  id: z.string(),
  project: z.string(),
  /** Slack and Discord URLs carry their token in the path, so listings show it masked. */
  url: z.string(),
  kind: WebhookKind,
  min_level: AlertLevel,
  run: z.string().nullable(),
  enabled: z.boolean(),
  /** Why the server stopped delivering to it (e.g. Discord answered 404: the webhook was deleted). */
  disabled_reason: z.string().nullable(),
  created_at: z.string(),
});
export type Webhook = z.infer<typeof Webhook>;

/**
 * The signing secret (`whsec_<base64>`, Standard Webhooks) is returned only here and by a rotation.
 * Receivers verify `webhook-signature` with it.
 */
export const CreatedWebhook = Webhook.extend({ secret: z.string() });
export type CreatedWebhook = z.infer<typeof CreatedWebhook>;

export const WebhookList = z.object({ webhooks: z.array(Webhook) });
export type WebhookList = z.infer<typeof WebhookList>;

export const RotatedSecret = z.object({ id: z.string(), secret: z.string() });
export type RotatedSecret = z.infer<typeof RotatedSecret>;

export const DeletedWebhook = z.object({ deleted: z.literal(true), id: z.string() });
export type DeletedWebhook = z.infer<typeof DeletedWebhook>;

export const DeliveryStatus = z.enum(["pending", "delivered", "failed"]);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const WebhookDelivery = z.object({
  /** Also the `webhook-id` header of every attempt: receivers deduplicate on it. */
  id: z.string(),
  project: z.string(),
  /** The subscription; null for a run's own `webhook_url`. */
  webhook_id: z.string().nullable(),
  alert_id: z.string(),
  url: z.string(),
  kind: WebhookKind,
  status: DeliveryStatus,
  attempts: z.number().int(),
  last_status: z.number().int().nullable(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  delivered_at: z.string().nullable(),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const DeliveryQuery = z.object({
  status: DeliveryStatus.optional(),
  webhook: z.string().min(1).optional(),
  limit: QueryInt("limit", 1, 1000).default(100),
});
export type DeliveryQuery = z.input<typeof DeliveryQuery>;

export const DeliveryList = z.object({ deliveries: z.array(WebhookDelivery) });
export type DeliveryList = z.infer<typeof DeliveryList>;
