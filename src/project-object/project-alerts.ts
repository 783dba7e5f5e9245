import { DurableObject } from "cloudflare:workers";
import type { Alert, AlertCounts, AlertPage, ProjectSettings, Rule, RunCondition, RunStatus, RunWaitResult, WaitResult } from "../contract";
import type { RuleEntry } from "../rules/engine";
import { AlarmScheduler } from "./alarm";
import { AlertStore } from "./alert-store";
import { ProjectD1 } from "./d1";
import { initOutbox, nextWebhookDue, resendDueWebhooks, WebhookOutbox } from "./outbox";
import { RuleStore } from "./rule-store";
import { waitOnRun } from "./run-wait";
import { RunWaiters } from "./run-waiters";
import { ProjectRules, type PutRuleResult } from "./rules-runtime";
import { Subscribers } from "./sockets";
import { StaleWatch } from "./stale-watch";
import { SocketSubscription, SUBSCRIPTION_HEADER, type AlertInput, type AlertQueryFilters, type EvaluatedRun, type StoredFilters } from "./types";
import { Waiters } from "./waiters";
import { WebhookPlans } from "./webhook-plan";
import { INGEST_HOOK } from "../ingest/hooks";
import { countObjectD1 } from "../round-trips/count";
import { IngestHooks } from "./ingest-hooks";

/**
 * One per project (`env.PROJECT_ALERTS.getByName(project)`): the project's object. It is the only
 * writer of the project's alerts and holds its rules and their per-run state, the stale watch and
 * the webhook outbox, all in its SQLite. Workers call its RPC methods; `fetch` only takes WebSocket
 * upgrades that the Worker has already authenticated. Every file it runs is in this folder; it
 * reaches D1 only through d1.ts.
 */
