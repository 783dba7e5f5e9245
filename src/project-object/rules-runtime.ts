import type { Alert, ProjectSettings, RunStatus } from "../contract";
import { MAX_RULES_PER_PROJECT, Rule, formatTimestamp } from "../contract";
import type { AlertInput } from "./types";
import { markRunStale } from "../db/run-status";
import { EMPTY_PLAN, loadWebhookPlan, type WebhookPlan } from "./webhook-plan";
import { NON_FINITE_RULE, resumedAlert, staleAlert } from "../rules/builtins";
import { compileRule, type CompiledRule } from "../rules/compile";
import { evaluateEntries, type Firing, type RuleEntry } from "../rules/engine";
import { defaultSettings } from "../rules/settings";
import { RuleStore, type RunWatch } from "./rule-store";

/** The run a batch belongs to, as D1 had it before the batch. */
export type EvaluatedRun = { id: string; name: string; status: RunStatus };

export type PutRuleResult = { outcome: "created" | "exists"; rule: Rule } | { outcome: "conflict"; rule: Rule } | { outcome: "limit" };

/** Stores alerts through the object's one write path (cursor, sockets, waiters, webhooks). */
export type StoreAlerts = (project: string, inputs: AlertInput[], plan: WebhookPlan) => Promise<Alert[]>;

/** Stale checks per alarm run; more stay due and the alarm fires again at once. */
const STALE_BATCH = 50;
/**
 * How long a run's webhook targets, once read for its rule alerts, are reused: a rule firing on
 * batch after batch would otherwise cost two D1 reads each time (most of its cost). A subscription
 * added or removed reaches rule alerts within this delay.
 */
const PLAN_TTL_MS = 2000;
/** After a failed D1 check the run is checked again this much later. */
const RETRY_US = 30_000_000;

