import type { Bucket } from "../metrics/rollup";
import { runRowFromSql, type RunRow } from "./runs";

/** A JSON path selecting one top-level key, whatever characters the metric name holds. */
export const keyPath = (name: string) => `$."${name.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;

export type RawPoint = { step: number; timestamp: string; value: unknown; id: number };

const SELECT_NAMES = `SELECT name, numeric, non_finite FROM metric_names WHERE run_id = ?1 ORDER BY name`;
type NameRow = { name: string; numeric: number; non_finite: number };
const toNames = (rows: NameRow[]) => rows.map((r) => ({ name: r.name, numeric: r.numeric === 1, nonFinite: r.non_finite }));

export async function metricNamesOf(d1: D1Database, runId: string): Promise<{ name: string; numeric: boolean; nonFinite: number }[]> {
  const { results } = await d1.prepare(SELECT_NAMES).bind(runId).all<NameRow>();
  return toNames(results);
}

/** A run of the project by id and its metric names, in one D1 round trip; null when it is no run of the project. */
export async function runWithMetricNames(
  d1: D1Database,
  project: string,
  id: string,
  also: D1PreparedStatement[] = [],
): Promise<{ run: RunRow; names: { name: string; numeric: boolean; nonFinite: number }[]; also: Record<string, unknown>[][] } | null> {
  const [run, names, ...rest] = await d1.batch<Record<string, unknown>>([
    d1.prepare(`SELECT * FROM runs WHERE id = ?1 AND project = ?2`).bind(id, project),
    d1.prepare(`SELECT n.name, n.numeric, n.non_finite FROM metric_names n WHERE n.run_id = ?1 AND EXISTS (SELECT 1 FROM runs WHERE id = ?1 AND project = ?2) ORDER BY n.name`).bind(id, project),
    ...also,
  ]);
  const row = run.results[0];
  return row ? { run: runRowFromSql(row), names: toNames(names.results as NameRow[]), also: rest.map((r) => r.results) } : null;
}

/** Exact points of one metric in [lo, hi] from the log rows, in step order (then insertion). */
export async function rawPoints(d1: D1Database, runId: string, name: string, lo: number, hi: number): Promise<RawPoint[]> {
  const path = keyPath(name);
  const { results } = await d1
    .prepare(
      `SELECT id, step, ts, metrics -> ?2 AS v FROM metric_logs
       WHERE run_id = ?1 AND step BETWEEN ?3 AND ?4 AND metrics -> ?2 IS NOT NULL ORDER BY step, id`,
    )
    .bind(runId, path, lo, hi)
    .all<{ id: number; step: number; ts: string; v: string }>();
  return results.map((r) => ({ id: r.id, step: r.step, timestamp: r.ts, value: JSON.parse(r.v) }));
}

export async function countLogsBetween(d1: D1Database, runId: string, lo: number, hi: number): Promise<number> {
  const row = await d1
    .prepare(`SELECT count(*) AS n FROM metric_logs WHERE run_id = ?1 AND step BETWEEN ?2 AND ?3`)
    .bind(runId, lo, hi)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** All log rows at steps [lo, hi], for snapshots. */
export async function logRowsBetween(d1: D1Database, runId: string, lo: number, hi: number) {
  const { results } = await d1
    .prepare(`SELECT id, step, ts, metrics FROM metric_logs WHERE run_id = ?1 AND step BETWEEN ?2 AND ?3 ORDER BY step, id`)
    .bind(runId, lo, hi)
    .all<{ id: number; step: number; ts: string; metrics: string }>();
  return results.map((r) => ({ id: r.id, step: r.step, timestamp: r.ts, metrics: JSON.parse(r.metrics) as Record<string, unknown> }));
}


/** Rollup buckets of one or more metrics of a run at one width covering steps [lo, hi], in one query. */
export async function rollupBuckets(d1: D1Database, runId: string, names: string[], width: number, lo: number, hi: number): Promise<Map<string, Bucket[]>> {
  // CAST: D1 binds every JS number as REAL, and REAL division would not floor.
  const { results } = await d1
    .prepare(
      `SELECT name, bucket, first_step AS fs, first AS f, first_us AS fu, last_step AS ls, last AS l, last_us AS lu,
         min_step AS "as", min AS a, min_us AS au, max_step AS zs, max AS z, max_us AS zu
       FROM metric_rollups WHERE run_id = ?1 AND name IN (SELECT value FROM json_each(?2)) AND width = CAST(?3 AS INTEGER)
         AND bucket BETWEEN CAST(?4 AS INTEGER) / CAST(?3 AS INTEGER) AND CAST(?5 AS INTEGER) / CAST(?3 AS INTEGER)
       ORDER BY name, bucket`,
    )
    .bind(runId, JSON.stringify(names), width, lo, hi)
    .all<Bucket & { name: string }>();
  const byName = new Map<string, Bucket[]>();
  for (const r of results) {
    const list = byName.get(r.name) ?? [];
    list.push(r);
    byName.set(r.name, list);
  }
  return byName;
}
