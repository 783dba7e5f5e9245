import { sendJobs, type Outgoing } from "./enqueue";
import { newDeliveryId, type JobAlert, type WebhookJob } from "../webhooks/job";
import { lowerAlarm } from "./alarm";
import type { ProjectD1 } from "./d1";
import { targetsFor, type WebhookPlan } from "./webhook-plan";
import { nowTimestamp } from "../contract/time";

// The webhook outbox in the ProjectAlerts Durable Object's SQLite: one row per delivery, written in
// the same storage transaction as the alert, so an alert is never stored without its deliveries.
// Rows are sent to the queue right after the write and deleted once the queue accepted them; rows the
// queue refused, or that an eviction cut off mid-send, are re-sent by the object's alarm. This is
// the only module with SQL for the table. Every hand-off to the queue also lists its deliveries as
// pending in D1's delivery log (through `log`, when given), so they show before their first attempt.

/** A row handed to a sender is not due again before this: the send is in flight. */
const LEASE_MS = 30_000;
const MAX_RESEND_BACKOFF_MS = 5 * 60_000;
/** Rows per alarm run; more are left due and the alarm is set to fire again at once. */
const RESEND_LIMIT = 1000;

export function initOutbox(sql: SqlStorage) {
  sql.exec(`CREATE TABLE IF NOT EXISTS webhook_outbox (
    id TEXT PRIMARY KEY,
    job TEXT NOT NULL,
    due_ms INTEGER NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0
  )`);
  sql.exec("CREATE INDEX IF NOT EXISTS webhook_outbox_due ON webhook_outbox (due_ms)");
}

/** An alert as the object stores it (the contract's `Alert` fits). */
export type OutboxAlert = JobAlert & { project: string };

type Row = { id: string; job: string; tries: number };

/**
 * One alert write's share of the outbox. Use:
 * ```ts
 * const webhooks = await WebhookOutbox.open(this.ctx.storage, plan, d1); // before the transaction
 * this.ctx.storage.transactionSync(() => { insertAlert(...); webhooks.record(alert); });
 * await webhooks.send(this.env.WEBHOOK_QUEUE); // next statement: no await in between
 * ```
 * `send` first lowers the alarm (if needed) synchronously, so it is committed together with the rows:
 * whatever happens to the send, the alarm re-sends them.
 */
export class WebhookOutbox {
  private readonly recorded: string[] = [];

  private constructor(
    private readonly storage: DurableObjectStorage,
    private readonly plan: WebhookPlan,
    private readonly alarmAt: number | null,
    private readonly log: ProjectD1 | undefined,
  ) {}

  /**
   * Reads the current alarm (unless nothing can match), so that `send` can lower it without an await.
   * `log`: lists the deliveries as pending in D1's delivery log when they are sent. `ownWebhooks`:
   * some alert to record carries its own webhook, which can match whatever the plan holds.
   */
  static async open(storage: DurableObjectStorage, plan: WebhookPlan, log?: ProjectD1, ownWebhooks = false): Promise<WebhookOutbox> {
    const none = !ownWebhooks && plan.subscriptions.length === 0 && Object.keys(plan.runs).length === 0;
    return new WebhookOutbox(storage, plan, none ? null : await storage.getAlarm(), log);
  }

  /** Synchronous, for use inside the alert's transaction. `alert.webhook_url`: its own webhook, if it has one. */
  record(alert: OutboxAlert & { webhook_url?: string | null }, nowMs = Date.now()): void {
    const targets = targetsFor(this.plan, alert);
    const createdAt = nowTimestamp();
    for (const t of targets) {
      const id = newDeliveryId();
      const job: WebhookJob = {
        delivery_id: id,
        project: alert.project,
        webhook_id: t.webhook_id,
        url: t.url,
        kind: t.kind,
        alert: {
          alert_id: alert.alert_id,
          level: alert.level,
          title: alert.title,
          text: alert.text,
          run: alert.run,
          run_id: alert.run_id,
          step: alert.step,
          timestamp: alert.timestamp,
        },
        created_at: createdAt,
      };
      this.storage.sql.exec("INSERT INTO webhook_outbox (id, job, due_ms, tries) VALUES (?, ?, ?, 0)", id, JSON.stringify(job), nowMs + LEASE_MS);
      this.recorded.push(id);
    }
  }

