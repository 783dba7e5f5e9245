import { BUILTIN_RULE_PREFIX, formatTimestamp } from "../contract";
import type { AlertInput } from "../project-object/types";
import { compileRule, type CompiledRule } from "./compile";
import type { RunWatch } from "../project-object/rule-store";

export const NON_FINITE_RULE_ID = `${BUILTIN_RULE_PREFIX}non_finite`;
export const STALE_RULE_ID = `${BUILTIN_RULE_PREFIX}stale`;

/** The non-finite detector is an ordinary rule on every metric, so it fires once per episode too. */
export const NON_FINITE_RULE: CompiledRule = compileRule({
  id: NON_FINITE_RULE_ID,
  metric: "*",
  condition: { type: "non_finite" },
  level: "error",
  title: "Non-finite metric",
  text: "{metric}={value} at step {step}",
});

export function staleAlert(w: RunWatch, staleAfterSeconds: number): AlertInput {
  const step = w.last_step === null ? "" : `, at step ${w.last_step}`;
  return {
    alert_id: `stale-${w.run_id}-${w.last_us}`,
    run_id: w.run_id,
    run: w.run_name,
    title: "Run stopped reporting",
    text: `No log entry for ${staleAfterSeconds} s (the run last reported at ${formatTimestamp(w.last_us)}${step}); it is now stale.`,
    level: "warn",
    step: w.last_step,
    timestamp: null,
    rule_id: STALE_RULE_ID,
  };
}

export function resumedAlert(w: RunWatch, run: { id: string; name: string }, step: number | null, nowUs: number): AlertInput {
  const quiet = Math.round((nowUs - w.last_us) / 1_000_000);
  return {
    alert_id: `resumed-${run.id}-${w.stale_since_us}`,
    run_id: run.id,
    run: run.name,
    title: "Run resumed reporting",
    text: `Logging again after ${quiet} s without entries; the run is running again.`,
    level: "info",
    step,
    timestamp: null,
    rule_id: STALE_RULE_ID,
  };
}
