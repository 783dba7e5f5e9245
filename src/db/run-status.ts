import { and, eq, sql } from "drizzle-orm";
import { formatTimestamp } from "../contract/time";
import { getDb } from "./client";
import { runs } from "./schema";

/**
 * What the stale check found: the run became stale (made over REST, the SDKs or MCP) or ended (made
 * over Trackio's protocol, which cannot say it finished), with its last activity as D1 has it; is
 * still reporting; or is not `running` (or gone).
 */
export type StaleOutcome =
  | { kind: "stale" | "ended"; lastUs: number; lastStep: number | null }
  | { kind: "reporting"; lastUs: number }
  | { kind: "done" };

/**
 * Marks a `running` run `stale` (or `ended`, by its origin) when D1 agrees it has logged nothing
 * since `cutoffUs`. D1 is the record of a run's activity: the project's object is not told of
 * every batch (only of those a rule or detector may fire on), so its watch asks here when it is
 * due, and a run that logged meanwhile is left running with the time of its last entry.
 */
export async function markRunStale(d1: D1Database, runId: string, cutoffUs: number, nowUs: number): Promise<StaleOutcome> {
  const db = getDb(d1);
  const lastUs = sql<number>`coalesce(${runs.lastLogUs}, ${runs.createdUs})`;
  const flipped = await db
    .update(runs)
    .set({ status: sql`CASE WHEN ${runs.origin} = 'trackio' THEN 'ended' ELSE 'stale' END`, updatedAt: formatTimestamp(nowUs) })
    .where(and(eq(runs.id, runId), eq(runs.status, "running"), sql`${lastUs} <= ${cutoffUs}`))
    .returning({ status: runs.status, lastLogUs: runs.lastLogUs, createdUs: runs.createdUs, lastStep: runs.lastStep });
  if (flipped.length) {
    const f = flipped[0];
    return { kind: f.status === "ended" ? "ended" : "stale", lastUs: f.lastLogUs ?? f.createdUs, lastStep: f.lastStep };
  }
  const row = await db.query.runs.findFirst({ columns: { status: true, lastLogUs: true, createdUs: true }, where: eq(runs.id, runId) });
  if (row?.status === "running") return { kind: "reporting", lastUs: row.lastLogUs ?? row.createdUs };
  return { kind: "done" };
}
