import { z } from "zod";
import type { Alert, MetricPoint, ProjectSummary, RunSummary } from "../contract";

// Trackio's read shapes (reference: Trackio 0.36 `/api/get_*` and its FastMCP tools), so an
// agent that learnt Trackio's tools reads ours unchanged. FastMCP wraps a non-object result as
// `{"result": …}`; the tools here do the same.

export const TrackioRunRef = z.object({ id: z.string(), name: z.string(), created_at: z.string() });

export const TrackioProjectSummary = z.object({
  project: z.string(),
  num_runs: z.number().int(),
  runs: z.array(TrackioRunRef),
  /**
   * When any run last logged (or was created), as everywhere in Trackflare; Trackio's server puts
   * the highest step here, which is `last_step`.
   */
  last_activity: z.string().nullable(),
  last_step: z.number().int().nullable(),
});

export const TrackioRunSummary = z.object({
  project: z.string(),
  run: z.string(),
  run_id: z.string().nullable(),
  num_logs: z.number().int(),
  metrics: z.array(z.string()),
  config: z.record(z.string(), z.json()).nullable(),
  last_step: z.number().int().nullable(),
});

/** A metric value: a number, "NaN"/"Infinity"/"-Infinity", or a nested value logged verbatim. */
export const TrackioPoint = z.object({ timestamp: z.string(), step: z.number().int(), value: z.json() });

export const TrackioAlert = z.object({
  timestamp: z.string(),
  run: z.string().nullable(),
  title: z.string(),
  text: z.string().nullable(),
  level: z.enum(["info", "warn", "error"]),
  step: z.number().int().nullable(),
});

export const TrackioSettings = z.object({
  logo_urls: z.object({ light: z.string().nullable(), dark: z.string().nullable() }),
  color_palette: z.array(z.string()),
  plot_order: z.array(z.string()),
  table_truncate_length: z.number().int(),
  media_dir: z.string().nullable(),
  space_id: z.string().nullable(),
});

export const toTrackioProjectSummary = (p: ProjectSummary): z.infer<typeof TrackioProjectSummary> => ({
  project: p.project,
  num_runs: p.num_runs,
  runs: p.runs.map((r) => ({ id: r.id, name: r.name, created_at: r.created_at })),
  last_activity: p.last_activity,
  last_step: p.last_step,
});

/** Trackio keeps `_Username`, `_Created` and `_Group` in the config; they are rebuilt from the run when absent. */
export const toTrackioRunSummary = (r: RunSummary): z.infer<typeof TrackioRunSummary> => ({
  project: r.project,
  run: r.name,
  run_id: r.id,
  num_logs: r.log_count,
  metrics: r.metrics,
  config: { ...r.config, _Username: r.config._Username ?? null, _Created: r.config._Created ?? r.created_at, _Group: r.config._Group ?? r.group },
  last_step: r.last_step,
});

export const toTrackioPoint = (p: MetricPoint): z.infer<typeof TrackioPoint> => ({ timestamp: p.timestamp, step: p.step, value: p.value });

export const toTrackioAlert = (a: Alert): z.infer<typeof TrackioAlert> => ({
  timestamp: a.timestamp,
  run: a.run,
  title: a.title,
  text: a.text,
  level: a.level,
  step: a.step,
});
