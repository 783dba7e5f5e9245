import { allRows, countRows, sampledRows, signatureGroups, type RowTable } from "../db/trackio-rows";
import { groupBudgets, groupStride, LOGS_MAX_POINTS } from "./sampling";

export type ParsedRow = { ts: string; step: number | null; metrics: Record<string, unknown> };

/**
 * A run's rows in time order, downsampled as Trackio's `get_logs`/`get_system_logs` do: at most
 * 3,000, grouped by key set, each group's last row kept. `count` is the run's row count when the
 * caller knows it (metric rows are counted on the run), else it is queried.
 */
export async function readRows(d1: D1Database, table: RowTable, runId: string, count: number | null, scalarOnly = false): Promise<ParsedRow[]> {
  const n = count ?? (await countRows(d1, table, runId));
  if (n === 0) return [];
  let rows;
  if (n <= LOGS_MAX_POINTS) rows = await allRows(d1, table, runId);
  else {
    const groups = await signatureGroups(d1, table, runId, scalarOnly);
    const budgets = groupBudgets(groups.map((g) => g.n), LOGS_MAX_POINTS);
    const plan = groups
      .map((g, i) => ({ s: g.sig, k: groupStride(g.n, budgets[i]) }))
      .filter((p) => p.k !== 0)
      .map((p) => ({ s: p.s, k: Number.isFinite(p.k) ? p.k : -1 }));
    rows = plan.length ? await sampledRows(d1, table, runId, scalarOnly, plan) : [];
  }
  return rows.map((r) => ({ ts: r.ts, step: r.step, metrics: JSON.parse(r.metrics) as Record<string, unknown> }));
}
