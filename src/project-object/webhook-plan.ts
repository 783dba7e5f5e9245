import { LEVEL_RANK, type AlertLevel, type WebhookKind } from "../contract";
import type { ProjectD1 } from "./d1";
import { logFailure } from "../log";
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
 * The project's targets at the moment alerts are stored: its enabled subscriptions, the run-level
 * webhook of each run involved, and each run's `webhook_min_level` (which an alert's own webhook
 * obeys too, as in Trackio, even for a run without a webhook of its own).
 */
export type WebhookPlan = { subscriptions: WebhookTarget[]; runs: Record<string, WebhookTarget>; runMinLevels: Record<string, AlertLevel | null> };

const EMPTY_PLAN: WebhookPlan = { subscriptions: [], runs: {}, runMinLevels: {} };

/** What matching needs to know about an alert; `webhook_url`, its own webhook, replaces its run's. */
export type AlertRef = { level: AlertLevel; run: string | null; run_id: string | null; webhook_url?: string | null };

/**
 * How long a run's webhook targets, once read for its rule alerts, are reused: a rule firing on
 * batch after batch would otherwise cost two D1 reads each time (most of its cost). A subscription
 * added or removed reaches rule alerts within this delay.
 */
const PLAN_TTL_MS = 2000;

/**
 * The one place the object's webhook plans come from. Every alert write asks here for the plan of
 * its runs; it is read from D1 only when alerts are stored, so a quiet batch costs no D1 read.
 * `reuse` (rule and stale alerts) takes a single run's plan read within PLAN_TTL_MS; alerts sent by
 * a client always read it afresh, so a subscription made just before them is honoured. When D1
 * fails, a client's call fails (and the client retries it); rule and stale alerts, which nobody
 * would retry, are stored without deliveries.
 */
export class WebhookPlans {
  /** Webhook targets by run id, read from D1 at `at`. */
  private readonly cache = new Map<string, { plan: WebhookPlan; at: number }>();

  constructor(private readonly d1: ProjectD1) {}

  async forAlerts(project: string, inputs: { run_id: string | null }[], reuse: boolean, nowMs = Date.now()): Promise<WebhookPlan> {
    const runIds = [...new Set(inputs.map((i) => i.run_id ?? ""))];
    const key = reuse && runIds.length === 1 ? runIds[0] : null;
    const cached = key === null ? undefined : this.cache.get(key);
    if (cached && nowMs - cached.at < PLAN_TTL_MS) return cached.plan;
    try {
      const plan = await this.d1.webhookPlan(project, runIds);
      if (key !== null) {
        if (this.cache.size >= 256) this.cache.clear();
        this.cache.set(key, { plan, at: nowMs });
      }
      return plan;
    } catch (err) {
      if (!reuse) throw err;
      logFailure("webhook targets unavailable for rule alerts", err);
      return EMPTY_PLAN;
    }
  }
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
  const own = alert.webhook_url ? unsignedTarget(alert.webhook_url, alert.run_id ? plan.runMinLevels[alert.run_id] : null) : alert.run_id ? plan.runs[alert.run_id] : undefined;
  if (own && passes(alert.level, own.min_level) && !urls.has(own.url)) out.push(own);
  return out;
}

/** A webhook given by URL, not by subscription (a run's `webhook_url`, or an alert's own): unsigned, for any run. */
export function unsignedTarget(url: string, minLevel: AlertLevel | null | undefined): WebhookTarget {
  return { webhook_id: null, url, kind: detectKind(url), min_level: minLevel ?? null, run: null };
}
