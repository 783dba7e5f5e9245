import { and, eq, sql } from "drizzle-orm";
import { formatTimestamp } from "../contract/time";
import { getDb } from "./client";
import { runs } from "./schema";

/**
 * What the stale check found: the run became stale (made over REST, the SDKs or MCP), ended (made
 * over Trackio's protocol, which cannot say it finished), is still reporting, or is not
 * `running` (or gone).
 */
export type StaleOutcome = { kind: "stale" } | { kind: "ended" } | { kind: "reporting"; lastUs: number } | { kind: "done" };

/**
 * Marks a `running` run `stale` (or `ended`, by its origin) when D1 agrees it has logged nothing
 * since `cutoffUs`. D1 is written before the project's object hears of a batch, so a batch that
 * is still on its way to the object has already moved `last_log_us` here and the run is left running.
 */
export async function markRunStale(d1: D1Database, runId: string, cutoffUs: number, nowUs: number): Promise<StaleOutcome> {
  const db = getDb(d1);
  const lastUs = sql<number>`coalesce(${runs.lastLogUs}, ${runs.createdUs})`;
  const flipped = await db
    .update(runs)
    .set({ status: sql`CASE WHEN ${runs.origin} = 'trackio' THEN 'ended' ELSE 'stale' END`, updatedAt: formatTimestamp(nowUs) })
    .where(and(eq(runs.id, runId), eq(runs.status, "running"), sql`${lastUs} <= ${cutoffUs}`))
    .returning({ status: runs.status });
  if (flipped.length) return { kind: flipped[0].status === "ended" ? "ended" : "stale" };
  const row = await db.query.runs.findFirst({ columns: { status: true, lastLogUs: true, createdUs: true }, where: eq(runs.id, runId) });
  if (row?.status === "running") return { kind: "reporting", lastUs: row.lastLogUs ?? row.createdUs };
  return { kind: "done" };
}
