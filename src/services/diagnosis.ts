import { DIAGNOSIS_MAX_BYTES, DIAGNOSIS_MAX_METRICS, type Diagnosis } from "../contract";
import { metricNamesOf, rollupBuckets } from "../db/metrics";
import { listNotes } from "../db/notes";
import { toRun } from "../db/runs";
import { analyzeMetric, diagnosisOrder, flagsOf, gapsOf, stepsPerSecond } from "../diagnosis/analyze";
import { BUCKETS_PER_METRIC, RECENT_ALERTS, RECENT_NOTES, TEXT_CHARS } from "../diagnosis/rules";
import { pickWidth } from "../metrics/downsample";
import { alertCountsFor, projectObject } from "./alerts";
import type { Svc } from "./context";
import { getRunOr404 } from "./run-refs";

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;
const cut = (s: string) => (s.length > TEXT_CHARS ? `${s.slice(0, TEXT_CHARS - 1)}…` : s);

/**
 * A run's diagnosis, bounded whatever its length: up to DIAGNOSIS_MAX_METRICS metrics read from
 * one rollup width (at most BUCKETS_PER_METRIC buckets each, in one query), the alert counts kept
 * by the project's object and its newest few alerts and notes. No log row is read.
 */
export async function diagnoseRun(s: Svc, project: string, ref: string): Promise<Diagnosis> {
  const row = await getRunOr404(s, project, ref);
  const run = toRun(row);
  const names = (await metricNamesOf(s.env.DB, row.id)).filter((n) => n.numeric);
  names.sort((a, b) => diagnosisOrder(a.name, b.name));
  const chosen = names.slice(0, DIAGNOSIS_MAX_METRICS);
  const lastStep = row.lastStep ?? 0;
  const width = pickWidth(lastStep + 1, BUCKETS_PER_METRIC, 1);
  const [buckets, counts, recentAlerts, notes] = await Promise.all([
    chosen.length ? rollupBuckets(s.env.DB, row.id, chosen.map((n) => n.name), width, 0, lastStep) : Promise.resolve(new Map()),
    alertCountsFor(s.env, project, row.id),
    projectObject(s.env, project).queryAlerts({ run_id: row.id, limit: RECENT_ALERTS }),
    listNotes(s.db, project, row.id, RECENT_NOTES),
  ]);
  const analyzed = chosen.map((n) => analyzeMetric(n.name, buckets.get(n.name) ?? [], n.nonFinite));
  const base = {
    run_id: row.id,
    run: row.name,
    status: run.status,
    last_step: row.lastStep,
    log_count: row.logCount,
    steps_per_second: stepsPerSecond(analyzed),
    seconds_since_last_entry: row.lastLogUs === null ? null : Math.round((s.nowUs - row.lastLogUs) / 100_000) / 10,
    alerts: {
      counts,
      recent: recentAlerts.alerts.map((a) => ({ level: a.level, title: cut(a.title), step: a.step, timestamp: a.timestamp })),
    },
    notes: notes.map((n) => ({ text: cut(n.text), author: n.author, created_at: n.created_at })),
    stop_requested: run.stop_requested ? { at: run.stop_requested.at, reason: run.stop_requested.reason && cut(run.stop_requested.reason) } : null,
  };
  const metrics = analyzed.map(({ recent: _, ...m }) => m);
  // Long metric names could still push it past the bound: the lowest-ranked metrics go first.
  for (let keep = metrics.length; ; keep--) {
    const kept = metrics.slice(0, keep);
    const gaps = gapsOf(kept);
    const d: Diagnosis = { ...base, flags: flagsOf(kept, gaps, run.stop_requested !== null), metrics: kept, metrics_omitted: names.length - keep, gaps };
    if (keep === 0 || utf8Bytes(JSON.stringify(d)) <= DIAGNOSIS_MAX_BYTES) return d;
  }
}
