import { DurableObject } from "cloudflare:workers";
import type { Alert, AlertCounts, AlertPage, WaitResult } from "../contract";
import { AlertStore } from "./alert-store";
import { Subscribers } from "./sockets";
import { SocketSubscription, SUBSCRIPTION_HEADER, type AlertInput, type AlertQueryFilters, type StoredFilters } from "./types";
import { Waiters } from "./waiters";
import { EMPTY_PLAN, type WebhookPlan } from "./webhook-plan";
import { armForOutbox, initOutbox, resendDueWebhooks, WebhookOutbox } from "./outbox";
import type { ProjectSettings, Rule } from "../contract";
import type { RuleEntry } from "../rules/engine";
import { ProjectRules, type EvaluatedRun, type PutRuleResult } from "./rules-runtime";
import { INGEST_HOOK } from "../ingest/hooks";
import { countObjectD1 } from "../round-trips/count";
import { IngestHooks } from "./ingest-hooks";

/**
 * One per project (`env.PROJECT_ALERTS.getByName(project)`): the only writer of the project's
 * alerts. Workers call its RPC methods; `fetch` only takes WebSocket upgrades that the Worker has
 * already authenticated. Storage lives in store.ts, sockets in sockets.ts, long polls in waiters.ts.
 */
export class ProjectAlerts extends DurableObject<Env> {
  private readonly store: AlertStore;
  private readonly subscribers: Subscribers;
  private readonly waiters = new Waiters();
  /** Alert rules, built-in detectors and the stale watch (src/rules); their alerts go through createAlerts. */
  private readonly rules: ProjectRules;
  /** Why stored batches must come here; the ingest transaction reads the published mask. */
  private readonly hooks: IngestHooks;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, countObjectD1(env));
    env = this.env;
    this.store = new AlertStore(ctx, env);
    this.subscribers = new Subscribers(ctx, this.store);
    // Answered by the runtime without waking a hibernating object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    initOutbox(ctx.storage.sql);
    // Deliveries left unsent by a crash between their write and their alarm get one now.
    void ctx.blockConcurrencyWhile(() => armForOutbox(ctx.storage));
    this.rules = new ProjectRules(ctx, env, (project, inputs, plan) => this.createAlerts(project, inputs, plan));
    void ctx.blockConcurrencyWhile(() => this.rules.arm());
    this.hooks = new IngestHooks(ctx.storage.sql, env);
    this.hooks.register(INGEST_HOOK.RULES, () => this.rules.hasRules());
  }

  /**
   * `plan`: the project's webhook targets, read from D1 by the Worker. Each new alert's deliveries
   * go to the outbox in the same transaction, then to the queue; the alarm re-sends what is left.
   */
  async createAlerts(project: string, inputs: AlertInput[], plan: WebhookPlan = EMPTY_PLAN): Promise<Alert[]> {
    const webhooks = await WebhookOutbox.open(this.ctx.storage, plan, this.env.DB);
    const { all, created } = this.store.insert(project, inputs, Date.now() * 1000, webhooks);
    this.waiters.notify(created);
    this.subscribers.publish(created);
    // No await since the insert: `send` arms the alarm in the same write as the outbox rows.
    await webhooks.send(this.env.WEBHOOK_QUEUE);
    return all;
  }

  /** The one alarm, shared: webhook re-sends and stale checks each lower it to their next due time, never raise it. */
  async alarm() {
    await resendDueWebhooks(this.ctx.storage, this.env.WEBHOOK_QUEUE, Date.now(), this.env.DB);
    await this.rules.alarm();
  }

  /**
   * One stored log batch through the rules and detectors; returns the alerts it raised.
   * `hooksSeen`: the ingest hooks the batch's transaction read, re-published when they are not this object's.
   */
  async evaluate(project: string, run: EvaluatedRun, entries: RuleEntry[], hooksSeen?: number): Promise<Alert[]> {
    const alerts = await this.rules.evaluate(project, run, entries);
    await this.hooks.reconcile(project, hooksSeen);
    return alerts;
  }

  async putRule(project: string, rule: Omit<Rule, "created_at">): Promise<PutRuleResult> {
    const res = this.rules.put(project, rule);
    if (res.outcome === "created") await this.hooks.publish(project);
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

  /** The highest cursor assigned so far: a wait or a subscription from "now" starts here. */
  async currentCursor(): Promise<number> {
    return this.store.cursor;
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
    // Nothing yet: everything up to the newest alert has been looked at.
    const cursor = Math.max(filters.cursor ?? 0, this.store.cursor);
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