export class ProjectAlerts extends DurableObject<Env> {
  private readonly store: AlertStore;
  private readonly subscribers: Subscribers;
  private readonly waiters = new Waiters();
  /** Waits on run conditions (`…/runs/:run/wait`), woken by evaluate, runEnded, the stale check and deletions. */
  private readonly runWaiters = new RunWaiters();
  /** The RUN_WAITERS state last published, and its write (a second waiter awaits the first's). */
  private waitersPublished: { holds: boolean; done: Promise<void> } = { holds: false, done: Promise.resolve() };
  private readonly d1: ProjectD1;
  private readonly plans: WebhookPlans;
  private readonly alarms: AlarmScheduler;
  /** Alert rules, built-in detectors and the stale watch; their alerts go through storeAlerts. */
  private readonly rules: ProjectRules;
  /** Why stored batches must come here; the ingest transaction reads the published mask. */
  private readonly hooks: IngestHooks;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new AlertStore(ctx);
    this.subscribers = new Subscribers(ctx, this.store);
    // Answered by the runtime without waking a hibernating object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    initOutbox(ctx.storage.sql);
    // Counted for the benchmarks only (COUNT_ROUND_TRIPS); otherwise the binding itself.
    this.d1 = new ProjectD1(countObjectD1(env).DB);
    this.plans = new WebhookPlans(this.d1);
    const ruleStore = new RuleStore(ctx.storage.sql);
    const watch = new StaleWatch(ruleStore, this.d1);
    // The one alarm, over every due time: webhook re-sends and stale checks.
    this.alarms = new AlarmScheduler(ctx.storage, [() => nextWebhookDue(ctx.storage.sql), () => watch.nextDueMs()]);
    this.rules = new ProjectRules(ctx, env, ruleStore, watch, this.alarms, (project, inputs) => this.storeAlerts(project, inputs, true));
    // Work left due by a crash (an unsent delivery, a stale check cut off) gets its alarm now.
    void ctx.blockConcurrencyWhile(() => this.alarms.arm());
    this.hooks = new IngestHooks(ctx.storage.sql, this.d1);
    this.hooks.register(INGEST_HOOK.RULES, () => this.rules.hasRules());
    this.hooks.register(INGEST_HOOK.RUN_WAITERS, () => this.runWaiters.size > 0);
  }

  /** Alerts sent by a client (REST, Trackio, MCP), runs already resolved by the Worker. */
  async createAlerts(project: string, inputs: AlertInput[]): Promise<Alert[]> {
    return this.storeAlerts(project, inputs, false);
  }

  /**
   * The one write path for alerts. Each new alert's deliveries go to the outbox in the same
   * transaction, then to the queue; the alarm re-sends what is left. `reusePlan`: see WebhookPlans.
   */
  private async storeAlerts(project: string, inputs: AlertInput[], reusePlan: boolean): Promise<Alert[]> {
    const plan = await this.plans.forAlerts(project, inputs, reusePlan);
    const webhooks = await WebhookOutbox.open(this.ctx.storage, plan, this.d1, inputs.some((i) => !!i.webhook_url));
    const { all, created } = this.store.insert(project, inputs, Date.now() * 1000, webhooks);
    this.waiters.notify(created);
    this.subscribers.publish(created);
    // No await since the insert: `send` arms the alarm in the same write as the outbox rows.
    await webhooks.send(this.env.WEBHOOK_QUEUE);
    return all;
  }

  async alarm() {
    await resendDueWebhooks(this.ctx.storage, this.env.WEBHOOK_QUEUE, Date.now(), this.d1);
    for (const [runId, status] of await this.rules.checkStale()) this.runWaiters.onStatus(runId, status);
    await this.alarms.arm();
  }

  /** One stored log batch through the rules and detectors; returns the alerts it raised. */
  /** `hooksSeen`: the ingest hooks the batch's transaction read, re-published when they are not this object's. */
  async evaluate(project: string, run: EvaluatedRun, entries: RuleEntry[], hooksSeen?: number): Promise<Alert[]> {
    this.runWaiters.onEntries(run.id, entries);
    const alerts = await this.rules.evaluate(project, run, entries);
    await this.hooks.reconcile(project, hooksSeen);
    return alerts;
  }

  /**
   * One round (≤ timeoutMs) of a wait on a run's condition; null when the run does not exist.
   * Ingest calls `evaluate` while run waiters are pending: `runWaitersChanged` tells it.
   */
  async waitForRun(project: string, runId: string, condition: RunCondition, timeoutMs: number): Promise<RunWaitResult | null> {
    try {
      return await waitOnRun(this.runWaiters, this.d1, runId, condition, timeoutMs, () => this.runWaitersChanged(project));
    } finally {
      await this.runWaitersChanged(project);
    }
  }

  /** A run's stored status changed outside a batch (finish, fail, stop: the Worker's own writes). */
  async runEnded(runId: string, status: RunStatus): Promise<void> {
    this.runWaiters.onStatus(runId, status);
  }

  /**
   * Pending run waiters are a reason for ingest to call this object (INGEST_HOOK.RUN_WAITERS):
   * published when the first waiter arrives, before its D1 read (so a batch written after that read
   * calls `evaluate`), and when the last one leaves. `waitersPublished` is only a cache: after an
   * eviction (no waiter can be pending then) a stale mask in D1 is mended by `reconcile`.
   */
  private async runWaitersChanged(project: string): Promise<void> {
    const holds = this.runWaiters.size > 0;
    if (holds !== this.waitersPublished.holds) this.waitersPublished = { holds, done: this.hooks.publish(project) };
    await this.waitersPublished.done;
  }

  async putRule(project: string, rule: Omit<Rule, "created_at">): Promise<PutRuleResult> {
    const res = this.rules.put(project, rule);
    // A retry ("exists") publishes too: the first attempt may have stored the rule and then failed to publish.
    if (res.outcome === "created" || res.outcome === "exists") await this.hooks.publish(project);
    return res;
  }

  async listRules(): Promise<Rule[]> {
    return this.rules.list();
  }

  async getRule(id: string): Promise<Rule | null> {
    return this.rules.get(id);
  }

  async removeRule(project: string, id: string): Promise<boolean> {
    const removed = this.rules.remove(id);
    if (removed) await this.hooks.publish(project);
    return removed;
  }

  async configureRules(project: string, settings: ProjectSettings): Promise<void> {
    await this.rules.configure(project, settings);
  }

  async queryAlerts(filters: AlertQueryFilters): Promise<AlertPage> {
    return this.store.query(filters);
  }

  /** Trackio's `get_alerts` answer as JSON text (AlertStore.trackioJson). */
  async trackioAlertsJson(filters: StoredFilters, max: number): Promise<string> {
    return this.store.trackioJson(filters, max);
  }

  /**
   * Returns at once when a matching alert exists after the cursor (or, without one, matches
   * `since`); otherwise as soon as one is stored, or empty after `timeoutMs`. Without cursor
   * and since, only alerts stored after the call began count.
   */
  async waitForAlerts(filters: AlertQueryFilters, timeoutMs: number): Promise<WaitResult> {
    const hasStart = filters.cursor !== undefined || filters.since_us !== undefined;
    if (hasStart) {
      const page = this.store.query(filters);
      if (page.alerts.length) return { ...page, timed_out: false };
    }
    // Nothing yet: everything up to the newest alert has been looked at (a cursor beyond it
    // counts as the newest, or no future alert would pass it).
    const cursor = this.store.cursor;
    const woke = await this.waiters.wait(filters as StoredFilters, cursor, timeoutMs);
    const page = this.store.query({ ...filters, cursor });
    return { ...page, timed_out: !woke && page.alerts.length === 0 };
  }

  async countByLevel(runId: string | null): Promise<AlertCounts> {
    return this.store.counts(runId);
  }

  /** Every run's counts in one call (the dashboard's runs table); runs without alerts are absent. */
  async countsByRun(): Promise<Record<string, AlertCounts>> {
    return this.store.countsByRun();
  }

  async deleteRunAlerts(runId: string): Promise<number> {
    this.runWaiters.onDeleted(runId);
    this.rules.forgetRun(runId);
    return this.store.deleteRun(runId);
  }

  async renameRunAlerts(runId: string, name: string): Promise<number> {
    this.rules.renameRun(runId, name);
    return this.store.renameRun(runId, name);
  }

  async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return new Response("Expected a WebSocket upgrade", { status: 426 });
    let raw: unknown;
    try {
      raw = JSON.parse(request.headers.get(SUBSCRIPTION_HEADER) ?? "null");
    } catch {
      raw = null;
    }
    const sub = SocketSubscription.safeParse(raw);
    if (!sub.success) return new Response("Missing or malformed subscription", { status: 400 });
    return new Response(null, { status: 101, webSocket: this.subscribers.accept(sub.data) });
  }

  async webSocketMessage(ws: WebSocket) {
    this.subscribers.message(ws);
  }

  async webSocketClose(ws: WebSocket, code: number, reason: string) {
    this.subscribers.closed(ws, code, reason);
  }

  async webSocketError(ws: WebSocket) {
    this.subscribers.closed(ws, 1011, "error");
  }
}
