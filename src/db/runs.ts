import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { RUN_ID_PATTERN, type Run, type RunStatus } from "../contract";
import type { Db } from "./client";
import { media, metricLogs, metricNames, metricRollups, runs, systemMetrics } from "./schema";

export type RunRow = typeof runs.$inferSelect;

/**
 * The stored status is the truth: the project's Durable Object marks a silent `running` run
 * `stale` after the project's own `stale_after` (an alarm, with its alert), or `ended` without an
 * alert when it was made over Trackio's protocol, and ingest marks it `running` again. Reads never recompute it from a clock, so they agree with the alerts.
 */
export function toRun(row: RunRow): Run {
  return {
    id: row.id,
    project: row.project,
    name: row.name,
    group: row.groupName,
    config: (row.config ?? {}) as Run["config"],
    status: row.status,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    finished_at: row.finishedAt,
    last_log_at: row.lastLogAt,
    last_step: row.lastStep,
    log_count: row.logCount,
  };
}

/** A `SELECT * FROM runs` row from a raw D1 statement, as drizzle would map it. */
export function runRowFromSql(r: Record<string, unknown>): RunRow {
  const config = typeof r.config === "string" ? (JSON.parse(r.config) as Record<string, unknown>) : {};
  return {
    id: r.id as string,
    project: r.project as string,
    name: r.name as string,
    groupName: (r.group_name as string | null) ?? null,
    config,
    status: r.status as RunRow["status"],
    createdAt: r.created_at as string,
    createdUs: r.created_us as number,
    updatedAt: r.updated_at as string,
    finishedAt: (r.finished_at as string | null) ?? null,
    lastLogAt: (r.last_log_at as string | null) ?? null,
    lastLogUs: (r.last_log_us as number | null) ?? null,
    lastStep: (r.last_step as number | null) ?? null,
    logCount: r.log_count as number,
    webhookUrl: (r.webhook_url as string | null) ?? null,
    webhookMinLevel: (r.webhook_min_level as string | null) ?? null,
    origin: (r.origin as RunRow["origin"] | undefined) ?? "api",
  };
}

export async function insertRun(db: Db, row: typeof runs.$inferInsert): Promise<RunRow> {
  const [inserted] = await db.insert(runs).values(row).returning();
  return inserted;
}

export async function findRunById(db: Db, project: string, id: string) {
  return db.query.runs.findFirst({ where: and(eq(runs.project, project), eq(runs.id, id)) });
}

export async function findNewestRunByName(db: Db, project: string, name: string) {
  return db.query.runs.findFirst({
    where: and(eq(runs.project, project), eq(runs.name, name)),
    orderBy: [desc(runs.createdUs), desc(runs.id)],
  });
}

/** A run reference is an id (32 hex) or a name; a name means the newest run with it. */
export async function resolveRun(db: Db, project: string, ref: string): Promise<RunRow | undefined> {
  if (RUN_ID_PATTERN.test(ref)) {
    const byId = await findRunById(db, project, ref);
    if (byId) return byId;
  }
  return findNewestRunByName(db, project, ref);
}

export async function runNamesOf(db: Db, project: string): Promise<{ names: Set<string>; count: number }> {
  const rows = await db.select({ name: runs.name }).from(runs).where(eq(runs.project, project));
  return { names: new Set(rows.map((r) => r.name)), count: rows.length };
}

export type RunFilters = {
  group?: string;
  status?: RunStatus;
  name?: string;
  /** `[key, value]` pairs compared with json_extract; value already parsed from JSON when it parses. */
  config?: [string, unknown][];
};

/** Runs of a project, oldest first (Trackio's order). */
export async function listRuns(db: Db, project: string, f: RunFilters = {}): Promise<RunRow[]> {
  const where: SQL[] = [eq(runs.project, project)];
  if (f.group !== undefined) where.push(eq(runs.groupName, f.group));
  if (f.name !== undefined) where.push(eq(runs.name, f.name));
  if (f.status) where.push(eq(runs.status, f.status));
  for (const [key, value] of f.config ?? []) {
    const path = `$."${key.replaceAll('"', '""')}"`;
    if (value === null) where.push(sql`json_type(${runs.config}, ${path}) = 'null'`);
    else if (typeof value === "boolean") where.push(sql`json_extract(${runs.config}, ${path}) = ${value ? 1 : 0} AND json_type(${runs.config}, ${path}) = ${value ? "true" : "false"}`);
    else if (typeof value === "number" || typeof value === "string") where.push(sql`json_extract(${runs.config}, ${path}) = ${value}`);
    else where.push(sql`json(json_extract(${runs.config}, ${path})) = json(${JSON.stringify(value)})`);
  }
  return db.select().from(runs).where(and(...where)).orderBy(asc(runs.createdUs), asc(runs.id));
}

export async function updateRun(db: Db, id: string, patch: Partial<typeof runs.$inferInsert>): Promise<RunRow | undefined> {
  const [row] = await db.update(runs).set(patch).where(eq(runs.id, id)).returning();
  return row;
}

/** Deletes a run and everything stored for it in D1, in one transaction. */
export async function deleteRunRows(db: Db, id: string) {
  await db.batch([
    db.delete(metricLogs).where(eq(metricLogs.runId, id)),
    db.delete(metricNames).where(eq(metricNames.runId, id)),
    db.delete(metricRollups).where(eq(metricRollups.runId, id)),
    db.delete(systemMetrics).where(eq(systemMetrics.runId, id)),
    db.delete(media).where(eq(media.runId, id)),
    db.delete(runs).where(eq(runs.id, id)),
  ]);
}
