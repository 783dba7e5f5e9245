import type { AlertLevel } from "../contract";
import { decodeNumber, isNonFinite } from "../contract/metric-values";
import { applyCondition, freshState, type RuleState } from "./conditions";
import type { CompiledRule } from "./compile";
import type { TemplateVars } from "./template";

/** A log entry as the rules see it: its step and its metrics as stored (non-finite as "NaN" etc.). */
export type RuleEntry = { step: number; metrics: Record<string, unknown> };
export type RuleRun = { id: string; name: string };

/** An alert a rule raised, before it is stored. */
export type Firing = { rule_id: string; metric: string; step: number; level: AlertLevel; title: string; text: string };

/** Rule states of one run by `stateKey`; `dirty` lists the keys changed by an evaluation. */
export type RunStates = { states: Map<string, RuleState>; dirty: Set<string> };

export const stateKey = (ruleId: string, metric: string) => `${ruleId}\u0000${metric}`;

/** A metric value as a number: finite numbers and the wire's non-finite strings; null for anything else. */
function numeric(v: unknown): number | null {
  if (typeof v === "number") return v;
  if (isNonFinite(v)) return decodeNumber(v) as number;
  return null;
}

/**
 * Runs every entry of a batch, in order, through the rules whose pattern matches each metric. A
 * rule fires when its condition becomes true for a (run, metric) and again only after it has been
 * false: the returned firings are the transitions, and `runStates` holds what the next batch
 * continues from. Pure: no storage, no clock.
 */
export function evaluateEntries(rules: CompiledRule[], run: RuleRun, entries: RuleEntry[], runStates: RunStates): Firing[] {
  const fired: Firing[] = [];
  if (!rules.length) return fired;
  // Which rules watch a metric is decided once per name per batch, not once per value.
  const byMetric = new Map<string, CompiledRule[]>();
  const rulesFor = (metric: string) => {
    let hit = byMetric.get(metric);
    if (!hit) byMetric.set(metric, (hit = rules.filter((r) => r.matches(metric))));
    return hit;
  };
  const { states, dirty } = runStates;
  // Conditions write their extra placeholders ({threshold}, {best}, …) here; the full variables are
  // built only when a rule fires, not for each of a batch's values.
  const extra: TemplateVars = {};
  for (const entry of entries) {
    for (const metric in entry.metrics) {
      const watching = rulesFor(metric);
      if (!watching.length) continue;
      const value = numeric(entry.metrics[metric]);
      if (value === null) continue;
      for (const rule of watching) {
        const key = stateKey(rule.id, metric);
        let state = states.get(key);
        if (!state) states.set(key, (state = freshState()));
        const { active, last, best, bestStep } = state;
        const holds = applyCondition(rule.condition, state, value, entry.step, extra);
        if (holds === true && !state.active) {
          state.active = true;
          const vars: TemplateVars = { ...extra, value, step: entry.step, run: run.name, run_id: run.id, metric, rule: rule.id, level: rule.level };
          fired.push({ rule_id: rule.id, metric, step: entry.step, level: rule.level, title: rule.title.render(vars), text: rule.text.render(vars) });
        } else if (holds === false && state.active) {
          state.active = false;
        }
        if (state.active !== active || state.last !== last || state.best !== best || state.bestStep !== bestStep) dirty.add(key);
      }
    }
  }
  return fired;
}
