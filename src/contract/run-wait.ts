import { z } from "zod";
import { MAX_WAIT_SECONDS } from "./alerts";
import { RunStatus } from "./runs";

/** Statuses after which a run sends nothing more: what `until=ended` waits for. */
export const ENDED_STATUSES = ["finished", "failed", "stopped", "stale", "ended"] as const satisfies readonly RunStatus[];
export const isEndedStatus = (s: RunStatus) => (ENDED_STATUSES as readonly string[]).includes(s);

export const CompareOp = z.enum(["<", "<=", ">", ">="]);
export type CompareOp = z.infer<typeof CompareOp>;

export type RunCondition =
  | { kind: "ended" }
  | { kind: "step"; min: number }
  | { kind: "metric"; metric: string; op: CompareOp; value: number };

export function compare(v: number, op: CompareOp, bound: number): boolean {
  switch (op) {
    case "<": return v < bound;
    case "<=": return v <= bound;
    case ">": return v > bound;
    case ">=": return v >= bound;
  }
}

// The bound must be a plain number running to the end, so `a<=0.3` reads as `a` `<=` `0.3` and a
// name holding an operator character (`grad<norm>1e-3`) still parses: only its last operator is
// followed by a number alone.
const METRIC_CONDITION = /^(.+?)\s*(<=|>=|<|>)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)$/;
const STEP_CONDITION = /^step\s*>=\s*(\d+)$/;

/** `ended`, `step>=N` or `<metric><op><value>` (`val/loss<0.3`), as the wait's `until` gives it. */
export function parseRunCondition(text: string): RunCondition | string {
  const t = text.trim();
  if (t === "ended") return { kind: "ended" };
  const step = STEP_CONDITION.exec(t);
  if (step) return { kind: "step", min: Number(step[1]) };
  const m = METRIC_CONDITION.exec(t);
  if (!m) return "must be 'ended', 'step>=N' or '<metric><op><value>' with op one of <, <=, >, >= (e.g. 'val/loss<0.3')";
  const metric = m[1].trim();
  if (metric === "step") return "step conditions take the form 'step>=N' with N a whole number";
  const value = Number(m[3]);
  if (!Number.isFinite(value)) return "the bound must be a finite number";
  return { kind: "metric", metric, op: m[2] as CompareOp, value };
}

export const RunConditionText = z
  .string({ error: "until is required" })
  .max(600, "until must be at most 600 characters")
  .transform((text, ctx) => {
    const c = parseRunCondition(text);
    if (typeof c === "string") {
      ctx.addIssue({ code: "custom", message: c });
      return z.NEVER;
    }
    return c;
  });

export const RunWaitQuery = z.object({
  until: RunConditionText,
  timeout: z.coerce
    .number({ error: "timeout must be a number of seconds" })
    .min(0, "timeout must be >= 0")
    .max(MAX_WAIT_SECONDS, `timeout must be <= ${MAX_WAIT_SECONDS} seconds`)
    .default(30),
});
export type RunWaitQuery = z.input<typeof RunWaitQuery>;

export const RunWaitResult = z.object({
  matched: z.boolean(),
  timed_out: z.boolean(),
  status: RunStatus,
  /** The run's last step (null before its first entry). */
  step: z.number().int().nullable(),
  /** For a metric condition: the value that matched, or the latest finite value seen (absent before any). */
  value: z.number().optional(),
  /** The step of `value`. */
  value_step: z.number().int().optional(),
});
export type RunWaitResult = z.infer<typeof RunWaitResult>;
