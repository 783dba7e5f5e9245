/**
 * Whole-row reads of a run's metric or system rows in time order, downsampled in SQL the way
 * Trackio's server does it (see src/trackio/sampling.ts): rows are grouped by their key set and
 * each group keeps every k-th row and its last. The grouping and the sampling run in SQLite, so
 * a run of a million rows sends the Worker its 3,000 sampled rows, not the million.
 */

/** The two tables these reads serve; the names are constants, never user input. */
export const ROW_TABLES = {
  metrics: { from: "metric_logs", cols: "ts, step, metrics", order: "ts, id" },
  system: { from: "system_metrics", cols: "ts, NULL AS step, metrics", order: "ts_us, id" },
} as const;
export type RowTable = keyof typeof ROW_TABLES;

export type TimedRow = { ts: string; step: number | null; metrics: string };

// The signature of a row: its keys sorted, joined with U+001F. With `scalar`, only keys holding a
// number or a histogram count, and a row with none has no signature (Trackio skips it).
const KEYS = `(SELECT group_concat(key, char(31)) FROM (SELECT key FROM json_each(metrics) ORDER BY key))`;
const SCALAR_KEYS = `(SELECT group_concat(key, char(31)) FROM (SELECT key FROM json_each(metrics)
  WHERE type IN ('integer', 'real') OR (type = 'object' AND json_extract(value, '$._type') = 'trackio.histogram') ORDER BY key))`;
const signature = (scalar: boolean) => (scalar ? SCALAR_KEYS : `coalesce(${KEYS}, '')`);

export async function countRows(d1: D1Database, table: RowTable, runId: string): Promise<number> {
  const row = await d1.prepare(`SELECT count(*) AS n FROM ${ROW_TABLES[table].from} WHERE run_id = ?1`).bind(runId).first<{ n: number }>();
  return row?.n ?? 0;
}

export async function allRows(d1: D1Database, table: RowTable, runId: string): Promise<TimedRow[]> {
  const t = ROW_TABLES[table];
  const { results } = await d1.prepare(`SELECT ${t.cols} FROM ${t.from} WHERE run_id = ?1 ORDER BY ${t.order}`).bind(runId).all<TimedRow>();
  return results;
}

/** Groups of rows sharing a signature, with their sizes, in order of first appearance. */
export async function signatureGroups(d1: D1Database, table: RowTable, runId: string, scalar: boolean): Promise<{ sig: string; n: number }[]> {
  const t = ROW_TABLES[table];
  const { results } = await d1
    .prepare(
      `WITH r AS (SELECT ${signature(scalar)} AS sig, row_number() OVER (ORDER BY ${t.order}) AS rn FROM ${t.from} WHERE run_id = ?1)
       SELECT sig, count(*) AS n FROM r WHERE sig IS NOT NULL GROUP BY sig ORDER BY min(rn)`,
    )
    .bind(runId)
    .all<{ sig: string; n: number }>();
  return results;
}

/**
 * The rows the plan keeps, in time order. `plan`: per signature the stride `k` (every k-th row
 * from the group's first, plus its last; k = -1 keeps only the last). Groups not in the plan are
 * dropped.
 */
export async function sampledRows(d1: D1Database, table: RowTable, runId: string, scalar: boolean, plan: { s: string; k: number }[]): Promise<TimedRow[]> {
  const t = ROW_TABLES[table];
  const { results } = await d1
    .prepare(
      `WITH r AS (SELECT id, ts, ${table === "system" ? "ts_us, NULL AS step" : "step"}, metrics, ${signature(scalar)} AS sig
           FROM ${t.from} WHERE run_id = ?1),
         g AS (SELECT *, row_number() OVER (PARTITION BY sig ORDER BY ${t.order}) - 1 AS k, count(*) OVER (PARTITION BY sig) AS n
           FROM r WHERE sig IS NOT NULL)
       SELECT g.ts, g.step, g.metrics FROM g JOIN json_each(?2) p ON p.value ->> 's' = g.sig
       WHERE g.k = g.n - 1 OR (p.value ->> 'k' > 0 AND g.k % (p.value ->> 'k') = 0)
       ORDER BY ${t.order.replace(/(\w+)/g, "g.$1")}`,
    )
    .bind(runId, JSON.stringify(plan))
    .all<TimedRow>();
  return results;
}
