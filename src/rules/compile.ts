import { TEMPLATE_FIELDS, type AlertLevel, type Rule } from "../contract";
import type { Condition } from "./conditions";
import { metricMatcher } from "./pattern";
import { Template } from "./template";

/** A rule ready for evaluation: its pattern and templates parsed once, not per value. */
export type CompiledRule = {
  id: string;
  matches: (metric: string) => boolean;
  condition: Condition;
  level: AlertLevel;
  title: Template;
  text: Template;
};

/** The text of an alert whose rule gave none: the metric, the value and why. */
export const DEFAULT_TEXT: Record<Condition["type"], string> = {
  gt: "{metric}={value} > {threshold} at step {step}",
  lt: "{metric}={value} < {threshold} at step {step}",
  non_finite: "{metric}={value} at step {step}",
  no_improvement: "{metric} has not improved for {steps} steps: best {best} at step {best_step}, now {value} at step {step}",
  spike: "{metric} jumped from {previous} to {value} ({ratio:.3g}x) at step {step}",
};

export function compileRule(r: Pick<Rule, "id" | "metric" | "condition" | "level" | "title" | "text">): CompiledRule {
  const fields = TEMPLATE_FIELDS[r.condition.type];
  return {
    id: r.id,
    matches: metricMatcher(r.metric),
    condition: r.condition,
    level: r.level,
    title: Template.compile(r.title, fields),
    text: Template.compile(r.text ?? DEFAULT_TEXT[r.condition.type], fields),
  };
}
