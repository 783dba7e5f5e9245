import type { Alert } from "../contract";
import type { WebhookOutbox } from "./outbox";

export type AfterStoreContext = {
  ctx: DurableObjectState;
  env: Env;
  project: string;
  /** The alerts this call newly stored (never a duplicate of an earlier alert_id). */
  alerts: Alert[];
  /** This write's share of the webhook outbox (absent: no webhook can match). */
  webhooks?: WebhookOutbox;
};

/**
 * Extension point, called by AlertStore.insert INSIDE `ctx.storage.transactionSync`, right after
 * the alert rows are written. Anything written here through `ctx.storage.sql` commits or rolls
 * back together with the alerts: this is where the webhook outbox adds its rows, so an alert is
 * never stored without its deliveries (or the reverse). It must stay synchronous (no awaits
 * inside a sync transaction) and throw only to abort the whole insert; async follow-up work
 * (enqueueing, alarms) belongs after the transaction, driven by the outbox rows.
 */
export function afterStore({ alerts, webhooks }: AfterStoreContext): void {
  if (webhooks) for (const alert of alerts) webhooks.record(alert);
}