/** Stable JSON (sorted keys), to tell a retried definition from a different one. */
const canonical = (v: unknown): string =>
  v && typeof v === "object" && !Array.isArray(v)
    ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`
    : JSON.stringify(v);
const definition = ({ created_at: _, ...def }: Rule) => canonical(def);

/** 32-bit FNV-1a, hex: keeps rule alert ids short whatever the metric name's length. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** Lowers the object's one alarm to `atMs` if it is later or unset; never raises it (webhook re-sends share it). */
async function lowerAlarm(storage: DurableObjectStorage, atMs: number) {
  const current = await storage.getAlarm();
  if (current === null || current > atMs) await storage.setAlarm(atMs);
}

/**
 * The rules side of a ProjectAlerts object: the project's rules, what each remembers per run,
 * the built-in detectors and the stale watch. Class fields are only caches of what its tables
 * hold (rebuilt after the object is evicted).
 */
export class ProjectRules {
  private readonly store: RuleStore;
  private compiled: CompiledRule[] | null = null;
  private cachedSettings: ProjectSettings | null = null;
  private project: string | null = null;
  /** Webhook targets by run id, read from D1 at `at` (see emit). */
  private readonly plans = new Map<string, { plan: WebhookPlan; at: number }>();

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly storeAlerts: StoreAlerts,
  ) {
    this.store = new RuleStore(ctx.storage.sql);
  }

  /** The object's project, for alerts raised by the alarm (no request names it then). */
  private remember(project: string) {
    if (this.project === project) return;
    this.project = project;
    if (this.store.meta("project") !== project) this.store.setMeta("project", project);
  }

  settings(): ProjectSettings {
    return (this.cachedSettings ??= this.store.settings() ?? defaultSettings(this.env));
  }

  private activeRules(): CompiledRule[] {
    this.compiled ??= this.store.rules().map(compileRule);
    return this.settings().detectors.non_finite ? [NON_FINITE_RULE, ...this.compiled] : this.compiled;
  }

  list(): Rule[] {
    return this.store.rules();
  }

  /** Whether the project has rules of its own (the built-in detectors aside). */
  hasRules(): boolean {
    return (this.compiled ??= this.store.rules().map(compileRule)).length > 0;
  }

  get(id: string): Rule | null {
    return this.store.rule(id);
  }

  /** Adds a rule; the same id with the same definition is a retry and answers the stored rule. */
  put(project: string, rule: Omit<Rule, "created_at">, nowUs = Date.now() * 1000): PutRuleResult {
    this.remember(project);
    const existing = this.store.rule(rule.id);
    if (existing) {
      const same = definition(existing) === definition({ ...rule, created_at: "" });
      return { outcome: same ? "exists" : "conflict", rule: existing };
    }
    if (this.store.count() >= MAX_RULES_PER_PROJECT) return { outcome: "limit" };
    // RPC input is a boundary too: only a definition the contract accepts is stored.
    const stored = Rule.parse({ ...rule, created_at: formatTimestamp(nowUs) });
    this.store.insertRule(stored, nowUs);
    this.compiled = null;
    return { outcome: "created", rule: stored };
  }

  remove(id: string): boolean {
    const removed = this.store.deleteRule(id);
    this.compiled = null;
    return removed;
  }

  /** The project's settings as D1 holds them; re-times every watched run for the new stale_after. */
  async configure(project: string, settings: ProjectSettings): Promise<void> {
    this.remember(project);
    this.store.setSettings(settings);
    this.cachedSettings = settings;
    this.store.rescheduleAll(settings.detectors.stale ? settings.stale_after * 1_000_000 : null);
    await this.arm();
  }

  /** Makes sure the alarm fires by the next stale check (also when the object starts: a crash may have cut one off). */
  async arm(): Promise<void> {
    const next = this.store.nextDue();
    if (next !== null) await lowerAlarm(this.ctx.storage, Math.ceil(next / 1000));
  }

  /**
   * Alerts raised here reach webhooks like any other: the project's targets are read from D1 only
   * when something fired, so a quiet batch costs no D1 read, and a run whose rules fire batch after
   * batch reuses them for PLAN_TTL_MS. Without them the alerts are still stored.
   */
  private async emit(project: string, inputs: AlertInput[], nowMs = Date.now()): Promise<Alert[]> {
    const runIds = [...new Set(inputs.map((i) => i.run_id ?? ""))];
    const key = runIds.length === 1 ? runIds[0] : null;
    const cached = key === null ? undefined : this.plans.get(key);
    let plan = cached && nowMs - cached.at < PLAN_TTL_MS ? cached.plan : null;
    if (!plan) {
      try {
        plan = await loadWebhookPlan(this.env.DB, project, runIds);
        if (key !== null) {
          if (this.plans.size >= 256) this.plans.clear();
          this.plans.set(key, { plan, at: nowMs });
        }
      } catch (err) {
        console.error("webhook targets unavailable for rule alerts", err instanceof Error ? err.message : String(err));
        plan = EMPTY_PLAN;
      }
    }
    return this.storeAlerts(project, inputs, plan);
  }

  /**
   * One stored batch: runs it through the rules and built-in detectors, records that the run
   * reported (raising the "resumed" alert for a stale run), and stores the alerts in one call.
   */
  async evaluate(project: string, run: EvaluatedRun, entries: RuleEntry[], nowUs = Date.now() * 1000): Promise<Alert[]> {
    this.remember(project);
    const rules = this.activeRules();
    let firings: Firing[] = [];
    if (rules.length) {
      const runStates = { states: this.store.states(run.id), dirty: new Set<string>() };
      firings = evaluateEntries(rules, run, entries, runStates);
      this.store.saveStates(run.id, runStates.states, runStates.dirty);
    }
    const inputs: AlertInput[] = [];
    const dueUs = this.recordReport(run, entries, nowUs, inputs);
    for (const f of firings) {
      inputs.push({
        alert_id: `${f.rule_id}-${run.id}-${f.step}-${fnv1a(f.metric)}`,
        run_id: run.id,
        run: run.name,
        title: f.title,
        text: f.text,
        level: f.level,
        step: f.step,
        timestamp: null,
        rule_id: f.rule_id,
      });
    }
    if (dueUs !== null) await lowerAlarm(this.ctx.storage, Math.ceil(dueUs / 1000));
    return inputs.length ? this.emit(project, inputs) : [];
  }

  /** Updates the run's watch; pushes the "resumed" alert if it was stale. Returns when it is next due. */
  private recordReport(run: EvaluatedRun, entries: RuleEntry[], nowUs: number, out: AlertInput[]): number | null {
    if (run.status === "finished" || run.status === "failed") {
      this.store.forgetWatch(run.id);
      return null;
    }
    let lastStep: number | null = null;
    for (const e of entries) if (lastStep === null || e.step > lastStep) lastStep = e.step;
    const prev = this.store.watch(run.id);
    if (prev?.last_step != null && (lastStep === null || prev.last_step > lastStep)) lastStep = prev.last_step;
    const s = this.settings();
    const dueUs = s.detectors.stale ? nowUs + s.stale_after * 1_000_000 : null;
    if (prev?.stale_since_us != null) out.push(resumedAlert(prev, run, lastStep, nowUs));
    this.store.putWatch({ run_id: run.id, run_name: run.name, last_us: nowUs, last_step: lastStep, due_us: dueUs, stale_since_us: null });
    return dueUs;
  }

  /**
   * The alarm's part: every watched run past its due time is checked against D1 and, when D1
   * agrees it has been quiet for stale_after, marked stale with a "Run stopped reporting" alert.
   * Batches arriving meanwhile wait (blockConcurrencyWhile), so a run's "stopped" and "resumed"
   * alerts are always in that order. Never throws: a failed check is retried later.
   */
  async alarm(nowUs = Date.now() * 1000): Promise<void> {
    const s = this.settings();
    const project = (this.project ??= this.store.meta("project"));
    if (s.detectors.stale && project !== null) {
      await this.ctx.blockConcurrencyWhile(async () => {
        const staleAfterUs = s.stale_after * 1_000_000;
        const alerts: AlertInput[] = [];
        for (const w of this.store.dueWatches(nowUs, STALE_BATCH)) {
          const found = await this.check(w, nowUs - staleAfterUs, nowUs);
          if (found) {
            this.store.markStale(w.run_id, nowUs);
            alerts.push(staleAlert({ ...w, last_us: found.lastUs, last_step: found.lastStep ?? w.last_step }, s.stale_after));
          }
        }
        if (alerts.length) await this.emit(project, alerts);
      });
    }
    await this.arm();
  }

  /** The run's last activity when it just became stale; null when it did not. */
  private async check(w: RunWatch, cutoffUs: number, nowUs: number): Promise<{ lastUs: number; lastStep: number | null } | null> {
    try {
      const found = await markRunStale(this.env.DB, w.run_id, cutoffUs, nowUs);
      if (found.kind === "stale") return found;
      // The run logged since this object last heard of it (most batches never come here): check again stale_after after its last entry.
      if (found.kind === "reporting") this.store.setDue(w.run_id, Math.max(found.lastUs + (nowUs - cutoffUs), nowUs + 1_000_000));
      else this.store.forgetWatch(w.run_id);
    } catch (err) {
      console.error("stale check failed", err instanceof Error ? err.message : String(err));
      this.store.setDue(w.run_id, nowUs + RETRY_US);
    }
    return null;
  }

  renameRun(runId: string, name: string) {
    this.store.renameRun(runId, name);
  }

  forgetRun(runId: string) {
    this.store.forgetRun(runId);
  }
}
