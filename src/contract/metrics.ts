import { z } from "zod";
import { QueryInt } from "./common";

export const MetricPoint = z.object({
  step: z.number().int(),
  timestamp: z.string(),
  /** A number, a non-finite string ("NaN", "Infinity", "-Infinity"), or a nested value. */
  value: z.json(),
  /** Present on downsampled points: the bucket's extremes. */
  min: z.number().optional(),
  max: z.number().optional(),
});
export type MetricPoint = z.infer<typeof MetricPoint>;

export const MetricNames = z.object({ project: z.string(), run: z.string(), run_id: z.string(), metrics: z.array(z.string()) });
export type MetricNames = z.infer<typeof MetricNames>;

export const MAX_POINTS_LIMIT = 10_000;

export const MetricQuery = z
  .object({
    step: QueryInt("step").optional(),
    around: QueryInt("around").optional(),
    window: QueryInt("window", 0, 1_000_000).default(10),
    max_points: QueryInt("max_points", 2, MAX_POINTS_LIMIT).optional(),
    start: QueryInt("start").optional(),
    end: QueryInt("end").optional(),
  })
  .refine((q) => !(q.step !== undefined && q.around !== undefined), { message: "give step or around, not both", path: ["around"] });
export type MetricQuery = z.input<typeof MetricQuery>;

export const MetricValues = z.object({
  project: z.string(),
  run: z.string(),
  run_id: z.string(),
  metric: z.string(),
  downsampled: z.boolean(),
  values: z.array(MetricPoint),
});
export type MetricValues = z.infer<typeof MetricValues>;

export const SnapshotQuery = z
  .object({
    step: QueryInt("step").optional(),
    around: QueryInt("around").optional(),
    window: QueryInt("window", 0, 1_000_000).default(10),
  })
  .refine((q) => q.step !== undefined || q.around !== undefined, { message: "give step or around", path: ["step"] });
export type SnapshotQuery = z.input<typeof SnapshotQuery>;

export const Snapshot = z.object({
  project: z.string(),
  run: z.string(),
  run_id: z.string(),
  step: z.number().int().optional(),
  around: z.number().int().optional(),
  window: z.number().int().optional(),
  metrics: z.record(z.string(), z.array(MetricPoint)),
});
export type Snapshot = z.infer<typeof Snapshot>;

/** Many runs × many metrics in one request (dashboard charts, run comparison). */
export const SeriesQuery = z.object({
  runs: z.string().min(1, "runs must list at least one run").transform((s) => s.split(",").filter(Boolean))
    .pipe(z.array(z.string()).max(50, "at most 50 runs at once")),
  metrics: z.string().optional().transform((s) => (s ? s.split(",").filter(Boolean) : undefined)),
  max_points: QueryInt("max_points", 2, MAX_POINTS_LIMIT).default(1000),
  /** Only points after this step (live charts fetch just what is new). */
  after: QueryInt("after").optional(),
});
export type SeriesQuery = z.input<typeof SeriesQuery>;

export const Series = z.object({
  project: z.string(),
  series: z.array(z.object({ run: z.string(), run_id: z.string(), metric: z.string(), downsampled: z.boolean(), values: z.array(MetricPoint) })),
});
export type Series = z.infer<typeof Series>;
