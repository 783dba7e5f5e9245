import { z } from "zod";
import { AlertCounts, AlertLevel } from "./common";
import { RunStatus } from "./runs";

// A diagnosis is sized for an agent's context: a bounded number of metrics, alert titles and
// notes, whatever the run's length (the rules and thresholds are in the README).

/** At most this many metrics are diagnosed (loss-like and score-like names first). */
export const DIAGNOSIS_MAX_METRICS = 16;
/** The serialized diagnosis stays under this many bytes (metrics are dropped to fit). */
export const DIAGNOSIS_MAX_BYTES = 8192;

export const Trend = z.enum(["decreasing", "flat", "increasing", "diverging"]);
export type Trend = z.infer<typeof Trend>;

export const MetricDiagnosis = z.object({
  name: z.string(),
  last: z.number().nullable(),
  last_step: z.number().int().nullable(),
  /** `min` for loss-like names, `max` for score-like ones, null when the name says neither. */
  goal: z.enum(["min", "max"]).nullable(),
  best: z.number().nullable(),
  best_step: z.number().int().nullable(),
  /** Over the recent part of the run; null with too few points to tell. */
  trend: Trend.nullable(),
  non_finite: z.number().int(),
});
export type MetricDiagnosis = z.infer<typeof MetricDiagnosis>;

export const GapDiagnosis = z.object({
  train: z.string(),
  val: z.string(),
  /** val's last value minus train's. */
  gap: z.number(),
  overfitting: z.boolean(),
});
export type GapDiagnosis = z.infer<typeof GapDiagnosis>;

export const Diagnosis = z.object({
  run_id: z.string(),
  run: z.string(),
  status: RunStatus,
  last_step: z.number().int().nullable(),
  log_count: z.number().int(),
  steps_per_second: z.number().nullable(),
  seconds_since_last_entry: z.number().nullable(),
  /** One word per finding: `diverging:<metric>`, `overfitting:<val metric>`, `non_finite:<metric>`, `stop_requested`. */
  flags: z.array(z.string()),
  metrics: z.array(MetricDiagnosis),
  /** Numeric metrics left out to keep the diagnosis small. */
  metrics_omitted: z.number().int(),
  gaps: z.array(GapDiagnosis),
  alerts: z.object({
    counts: AlertCounts,
    recent: z.array(z.object({ level: AlertLevel, title: z.string(), step: z.number().int().nullable(), timestamp: z.string() })),
  }),
  notes: z.array(z.object({ text: z.string(), author: z.string(), created_at: z.string() })),
  stop_requested: z.object({ at: z.string(), reason: z.string().nullable() }).nullable(),
});
export type Diagnosis = z.infer<typeof Diagnosis>;
