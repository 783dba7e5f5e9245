import { audit } from "./audit";
import type { z } from "zod";
import type { CreatedWebhook, CreateWebhook, DeliveryQuery, RotatedSecret, Webhook, WebhookDelivery } from "../contract";
import { nowTimestamp } from "../contract/time";
import { ensureProject } from "../db/projects";
import { deleteWebhook, insertWebhook, listDeliveries, listWebhooks, setWebhookSecret, type DeliveryRow, type WebhookRow } from "../db/webhooks";
import { ApiError } from "../errors";
import type { Svc } from "./context";
import { requireProject } from "./run-refs";
import { newSecret } from "../webhooks/sign";
import { assertSafeWebhookUrl, detectKind, redactUrl } from "../webhooks/targets";

// A project's webhook subscriptions, shared by the REST routes (and through them the SDK and CLI).

const toWebhook = (r: WebhookRow): Webhook => ({
  id: r.id,
  project: r.project,
  url: redactUrl(r.url, r.kind),
  kind: r.kind,
  min_level: r.minLevel,
  run: r.runFilter,
  enabled: r.enabled,
  disabled_reason: r.disabledReason,
  created_at: r.createdAt,
});

const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  id: r.id,
  project: r.project,
  webhook_id: r.webhookId,
  alert_id: r.alertId,
  url: r.url,
  kind: r.kind === "slack" || r.kind === "discord" ? r.kind : "generic",
  status: r.status,
  attempts: r.attempts,
  last_status: r.lastStatus,
  last_error: r.lastError,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
  delivered_at: r.deliveredAt,
});

const webhookNotFound = (project: string, id: string) => new ApiError("not_found", `Webhook '${id}' not found in project '${project}'`);

/** Creates a subscription; the signing secret is in this response and in no later one. */
export async function createWebhook(s: Svc, project: string, body: z.output<typeof CreateWebhook>): Promise<CreatedWebhook> {
  assertSafeWebhookUrl(s.env, body.url, "url");
  await ensureProject(s.db, project);
  const secret = newSecret();
  const row = await insertWebhook(s.db, {
    id: `wh_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`,
    project,
    url: body.url,
    kind: body.kind ?? detectKind(body.url),
    minLevel: body.min_level,
    runFilter: body.run ?? null,
    secret,
    enabled: true,
    createdAt: nowTimestamp(),
  });
  const shown = toWebhook(row);
  // The audit keeps the masked URL: a Slack or Discord URL is itself a credential.
  await audit(s, project, "webhook.add", row.id, { url: shown.url, kind: row.kind, min_level: row.minLevel });
  // The caller gave the URL, so it gets it back whole; listings mask it.
  return { ...shown, url: row.url, secret };
}

export async function listProjectWebhooks(s: Svc, project: string): Promise<Webhook[]> {
  return (await listWebhooks(s.db, project)).map(toWebhook);
}

export async function removeWebhook(s: Svc, project: string, id: string): Promise<{ deleted: true; id: string }> {
  if (!(await deleteWebhook(s.db, project, id))) throw webhookNotFound(project, id);
  await audit(s, project, "webhook.remove", id);
  return { deleted: true, id };
}

/** The old secret stops working at once: deliveries sign with the secret read when they are attempted. */
export async function rotateSecret(s: Svc, project: string, id: string): Promise<RotatedSecret> {
  const secret = newSecret();
  const row = await setWebhookSecret(s.db, project, id, secret);
  if (!row) throw webhookNotFound(project, id);
  await audit(s, project, "webhook.rotate_secret", id);
  return { id: row.id, secret };
}

export async function projectDeliveries(s: Svc, project: string, q: z.output<typeof DeliveryQuery>): Promise<WebhookDelivery[]> {
  await requireProject(s, project);
  return (await listDeliveries(s.db, project, q)).map(toDelivery);
}
