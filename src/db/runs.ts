import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { RUN_ID_PATTERN, type Run, type RunStatus } from "../contract";
import type { Db } from "./client";
import { media, metricLogs, metricNames, metricRollups, notes, runs, systemMetrics } from "./schema";

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
    stop_requested: row.stopRequestedAt ? { at: row.stopRequestedAt, reason: row.stopReason, by: row.stopRequestedBy ?? "" } : null,
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
    stopRequestedAt: (r.stop_requested_at as string | null) ?? null,
    stopReason: (r.stop_reason as string | null) ?? null,
    stopRequestedBy: (r.stop_requested_by as string | null) ?? null,
  };
}

/**
 * Inserts a run unless its id is taken (in any project) or, with `uniqueName`, the project
 * already has a run of that name. One statement, so of concurrent creates exactly one passes
 * the check (D1 runs statements one at a time). The row, or undefined when nothing was inserted.
 */
export async function insertRunIfAbsent(db: Db, row: typeof runs.$inferInsert, uniqueName: boolean): Promise<RunRow | undefined> {
  const unnamed = uniqueName ? sql`NOT EXISTS (SELECT 1 FROM ${runs} WHERE project = ${row.project} AND name = ${row.name})` : sql`1`;
  const inserted = await db.all<Record<string, unknown>>(sql`INSERT INTO ${runs}
      (id, project, name, group_name, config, status, created_at, created_us, updated_at, webhook_url, webhook_min_level, origin)
    SELECT ${row.id}, ${row.project}, ${row.name}, ${row.groupName ?? null}, ${JSON.stringify(row.config ?? {})}, ${row.status ?? "running"},
      ${row.createdAt}, ${row.createdUs}, ${row.updatedAt}, ${row.webhookUrl ?? null}, ${row.webhookMinLevel ?? null}, ${row.origin ?? "api"}
    WHERE ${unnamed}
    ON CONFLICT (id) DO NOTHING RETURNING *`);
  return inserted[0] ? runRowFromSql(inserted[0]) : undefined;
}

/**
 * Statements for a multi-run write's transaction (db/logs.ts appendLogRowsToRuns): create the
 * run (and its project) unless its id exists, or replace its config and group.
 */
export function createRunStatements(d1: D1Database, row: RunRow): D1PreparedStatement[] {
  return [
    d1.prepare("INSERT INTO projects (name, created_at) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING").bind(row.project, row.createdAt),
    d1
      .prepare(
        `INSERT INTO runs (id, project, name, group_name, config, status, created_at, created_us, updated_at, origin)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO NOTHING`,
      )
      .bind(row.id, row.project, row.name, row.groupName, JSON.stringify(row.config), row.status, row.createdAt, row.createdUs, row.updatedAt, row.origin),
  ];
}

export function setRunConfigStatement(d1: D1Database, id: string, config: Record<string, unknown>, group: string | null, updatedAt: string): D1PreparedStatement {
  return d1.prepare("UPDATE runs SET config = ?2, group_name = ?3, updated_at = ?4 WHERE id = ?1").bind(id, JSON.stringify(config), group, updatedAt);
}

/** A run by id in any project: clients may choose run ids, and ids are unique across projects. */
export async function findRunAnywhere(db: Db, id: string) {
  return db.query.runs.findFirst({ where: eq(runs.id, id) });
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
    // The key is bound and compared with json_each's, never spliced into a JSON path: a path
    // cannot quote every key (`"`, `\`), and a malformed one fails the whole statement.
    let match: SQL;
    if (value === null) match = sql`c.type = 'null'`;
    else if (typeof value === "boolean") match = sql`c.type = ${value ? "true" : "false"}`;
    else if (typeof value === "number" || typeof value === "string") match = sql`c.value = ${value}`;
    else match = sql`c.type IN ('object', 'array') AND json(c.value) = json(${JSON.stringify(value)})`;
    where.push(sql`EXISTS (SELECT 1 FROM json_each(${runs.config}) AS c WHERE c.key = ${key} AND ${match})`);
  }
  return db.select().from(runs).where(and(...where)).orderBy(asc(runs.createdUs), asc(runs.id));
}

export async function updateRun(db: Db, id: string, patch: Partial<typeof runs.$inferInsert>): Promise<RunRow | undefined> {
  const [row] = await db.update(runs).set(patch).where(eq(runs.id, id)).returning();
  return row;
}

/**
 * Records a stop request on a run that has not ended. A second request keeps the first one's
 * time, reason and author (the script may already have seen it); null when the run has ended.
 */
export async function requestStop(db: Db, id: string, at: string, reason: string | null, by: string): Promise<RunRow | undefined> {
  const [row] = await db
    .update(runs)
    .set({
      stopRequestedAt: sql`coalesce(${runs.stopRequestedAt}, ${at})`,
      stopReason: sql`CASE WHEN ${runs.stopRequestedAt} IS NULL THEN ${reason} ELSE ${runs.stopReason} END`,
      stopRequestedBy: sql`CASE WHEN ${runs.stopRequestedAt} IS NULL THEN ${by} ELSE ${runs.stopRequestedBy} END`,
      updatedAt: at,
    })
    .where(and(eq(runs.id, id), sql`${runs.status} IN ('running', 'stale')`))
    .returning();
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
    db.delete(notes).where(eq(notes.runId, id)),
    db.delete(runs).where(eq(runs.id, id)),
  ]);
}
