import { LEVEL_RANK, type AlertLevel, type WebhookKind } from "../contract";
import { webhookTargetRows } from "../db/webhooks";
import { getDb } from "../db/client";
import { detectKind } from "../webhooks/targets";

/** Where one alert may go. Secrets are not here: the consumer reads them from D1 when it signs. */
export type WebhookTarget = {
  /** The subscription, or null for a run's own `webhook_url` (Trackio's `init(webhook_url=…)`). */
  webhook_id: string | null;
  url: string;
  kind: WebhookKind;
  /** Null sends every level (Trackio: no `webhook_min_level` means all). */
  min_level: AlertLevel | null;
  /** A subscription's run filter, matched against the run's name or id. */
  run: string | null;
};

/**
 * The project's targets at the moment alerts are stored: its enabled subscriptions, and the run-level
 * webhook of each run involved. Plain data, so it can cross an RPC boundary.
 */
export type WebhookPlan = { subscriptions: WebhookTarget[]; runs: Record<string, WebhookTarget> };

export const EMPTY_PLAN: WebhookPlan = { subscriptions: [], runs: {} };

/** What matching needs to know about an alert. */
export type AlertRef = { level: AlertLevel; run: string | null; run_id: string | null };

/** Reads the plan from D1 (indexed queries, one round trip). */
export async function loadWebhookPlan(d1: D1Database, project: string, runIds: Iterable<string | null | undefined>): Promise<WebhookPlan> {
  const ids = [...new Set([...runIds].filter((id): id is string => !!id))];
  const db = getDb(d1);
  const { subs, runs } = await webhookTargetRows(db, project, ids);
  const plan: WebhookPlan = {
    subscriptions: subs.map((s) => ({ webhook_id: s.id, url: s.url, kind: s.kind, min_level: s.minLevel, run: s.runFilter })),
    runs: {},
  };
  for (const r of runs) {
    if (!r.webhookUrl) continue;
    const level = r.webhookMinLevel?.toLowerCase();
    plan.runs[r.id] = {
      webhook_id: null,
      url: r.webhookUrl,
      kind: detectKind(r.webhookUrl),
      min_level: level === "info" || level === "warn" || level === "error" ? level : null,
      run: null,
    };
  }
  return plan;
}

const passes = (level: AlertLevel, min: AlertLevel | null) => min === null || LEVEL_RANK[level] >= LEVEL_RANK[min];

/**
 * The targets one alert goes to. A run-level URL that is also subscribed is sent once, through the
 * subscription (which signs), so a receiver never gets the same alert twice from one project.
 */
export function targetsFor(plan: WebhookPlan, alert: AlertRef): WebhookTarget[] {
  const out: WebhookTarget[] = [];
  const urls = new Set<string>();
  for (const s of plan.subscriptions) {
    if (!passes(alert.level, s.min_level)) continue;
    if (s.run !== null && s.run !== alert.run && s.run !== alert.run_id) continue;
    if (urls.has(s.url)) continue;
    urls.add(s.url);
    out.push(s);
  }
  const own = alert.run_id ? plan.runs[alert.run_id] : undefined;
  if (own && passes(alert.level, own.min_level) && !urls.has(own.url)) out.push(own);
  return out;
}
