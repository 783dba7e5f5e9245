import { z } from "zod";
import { AlertCounts, RunRef } from "./common";
import { MetricName } from "./metric-values";
import { RunStatus } from "./runs";

export const MAX_COMPARED_RUNS = 50;

export const CompareMode = z.enum(["min", "max"]);
export type CompareMode = z.infer<typeof CompareMode>;

/** What to compare; shared by `GET /v1/projects/:project/compare` and MCP's `compare_runs`. */
export const CompareArgs = z.object({
  runs: z.array(RunRef).min(1).max(MAX_COMPARED_RUNS, `runs may name at most ${MAX_COMPARED_RUNS} runs`).optional(),
  group: z.string().max(256).optional(),
  metrics: z.array(MetricName).min(1).max(100).optional(),
  mode: z.enum(["auto", "min", "max"]).default("auto"),
  modes: z.record(MetricName, CompareMode).optional(),
});
export type CompareArgs = z.input<typeof CompareArgs>;

const Picked = z.object({ step: z.number().int(), timestamp: z.string(), value: z.json() }).nullable();

export const Comparison = z.object({
  project: z.string(),
  metrics: z.array(
    z.object({
      name: z.string(),
      mode: CompareMode,
      best_run: z.object({ id: z.string(), name: z.string(), step: z.number().int(), value: z.number() }).nullable(),
    }),
  ),
  differing_config_keys: z.array(z.string()),
  runs: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      group: z.string().nullable(),
      status: RunStatus,
      last_step: z.number().int().nullable(),
      config: z.record(z.string(), z.json()),
      alert_counts: AlertCounts,
      metrics: z.record(z.string(), z.object({ final: Picked, best: Picked })),
    }),
  ),
  /** True when the project has more runs than were compared. */
  truncated: z.boolean(),
});
export type Comparison = z.infer<typeof Comparison>;
