import type { Alert, MetricPoint, ProjectSummary, RunSummary } from "../../../src/contract";

// The `--json` documents of Trackio's CLI (reference: trackio 0.36 `cli.py`), built from REST
// answers. Keys Trackio prints come first and keep its meaning; Trackflare's extras follow.

/** The first 8 hex digits of a run id: enough to tell apart runs that share a name. */
export const shortId = (id: string) => id.slice(0, 8);

/** Trackio's alert item: no ids, no project. */
export const trackioAlert = (a: Alert) => ({ timestamp: a.timestamp, run: a.run, title: a.title, text: a.text, level: a.level, step: a.step });

/**
 * `get project`: Trackio's keys, but `last_activity` means a time here as in every Trackflare
 * answer (Trackio's CLI prints the highest step there); the step is `last_step`.
 */
export const projectDoc = (p: ProjectSummary) => ({
  project: p.project,
  num_runs: p.num_runs,
  runs: p.runs.map((r) => ({ id: r.id, name: r.name, created_at: r.created_at })),
  last_activity: p.last_activity,
  last_step: p.last_step,
});

/** `get run`: the config carries Trackio's `_Username/_Created/_Group` keys. */
export const runDoc = (project: string, r: RunSummary) => ({
  project,
  run: r.name,
  run_id: r.id,
  num_logs: r.log_count,
  metrics: [...r.metrics].sort(),
  config: { ...r.config, _Username: r.config._Username ?? null, _Created: r.config._Created ?? r.created_at, _Group: r.config._Group ?? r.group },
  last_step: r.last_step,
  status: r.status,
});

/** Trackio's `{timestamp, step, value}`; a downsampled point also carries its bucket's min and max. */
export const pointDoc = (p: MetricPoint) =>
  p.min === undefined ? { timestamp: p.timestamp, step: p.step, value: p.value } : { timestamp: p.timestamp, step: p.step, value: p.value, min: p.min, max: p.max };
