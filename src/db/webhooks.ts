import { and, desc, eq, inArray, ne, sql } from "drizzle-orm";
import type { DeliveryStatus } from "../contract";
import { chunkJson, type Db } from "./client";
import { runs, webhookDeliveries, webhooks } from "./schema";

export type WebhookRow = typeof webhooks.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export async function insertWebhook(db: Db, row: typeof webhooks.$inferInsert): Promise<WebhookRow> {
  const [inserted] = await db.insert(webhooks).values(row).returning();
  return inserted;
}

export async function listWebhooks(db: Db, project: string): Promise<WebhookRow[]> {
  return db.select().from(webhooks).where(eq(webhooks.project, project)).orderBy(webhooks.createdAt, webhooks.id);
}

const enabledWebhooks = (db: Db, project: string) => db.select().from(webhooks).where(and(eq(webhooks.project, project), eq(webhooks.enabled, true)));

const runWebhooks = (db: Db, project: string, ids: string[]) =>
  db
    .select({ id: runs.id, webhookUrl: runs.webhookUrl, webhookMinLevel: runs.webhookMinLevel })
    .from(runs)
    .where(and(eq(runs.project, project), inArray(runs.id, ids), sql`(${runs.webhookUrl} is not null or ${runs.webhookMinLevel} is not null)`));

/**
 * Where a project's new alerts may go: its enabled subscriptions and the run-level webhooks of the
 * runs `ids`, in one D1 round trip (one batch).
 */
export async function webhookTargetRows(db: Db, project: string, ids: string[]) {
  const chunks = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) chunks.push(runWebhooks(db, project, ids.slice(i, i + IDS_PER_QUERY)));
  const [subs, ...runRows] = await db.batch([enabledWebhooks(db, project), ...chunks]);
  return { subs: subs as WebhookRow[], runs: runRows.flat() as { id: string; webhookUrl: string | null; webhookMinLevel: string | null }[] };
}

export async function findWebhook(db: Db, id: string): Promise<WebhookRow | undefined> {
  return db.query.webhooks.findFirst({ where: eq(webhooks.id, id) });
}

export async function deleteWebhook(db: Db, project: string, id: string): Promise<boolean> {
  const gone = await db
    .delete(webhooks)
    .where(and(eq(webhooks.project, project), eq(webhooks.id, id)))
    .returning({ id: webhooks.id });
  return gone.length > 0;
}

export async function setWebhookSecret(db: Db, project: string, id: string, secret: string): Promise<WebhookRow | undefined> {
  const [row] = await db
    .update(webhooks)
    .set({ secret })
    .where(and(eq(webhooks.project, project), eq(webhooks.id, id)))
    .returning();
  return row;
}

export async function disableWebhook(db: Db, id: string, reason: string) {
  await db.update(webhooks).set({ enabled: false, disabledReason: reason }).where(eq(webhooks.id, id));
}

// D1 binds at most 100 parameters per statement.
const IDS_PER_QUERY = 90;

/** The run-level webhook (Trackio's `init(webhook_url, webhook_min_level)`) of each run given. */
export async function findDelivery(db: Db, id: string): Promise<DeliveryRow | undefined> {
  return db.query.webhookDeliveries.findFirst({ where: eq(webhookDeliveries.id, id) });
}

export type AttemptRecord = {
  id: string;
  project: string;
  webhookId: string | null;
  alertId: string;
  url: string;
  kind: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  at: string;
};

/** The columns that say which delivery a row is: the same on every write of it. */
const deliveryIdentity = (r: Pick<AttemptRecord, "id" | "project" | "webhookId" | "alertId" | "url" | "kind">) => ({
  id: r.id,
  project: r.project,
  webhookId: r.webhookId,
  alertId: r.alertId,
  url: r.url,
  kind: r.kind,
});

/**
 * Records one attempt. Queues deliver at least once, so a late or duplicate message must not undo a
 * final outcome: a delivered or failed row is left as it is, and attempts never go down.
 */
export async function recordAttempt(db: Db, r: AttemptRecord) {
  await db
    .insert(webhookDeliveries)
    .values({
      ...deliveryIdentity(r),
      status: r.status,
      attempts: r.attempts,
      lastStatus: r.lastStatus,
      lastError: r.lastError,
      createdAt: r.at,
      updatedAt: r.at,
      deliveredAt: r.status === "delivered" ? r.at : null,
    })
    .onConflictDoUpdate({
      target: webhookDeliveries.id,
      set: {
        status: sql`excluded.status`,
        attempts: sql`max(${webhookDeliveries.attempts}, excluded.attempts)`,
        lastStatus: sql`excluded.last_status`,
        lastError: sql`excluded.last_error`,
        updatedAt: sql`excluded.updated_at`,
        deliveredAt: sql`excluded.delivered_at`,
      },
      setWhere: eq(webhookDeliveries.status, "pending"),
    });
}

/**
 * The dead-letter consumer's verdict: retries are exhausted. The row keeps the last attempt's status
 * and error; one that was never recorded (its consumer could not write) is created failed.
 */
export async function markExhausted(db: Db, r: Omit<AttemptRecord, "status" | "attempts" | "lastStatus" | "lastError">, error: string) {
  await db
    .insert(webhookDeliveries)
    .values({
      ...deliveryIdentity(r),
      status: "failed",
      attempts: 0,
      lastError: error,
      createdAt: r.at,
      updatedAt: r.at,
    })
    .onConflictDoUpdate({
      target: webhookDeliveries.id,
      set: {
        status: "failed",
        lastError: sql`coalesce(${webhookDeliveries.lastError} || ' (' || excluded.last_error || ')', excluded.last_error)`,
        updatedAt: sql`excluded.updated_at`,
      },
      setWhere: ne(webhookDeliveries.status, "delivered"),
    });
}

/** A delivery as the outbox hands it to the queue, before its first attempt. */
export type PendingDelivery = Omit<AttemptRecord, "status" | "attempts" | "lastStatus" | "lastError" | "at"> & { createdAt: string };

// One statement per ~1 MB of JSON (json_each, as the ingest path does): D1's 100-parameter limit
// would cut multi-row VALUES to 9 deliveries.
const INSERT_PENDING = `INSERT OR IGNORE INTO webhook_deliveries (id, project, webhook_id, alert_id, url, kind, status, attempts, created_at, updated_at)
  SELECT value ->> 'id', value ->> 'project', value ->> 'webhookId', value ->> 'alertId', value ->> 'url', value ->> 'kind', 'pending', 0, value ->> 'createdAt', ?2
  FROM json_each(?1)`;

/**
 * Lists deliveries as pending (attempts 0) from the moment they are handed to the queue. INSERT OR
 * IGNORE: it may run after the consumer has already recorded an attempt (or a re-send repeats it),
 * and a row that exists is never touched, so a delivered or failed one never goes back to pending.
 */
export async function insertPendingDeliveries(d1: D1Database, rows: PendingDelivery[], at: string): Promise<void> {
  const chunks = chunkJson(rows);
  if (chunks.length) await d1.batch(chunks.map((chunk) => d1.prepare(INSERT_PENDING).bind(chunk, at)));
}

export async function listDeliveries(db: Db, project: string, q: { status?: DeliveryStatus; webhook?: string; limit: number }): Promise<DeliveryRow[]> {
  const where = [eq(webhookDeliveries.project, project)];
  if (q.status) where.push(eq(webhookDeliveries.status, q.status));
  if (q.webhook) where.push(eq(webhookDeliveries.webhookId, q.webhook));
  return db
    .select()
    .from(webhookDeliveries)
    .where(and(...where))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(q.limit);
}