  /** Sends what `record` wrote. Never throws: what the queue refuses stays for the alarm. */
  async send(queue: Queue<unknown>, nowMs = Date.now()): Promise<{ sent: number; failed: number }> {
    if (!this.recorded.length) return { sent: 0, failed: 0 };
    const armed = lowerAlarm(this.storage, this.alarmAt, nowMs + LEASE_MS);
    const rows = selectByIds(this.storage.sql, this.recorded);
    const result = await sendRows(this.storage, queue, rows, nowMs, this.log);
    await armed;
    return result;
  }
}

/**
 * The alarm's part: re-sends every row that is due (never sent, refused by the queue, or left by an
 * eviction). Rows past RESEND_LIMIT stay due; the object's scheduler (alarm.ts) re-arms the alarm for
 * them and for every later row from `nextWebhookDue`. Never throws.
 */
export async function resendDueWebhooks(
  storage: DurableObjectStorage,
  queue: Queue<unknown>,
  nowMs = Date.now(),
  log?: ProjectD1,
): Promise<{ sent: number; failed: number }> {
  const current = await storage.getAlarm();
  const rows = storage.sql.exec<Row>("SELECT id, job, tries FROM webhook_outbox WHERE due_ms <= ? ORDER BY due_ms LIMIT ?", nowMs, RESEND_LIMIT).toArray();
  let result = { sent: 0, failed: 0 };
  if (rows.length) {
    // Claim them and arm the alarm in one synchronous step, as `send` does.
    storage.sql.exec("UPDATE webhook_outbox SET due_ms = ? WHERE id IN (SELECT value FROM json_each(?))", nowMs + LEASE_MS, JSON.stringify(rows.map((r) => r.id)));
    const armed = lowerAlarm(storage, current, nowMs + LEASE_MS);
    result = await sendRows(storage, queue, rows, nowMs, log);
    await armed;
  }
  return result;
}

/** When the outbox next needs the alarm (epoch ms), or null when it is empty. */
export function nextWebhookDue(sql: SqlStorage): number | null {
  const row = sql.exec<{ due: number | null }>("SELECT min(due_ms) AS due FROM webhook_outbox").one();
  return row.due ?? null;
}

/** Unsent rows, oldest first (tests and diagnostics). */
export function pendingWebhookJobs(sql: SqlStorage): { id: string; tries: number; due_ms: number; job: WebhookJob }[] {
  return sql
    .exec<{ id: string; job: string; tries: number; due_ms: number }>("SELECT id, job, tries, due_ms FROM webhook_outbox ORDER BY due_ms, id")
    .toArray()
    .map((r) => ({ id: r.id, tries: r.tries, due_ms: r.due_ms, job: JSON.parse(r.job) as WebhookJob }));
}

function selectByIds(sql: SqlStorage, ids: string[]): Row[] {
  return sql.exec<Row>("SELECT id, job, tries FROM webhook_outbox WHERE id IN (SELECT value FROM json_each(?))", JSON.stringify(ids)).toArray();
}

const encoder = new TextEncoder();

async function sendRows(storage: DurableObjectStorage, queue: Queue<unknown>, rows: Row[], nowMs: number, log: ProjectD1 | undefined) {
  const outgoing: Outgoing[] = rows.map((r) => ({ id: r.id, job: JSON.parse(r.job) as WebhookJob, bytes: encoder.encode(r.job).length }));
  // In parallel with the send, in either order: the log's INSERT OR IGNORE never overwrites an attempt
  // the consumer recorded first. A delivery the queue refuses is listed too (it is pending in the
  // outbox). Awaited last, so a slow log write never holds sent rows in the outbox past their lease.
  const logged = log?.logPendingDeliveries(outgoing.map((o) => o.job));
  const { sent, failed } = await sendJobs(queue, outgoing);
  if (sent.length) storage.sql.exec("DELETE FROM webhook_outbox WHERE id IN (SELECT value FROM json_each(?))", JSON.stringify(sent));
  if (failed.length) {
    const tries = new Map(rows.map((r) => [r.id, r.tries]));
    for (const id of failed) {
      const n = (tries.get(id) ?? 0) + 1;
      storage.sql.exec("UPDATE webhook_outbox SET due_ms = ?, tries = ? WHERE id = ?", nowMs + Math.min(MAX_RESEND_BACKOFF_MS, 1000 * 2 ** (n - 1)), n, id);
    }
    // A refused row is due again within a second or two, before the lease the send armed.
    const next = nextWebhookDue(storage.sql);
    if (next !== null) await lowerAlarm(storage, await storage.getAlarm(), next);
  }
  await logged;
  return { sent: sent.length, failed: failed.length };
}
