import { and, eq, exists, gt, sql } from "drizzle-orm";
import type { Db } from "./client";
import { metricNames, runs } from "./schema";

/** Whether any run of the project has logged a numeric metric (Trackio's "metrics" tab). */
export async function projectHasNumericMetrics(db: Db, project: string): Promise<boolean> {
  const row = await db
    .select({ one: sql<number>`1` })
    .from(runs)
    .where(
      and(
        eq(runs.project, project),
        gt(runs.logCount, 0),
        exists(db.select({ one: sql`1` }).from(metricNames).where(and(eq(metricNames.runId, runs.id), eq(metricNames.numeric, 1)))),
      ),
    )
    .limit(1);
  return row.length > 0;
}
