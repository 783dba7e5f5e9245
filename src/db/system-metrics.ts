import { eq, sql } from "drizzle-orm";
import { chunkJson, type Db } from "./client";
import { systemMetrics } from "./schema";

// Batches bind as JSON to json_each, one statement per ~1 MB chunk, as metric logs do (db/logs.ts).
const INSERT = `INSERT OR IGNORE INTO system_metrics (project, run_id, log_id, ts, ts_us, metrics)
  SELECT ?1, ?2, value ->> 'i', value ->> 't', value ->> 'u', value ->> 'm' FROM json_each(?3) WHERE true`;

export type NewSystemRow = { log_id: string | null; ts: string; us: number; metrics: Record<string, unknown> };

/** Stores a run's rows in one transaction; rows whose (run, log_id) is stored are skipped. */
export async function insertSystemRows(d1: D1Database, project: string, runId: string, rows: NewSystemRow[]): Promise<void> {
  const payload = rows.map((r) => ({ i: r.log_id, t: r.ts, u: r.us, m: JSON.stringify(r.metrics) }));
  const statements = chunkJson(payload).map((chunk) => d1.prepare(INSERT).bind(project, runId, chunk));
  if (statements.length) await d1.batch(statements);
}

/** The distinct metric names of a run's system rows, sorted. */
export async function systemMetricNames(d1: D1Database, runId: string): Promise<string[]> {
  const { results } = await d1
    .prepare(`SELECT DISTINCT j.key AS name FROM system_metrics, json_each(system_metrics.metrics) AS j WHERE run_id = ?1 ORDER BY name`)
    .bind(runId)
    .all<{ name: string }>();
  return results.map((r) => r.name);
}

export async function projectHasSystemMetrics(db: Db, project: string): Promise<boolean> {
  const row = await db.select({ one: sql<number>`1` }).from(systemMetrics).where(eq(systemMetrics.project, project)).limit(1);
  return row.length > 0;
}
