import { z } from "zod";
import { AlertLevel, LooseAlertLevel } from "./common";

/**
 * Server-side alert rules and the built-in detectors: evaluated on every stored log entry, so a
 * training script that is killed, hangs or logs NaN still raises alerts it never wrote.
 */

const finite = (field: string) =>
  z.number({ error: `${field} must be a number` }).refine(Number.isFinite, `${field} must be a finite number`);

/**
 * What makes a rule true for one value of a metric. A rule fires when it becomes true for a
 * (run, metric) and again only after it has been false: one alert per episode, not per step.
 */
export const RuleCondition = z.discriminatedUnion(
  "type",
  [
    /** value > threshold (`Infinity` counts; NaN leaves the rule as it was). */
    z.strictObject({ type: z.literal("gt"), value: finite("value") }),
    /** value < threshold. */
    z.strictObject({ type: z.literal("lt"), value: finite("value") }),
    /** NaN, Infinity or -Infinity. */
    z.strictObject({ type: z.literal("non_finite") }),
    /**
     * The early-stopping rule: no new best value (lowest in `min` mode, highest in `max`, by more
     * than `min_delta`) for `steps` steps since the best one. An improvement re-arms it.
     */
    z.strictObject({
      type: z.literal("no_improvement"),
      steps: z.number({ error: "steps must be an integer" }).int("steps must be an integer").min(1, "steps must be >= 1").max(1e12),
      mode: z.enum(["min", "max"], { error: "mode must be 'min' or 'max'" }).default("min"),
      min_delta: finite("min_delta").refine((v) => v >= 0, "min_delta must be >= 0").default(0),
    }),
    /**
     * A jump between consecutive finite values: |value| / |previous| above `factor` (`up`, the
     * default), below 1/`factor` (`down`) or either (`both`). Pairs where either value is 0 have no
     * ratio and are skipped.
     */
    z.strictObject({
      type: z.literal("spike"),
      factor: finite("factor").refine((v) => v > 1, "factor must be > 1"),
      direction: z.enum(["up", "down", "both"], { error: "direction must be 'up', 'down' or 'both'" }).default("up"),
    }),
  ],
  { error: "type must be one of gt, lt, non_finite, no_improvement, spike" },
);
export type RuleCondition = z.input<typeof RuleCondition>;
export type RuleConditionType = z.output<typeof RuleCondition>["type"];

/** Placeholders a template may use, by condition; `{value:.4f}`-style specs only on numbers. */
const COMMON_FIELDS = ["value", "step", "run", "run_id", "metric", "rule", "level"] as const;
export const TEMPLATE_FIELDS: Record<RuleConditionType, readonly string[]> = {
  gt: [...COMMON_FIELDS, "threshold"],
  lt: [...COMMON_FIELDS, "threshold"],
  non_finite: COMMON_FIELDS,
  no_improvement: [...COMMON_FIELDS, "best", "best_step", "steps"],
  spike: [...COMMON_FIELDS, "previous", "ratio", "factor"],
};
const TEXT_FIELDS = new Set(["run", "run_id", "metric", "rule", "level"]);

export type TemplatePart = string | { field: string; spec: string };

/**
 * Parses a text template: `{field}` or `{field:spec}` where spec is Python's `.4f`, `.3e`, `.6g`,
 * `f`, `e`, `g` or `d`; `{{` and `}}` are literal braces. Returns the parts, or an error message.
 */
export function parseTemplate(text: string, fields: readonly string[]): { parts: TemplatePart[] } | { error: string } {
  const parts: TemplatePart[] = [];
  let lit = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "}") {
      if (text[i + 1] !== "}") return { error: `unmatched '}' at position ${i} (write '}}' for a literal brace)` };
      lit += "}";
      i++;
      continue;
    }
    if (ch !== "{") {
      lit += ch;
      continue;
    }
    if (text[i + 1] === "{") {
      lit += "{";
      i++;
      continue;
    }
    const end = text.indexOf("}", i);
    if (end < 0) return { error: `unclosed '{' at position ${i} (write '{{' for a literal brace)` };
    const [field, spec = "", ...extra] = text.slice(i + 1, end).split(":");
    if (!fields.includes(field)) return { error: `unknown placeholder {${field}}; this condition allows ${fields.map((f) => `{${f}}`).join(", ")}` };
    if (extra.length || (spec && !/^(\.\d{1,2})?[feg]$|^d$/.test(spec))) return { error: `unsupported format '${spec}' in {${field}}; use e.g. .4f, .3e, .6g or d` };
    if (spec && TEXT_FIELDS.has(field)) return { error: `{${field}} is text and takes no format` };
    if (lit) parts.push(lit);
    lit = "";
    parts.push({ field, spec });
    i = end;
  }
  if (lit) parts.push(lit);
  return { parts };
}

