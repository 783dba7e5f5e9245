import type { Rule } from "../contract/rules";
import type { TemplateVars } from "./template";

export type Condition = Rule["condition"];

/**
 * What a rule remembers per (run, metric) between batches: whether it has fired (and not yet
 * been false since), the previous finite value (spike) and the best value with its step
 * (no_improvement).
 */
export type RuleState = { active: boolean; last: number | null; best: number | null; bestStep: number | null };

export const freshState = (): RuleState => ({ active: false, last: null, best: null, bestStep: null });

/**
 * One value through a condition. Returns whether the condition holds, or null when the value says
 * nothing either way (NaN against a threshold, the first value of a spike rule), which leaves the
 * rule as it was. Updates `state` (previous and best values) and sets the condition's own template
 * variables in `vars`: every one its templates may use is set whenever it returns true, so an object
 * reused across rules never lends a firing rule another rule's value.
 */
export function applyCondition(c: Condition, state: RuleState, value: number, step: number, vars: TemplateVars): boolean | null {
  switch (c.type) {
    case "gt":
      vars.threshold = c.value;
      return Number.isNaN(value) ? null : value > c.value;
    case "lt":
      vars.threshold = c.value;
      return Number.isNaN(value) ? null : value < c.value;
    case "non_finite":
      return !Number.isFinite(value);
    case "no_improvement": {
      vars.steps = c.steps;
      const improved =
        Number.isFinite(value) &&
        (state.best === null || (c.mode === "min" ? value < state.best - c.min_delta : value > state.best + c.min_delta));
      if (improved) {
        state.best = value;
        state.bestStep = step;
      }
      vars.best = state.best;
      vars.best_step = state.bestStep;
      if (improved) return false;
      if (state.best === null || state.bestStep === null) return null;
      return step - state.bestStep >= c.steps;
    }
    case "spike": {
      vars.factor = c.factor;
      if (!Number.isFinite(value)) return null;
      const prev = state.last;
      state.last = value;
      vars.previous = prev;
      if (prev === null || prev === 0 || value === 0) return null;
      const ratio = Math.abs(value) / Math.abs(prev);
      vars.ratio = ratio;
      const up = ratio > c.factor;
      const down = ratio < 1 / c.factor;
      return c.direction === "up" ? up : c.direction === "down" ? down : up || down;
    }
  }
}
