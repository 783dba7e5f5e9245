import { BUILTIN_RULE_PREFIX } from "../contract";
import { compileRule, type CompiledRule } from "./compile";

export const NON_FINITE_RULE_ID = `${BUILTIN_RULE_PREFIX}non_finite`;
/** The stale detector's alerts carry this id; the detector runs in the project's object (project-object/stale-watch.ts). */
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