export const RULE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** Ids starting with this are the built-in detectors' (`builtin:non_finite`, `builtin:stale`). */
export const BUILTIN_RULE_PREFIX = "builtin:";
export const MAX_RULES_PER_PROJECT = 100;

export const RuleId = z.string().regex(RULE_ID_PATTERN, "id must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit");

/** A metric name, or a pattern where `*` matches any characters (including '/'): `val/*`, `*loss*`. */
export const MetricPattern = z.string().min(1, "metric must not be empty").max(256, "metric must be at most 256 characters");

export const CreateRule = z
  .strictObject({
    /** Client-chosen id (a retry with the same definition is answered with the stored rule); generated when absent. */
    id: RuleId.optional(),
    metric: MetricPattern,
    condition: RuleCondition,
    level: LooseAlertLevel.default("warn"),
    /** The alert's title; a template like `text`. */
    title: z.string().min(1, "title must not be empty").max(1024, "title must be at most 1024 characters"),
    /** e.g. `"train_loss={value:.4f} at step {step}"`; a default that names the metric, value and step when absent. */
    text: z.string().max(16_384, "text must be at most 16384 characters").nullish(),
  })
  .superRefine((r, ctx) => {
    const fields = TEMPLATE_FIELDS[r.condition.type];
    for (const key of ["title", "text"] as const) {
      const t = r[key];
      if (t == null) continue;
      const parsed = parseTemplate(t, fields);
      if ("error" in parsed) ctx.addIssue({ code: "custom", path: [key], message: parsed.error });
    }
  });
export type CreateRule = z.input<typeof CreateRule>;

export const Rule = z.object({
  id: z.string(),
  metric: z.string(),
  condition: z.discriminatedUnion("type", [
    z.object({ type: z.literal("gt"), value: z.number() }),
    z.object({ type: z.literal("lt"), value: z.number() }),
    z.object({ type: z.literal("non_finite") }),
    z.object({ type: z.literal("no_improvement"), steps: z.number().int(), mode: z.enum(["min", "max"]), min_delta: z.number() }),
    z.object({ type: z.literal("spike"), factor: z.number(), direction: z.enum(["up", "down", "both"]) }),
  ]),
  level: AlertLevel,
  title: z.string(),
  text: z.string().nullable(),
  created_at: z.string(),
});
export type Rule = z.infer<typeof Rule>;

export const RuleList = z.object({ rules: z.array(Rule) });
export type RuleList = z.infer<typeof RuleList>;

export const DEFAULT_STALE_AFTER_SECONDS = 600;
const MAX_STALE_AFTER_SECONDS = 30 * 24 * 3600;

const StaleAfter = z
  .number({ error: "stale_after must be a number of seconds" })
  .int("stale_after must be a whole number of seconds")
  .min(1, "stale_after must be >= 1 second")
  .max(MAX_STALE_AFTER_SECONDS, `stale_after must be <= ${MAX_STALE_AFTER_SECONDS} seconds (30 days)`);

/** A project's built-in detectors: both on by default. */
export const ProjectSettings = z.object({
  /** Seconds without a log entry after which a running run becomes `stale`. */
  stale_after: z.number().int(),
  detectors: z.object({
    /** Any NaN/±Infinity metric value raises an `error` "Non-finite metric" alert. */
    non_finite: z.boolean(),
    /** A running run that stops reporting becomes `stale` with a `warn` alert (and `info` when it reports again). */
    stale: z.boolean(),
  }),
});
export type ProjectSettings = z.infer<typeof ProjectSettings>;

export const PatchProjectSettings = z.strictObject({
  stale_after: StaleAfter.optional(),
  detectors: z
    .strictObject({
      non_finite: z.boolean({ error: "detectors.non_finite must be true or false" }).optional(),
      stale: z.boolean({ error: "detectors.stale must be true or false" }).optional(),
    })
    .optional(),
});
export type PatchProjectSettings = z.input<typeof PatchProjectSettings>;
