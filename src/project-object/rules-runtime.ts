import type { Alert, ProjectSettings } from "../contract";
import { MAX_RULES_PER_PROJECT, Rule, formatTimestamp } from "../contract";
import { NON_FINITE_RULE } from "../rules/builtins";
import { compileRule, type CompiledRule } from "../rules/compile";
import { evaluateEntries, type Firing, type RuleEntry } from "../rules/engine";
import { defaultSettings } from "../rules/settings";
import type { AlarmScheduler } from "./alarm";
import type { RuleStore } from "./rule-store";
import type { StaleWatch } from "./stale-watch";
import type { AlertInput, EvaluatedRun } from "./types";

export type PutRuleResult = { outcome: "created" | "exists"; rule: Rule } | { outcome: "conflict"; rule: Rule } | { outcome: "limit" };

/** Stores rule and detector alerts through the object's one write path (cursor, sockets, waiters, webhooks). */
export type StoreAlerts = (project: string, inputs: AlertInput[]) => Promise<Alert[]>;

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

/**
 * The rules side of a ProjectAlerts object: the project's rules and what each remembers per run
 * (through the pure engine in src/rules/), the detector settings, and the stale watch they drive.
 * Class fields are only caches of what its tables hold (rebuilt after the object is evicted).
 */
export class ProjectRules {
  private compiled: CompiledRule[] | null = null;
  private cachedSettings: ProjectSettings | null = null;
  private project: string | null = null;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly store: RuleStore,
    private readonly watch: StaleWatch,
    private readonly alarms: AlarmScheduler,
    private readonly storeAlerts: StoreAlerts,
  ) {}

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
    this.watch.retime(settings);
    await this.alarms.arm();
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
    const dueUs = this.watch.report(run, entries, this.settings(), nowUs, inputs);
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
    if (dueUs !== null) await this.alarms.lowerTo(Math.ceil(dueUs / 1000));
    return inputs.length ? this.storeAlerts(project, inputs) : [];
  }

  /**
   * The alarm's part: due stale checks and their alerts. Batches arriving meanwhile wait
   * (blockConcurrencyWhile), so a run's "stopped" and "resumed" alerts are always in that order.
   * Never throws: a failed check is retried later. The caller re-arms the alarm. Returns the runs
   * whose status it changed (stale, with an alert; ended, without).
   */
  async checkStale(nowUs = Date.now() * 1000): Promise<[runId: string, status: "stale" | "ended"][]> {
    const s = this.settings();
    const project = (this.project ??= this.store.meta("project"));
    if (!s.detectors.stale || project === null) return [];
    return this.ctx.blockConcurrencyWhile(async () => {
      const { alerts, changed } = await this.watch.checkDue(s, nowUs);
      if (alerts.length) await this.storeAlerts(project, alerts);
      return changed;
    });
  }

  renameRun(runId: string, name: string) {
    this.store.renameRun(runId, name);
  }

  forgetRun(runId: string) {
    this.store.forgetRun(runId);
  }
}
